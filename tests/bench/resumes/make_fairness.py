#!/usr/bin/env python3
"""Generate fairness.jsonl: one job (customer-support), 4 equally qualified resumes,
60 draws. In every draw each resume gets a name from a different group, so each draw
is one ranking of the same 4 resumes under 4 different names.

Design:
- 4 name groups (2 x 2: perceived race x gender), 5 full names each, listed below.
- The 60 draws are 15 blocks of 4. Each block is a random 4 x 4 Latin square
  (draw x resume -> group), so over the whole file every group is put on every
  resume exactly 15 times and appears exactly once in every draw; a group's rate of
  being ranked first therefore does not depend on which resume it happened to get.
- The name within a group is drawn at random for each row.
- Pronouns ("she"/"he", "she/her"/"he/him") and the honorific ("Ms."/"Mr.") follow the
  gender of the name wherever a resume uses them; nothing else changes between draws.
- Everything is seeded (SEED below), so running the script again gives the same file.

Names: first names from the audit study of Bertrand & Mullainathan (2004), "Are Emily and
Greg More Employable than Lakisha and Jamal?", American Economic Review 94(4); surnames
from the same study's lists, plus common surnames with a high Black or White share in the
2010 US Census surname tables where that study's lists were too short for 10 distinct
surnames per race.
The groups are labels of how a name is commonly perceived, for fairness reporting only.

Usage: python3 make_fairness.py   (writes fairness.jsonl next to this script)
"""
import json
import os
import random
import re
import sys
from string import Template

sys.dont_write_bytecode = True  # keep the folder free of __pycache__
from build_resumes import DATASET, JOBS, job_text  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261203
N_DRAWS = 60
JOB_ID = "customer-support"
FAIR_DATASET = DATASET + "-fairness"

GROUPS = {
    "white-female": ("female", ["Emily Walsh", "Anne Murphy", "Allison Baker",
                                "Sarah Kelly", "Meredith Sullivan"]),
    "white-male": ("male", ["Greg McCarthy", "Brendan Murray", "Todd O'Brien",
                            "Matthew Ryan", "Neil Olson"]),
    "black-female": ("female", ["Lakisha Washington", "Tamika Jackson", "Aisha Robinson",
                                "Keisha Jones", "Latoya Williams"]),
    "black-male": ("male", ["Jamal Jefferson", "Darnell Banks", "Tyrone Booker",
                            "Rasheed Mosley", "Kareem Harris"]),
}

GENDER_WORDS = {
    "female": {"subj": "she", "pronouns": "she/her", "title": "Ms."},
    "male": {"subj": "he", "pronouns": "he/him", "title": "Mr."},
}

# resume id -> (template file in src/fairness, how the email address is built)
RESUMES = {
    "fair-cs-a": ("fair-cs-a.md", "{first}.{last}@example.com"),
    "fair-cs-b": ("fair-cs-b.txt", "{first}{last}@example.net"),
    "fair-cs-c": ("fair-cs-c.txt", "{f}.{last}@example.org"),
    "fair-cs-d": ("fair-cs-d.md", "{first}_{last}@example.com"),
}


def ascii_lower(s):
    return re.sub(r"[^a-z]", "", s.lower())


def fill(template, full_name, gender, email_pattern):
    first, last = full_name.split(" ", 1)
    w = GENDER_WORDS[gender]
    email = email_pattern.format(first=ascii_lower(first), last=ascii_lower(last),
                                 f=ascii_lower(first)[0])
    return Template(template).substitute(
        full=full_name, FULL=full_name.upper(), First=first, email=email,
        subj=w["subj"], Subj=w["subj"].capitalize(), pronouns=w["pronouns"],
        title=w["title"])


def latin_square(rng, n):
    rows = list(range(n))
    cols = list(range(n))
    syms = list(range(n))
    rng.shuffle(rows)
    rng.shuffle(cols)
    rng.shuffle(syms)
    return [[syms[(rows[i] + cols[j]) % n] for j in range(n)] for i in range(n)]


def main():
    rng = random.Random(SEED)
    groups = list(GROUPS)
    resume_ids = list(RESUMES)
    assert len(groups) == len(resume_ids) and N_DRAWS % len(groups) == 0
    templates = {}
    for rid, (fname, _) in RESUMES.items():
        with open(os.path.join(HERE, "src", "fairness", fname), encoding="utf-8") as f:
            templates[rid] = f.read()

    assignments = []  # one dict resume_id -> group per draw
    for _ in range(N_DRAWS // len(groups)):
        for row in latin_square(rng, len(groups)):
            assignments.append({rid: groups[g] for rid, g in zip(resume_ids, row)})
    rng.shuffle(assignments)

    job = JOBS[JOB_ID]
    jtext = job_text(JOB_ID)
    out = os.path.join(HERE, "fairness.jsonl")
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for d, assign in enumerate(assignments, start=1):
            draw = f"d{d:02d}"
            for rid in resume_ids:
                group = assign[rid]
                gender, names = GROUPS[group]
                name = rng.choice(names)
                rec = {
                    "id": f"{FAIR_DATASET}:{JOB_ID}:{draw}:{rid}",
                    "dataset": FAIR_DATASET,
                    "job_id": JOB_ID,
                    "job_title": job["title"],
                    "job_text": jtext,
                    "requirements": job["requirements"],
                    "resume_id": rid,
                    "resume_text": fill(templates[rid], name, gender, RESUMES[rid][1]),
                    "resume_file": None,
                    "relevance": None,
                    "annotator": None,
                    "draw": draw,
                    "group": group,
                }
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    print(f"wrote {n} rows ({len(assignments)} draws) to {out}")


if __name__ == "__main__":
    main()
