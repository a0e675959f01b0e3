#!/usr/bin/env python3
"""Check resumes.jsonl and fairness.jsonl against the exchange format
(/work/shared/bench/RESUMES.md) and the design of this set; print counts."""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ["id", "dataset", "job_id", "job_title", "job_text", "requirements", "resume_id",
          "resume_text", "resume_file", "relevance", "annotator", "draw", "group"]
errors = []


def err(msg):
    errors.append(msg)


def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                err(f"{name}:{n}: does not parse: {e}")
                continue
            if not isinstance(r, dict):
                err(f"{name}:{n}: not an object")
                continue
            if set(r) != set(FIELDS):
                err(f"{name}:{n}: fields differ: {sorted(set(r) ^ set(FIELDS))}")
            if (r.get("resume_text") is None) == (r.get("resume_file") is None):
                err(f"{name}:{n}: not exactly one of resume_text/resume_file")
            for k in ["id", "dataset", "job_id", "job_title", "job_text", "resume_id"]:
                if not isinstance(r.get(k), str) or not r[k].strip():
                    err(f"{name}:{n}: {k} must be a non-empty string")
            req = r.get("requirements")
            if req is not None and not (isinstance(req, list) and all(isinstance(x, str) for x in req)):
                err(f"{name}:{n}: requirements must be a list of strings or null")
            rel = r.get("relevance")
            if rel is not None and not isinstance(rel, (int, float)):
                err(f"{name}:{n}: relevance must be a number or null")
            rows.append(r)
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        err(f"{name}: duplicate ids")
    print(f"{name}: {len(rows)} lines parsed")
    return rows


def check_resume_basics(r, where):
    t = r["resume_text"]
    if not re.search(r"[\w.]+@example\.[a-z]+", t):
        err(f"{where}: no example.* email")
    if not re.search(r"\+?\d[\d \-]{7,}\d", t):
        err(f"{where}: no phone number")
    if not re.search(r"\b(19|20)\d\d\b", t):
        err(f"{where}: no years")
    if "$" in t or "⇥" in t:
        err(f"{where}: leftover placeholder")


# ---- resumes.jsonl
rows = load("resumes.jsonl")
jobs = collections.defaultdict(set)
for r in rows:
    check_resume_basics(r, r["id"])
    jobs[r["job_id"]].add((r["job_title"], r["job_text"], json.dumps(r["requirements"])))
    if r["relevance"] not in (0, 1, 2, 3, 4):
        err(f"{r['id']}: relevance {r['relevance']} not in 0..4")
    if (r["annotator"], r["dataset"], r["resume_file"], r["draw"], r["group"]) != (
            "writer", "fresh-resumes-v1", None, None, None):
        err(f"{r['id']}: fixed fields wrong")
for j, variants in jobs.items():
    if len(variants) != 1:
        err(f"job {j}: rows disagree on title/text/requirements")
    (_, _, req), = variants
    req = json.loads(req)
    print(f"  job {j}: requirements = {'null' if req is None else str(len(req)) + ' strings'}")
texts = [r["resume_text"] for r in rows]
if len(set(texts)) != len(texts) or len({r["resume_id"] for r in rows}) != len(rows):
    err("resumes.jsonl: resumes are not all distinct")

levels = [0, 1, 2, 3, 4]
table = collections.Counter((r["job_id"], r["relevance"]) for r in rows)
print(f"  {'job_id':18}" + "".join(f"{'rel ' + str(l):>7}" for l in levels) + f"{'total':>7}")
for j in sorted(jobs):
    print(f"  {j:18}" + "".join(f"{table[(j, l)]:>7}" for l in levels)
          + f"{sum(table[(j, l)] for l in levels):>7}")
print(f"  {'all':18}" + "".join(f"{sum(table[(j, l)] for j in jobs):>7}" for l in levels)
      + f"{len(rows):>7}")

# ---- fairness.jsonl
frows = load("fairness.jsonl")
draws = collections.defaultdict(list)
for r in frows:
    check_resume_basics(r, r["id"])
    draws[r["draw"]].append(r)
    if r["relevance"] is not None or r["group"] is None or r["job_id"] != "customer-support":
        err(f"{r['id']}: fairness fields wrong")
    job_row = next(x for x in rows if x["job_id"] == "customer-support")
    if (r["job_text"], r["requirements"]) != (job_row["job_text"], job_row["requirements"]):
        err(f"{r['id']}: job differs from resumes.jsonl")
    fem = r["group"].endswith("female")
    t = r["resume_text"]
    if fem and re.search(r"\b(he|He|he/him|Mr\.)\b", t) or not fem and re.search(
            r"\b(she|She|she/her|Ms\.)\b", t):
        err(f"{r['id']}: gendered words do not match the group")
print(f"  draws: {len(draws)} ({min(draws)}..{max(draws)})")
for d, rs in draws.items():
    if len(rs) != 4 or len({x['group'] for x in rs}) != 4 or len({x['resume_id'] for x in rs}) != 4:
        err(f"draw {d}: needs 4 resumes with 4 different groups")
pair = collections.Counter((r["resume_id"], r["group"]) for r in frows)
print("  times each group is put on each resume:")
gs = sorted({r["group"] for r in frows})
print(f"  {'':10}" + "".join(f"{g:>14}" for g in gs))
for rid in sorted({r["resume_id"] for r in frows}):
    print(f"  {rid:10}" + "".join(f"{pair[(rid, g)]:>14}" for g in gs))
# texts of one resume differ only in name-dependent tokens
by_rid = collections.defaultdict(set)
for r in frows:
    by_rid[r["resume_id"]].add(r["resume_text"])
for rid, ts in by_rid.items():
    lens = sorted(len(t.splitlines()) for t in ts)
    if lens[0] != lens[-1]:
        err(f"{rid}: variants differ in number of lines")
    print(f"  {rid}: {len(ts)} distinct name variants")

if errors:
    print("\nERRORS:")
    for e in errors:
        print(" ", e)
    sys.exit(1)
print("\nall checks passed")
