"""`interviewer bench resumes --data FILE... [--json] [--top-k K]`: resumes against jobs.

Reads the exchange format of ../shared/bench/RESUMES.md, matches every row with the product's
own matcher (nothing is fitted or tuned on the file) and prints, per row, the match score and
each requirement's verdict with its quoted line; per job (and per resume ranked against
several jobs) Spearman and NDCG against the human relevance, per annotator; per group, over
each job's draws, the top-1 and top-k selection rates with impact ratios, and the mean
absolute score change between rows that differ only by the name; rows per second.
"""

from __future__ import annotations

import itertools
import json
import math
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from bot import commandline
from bot.core.errors import InputError
from bot.resumes.matching import Requirement, ResumeMatch, ResumeMatcher
from bot.resumes.reading import read_resume


@dataclass(frozen=True)
class Row:
    id: str
    job_id: str
    job_text: str
    requirements: tuple[str, ...] | None
    resume_id: str
    resume: str  # the resume's text, read from the file where the row names one
    relevance: float | None
    annotator: str | None
    draw: str | None
    group: str | None


def read_rows(path: Path) -> list[Row]:
    """The file's rows; a bad line is an error naming the line and the field."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            text, file = d.get("resume_text"), d.get("resume_file")
            if (text is None) == (file is None):
                raise ValueError("exactly one of resume_text and resume_file must be set")
            resume = text if text is not None else read_resume(path.parent / file)
            reqs = d.get("requirements")
            rows.append(Row(
                str(d["id"]), str(d["job_id"]), str(d["job_text"]),
                tuple(reqs) if reqs else None, str(d["resume_id"]), resume,
                None if d.get("relevance") is None else float(d["relevance"]),
                d.get("annotator"), d.get("draw"), d.get("group"),
            ))  # fmt: skip
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: {exc}; see ../shared/bench/RESUMES.md") from exc
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


def requirements_of(row: Row) -> list[Requirement]:
    """The row's requirements, or the ones the product derives from the job description."""
    from bot.staff.drafting import requirement_items

    if row.requirements:
        return [Requirement.read(t) for t in row.requirements]
    return [Requirement.read(r["text"], r.get("must", True), r.get("years"))
            for r in requirement_items(row.job_text)]  # fmt: skip


def match_rows(matcher: ResumeMatcher, rows: Sequence[Row]) -> tuple[list[ResumeMatch], float]:
    """Each row's match (a resume met again under the same job is matched once) and the
    seconds it took."""
    started = time.perf_counter()
    cache: dict[tuple[str, str], ResumeMatch] = {}
    out = []
    for row in tqdm(rows, desc="resumes", unit="row", leave=False):
        key = (row.job_text, row.resume)
        if key not in cache:
            cache[key] = matcher.match(row.resume, requirements_of(row))
        out.append(cache[key])
    return out, time.perf_counter() - started


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    from scipy.stats import spearmanr

    if len(xs) < 3 or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    return float(spearmanr(xs, ys).statistic)


def ndcg(scores: Sequence[float], relevance: Sequence[float]) -> float | None:
    def dcg(order: list[int]) -> float:
        return sum((2 ** relevance[i] - 1) / math.log2(r + 2) for r, i in enumerate(order))

    ideal = dcg(sorted(range(len(scores)), key=lambda i: -relevance[i]))
    if ideal <= 0:
        return None
    return dcg(sorted(range(len(scores)), key=lambda i: -scores[i])) / ideal


def agreement(rows: Sequence[Row], scores: Sequence[float]) -> dict[str, Any]:
    """Spearman and NDCG per job and per resume ranked against several jobs, per annotator."""
    out: dict[str, Any] = {}
    graded = [(r, s) for r, s in zip(rows, scores, strict=True) if r.relevance is not None]
    for annotator in sorted({r.annotator or "" for r, _ in graded}):
        mine = [(r, s) for r, s in graded if (r.annotator or "") == annotator]
        per: dict[str, dict[str, float | None]] = {}
        for by in ("job_id", "resume_id"):
            groups: dict[str, list] = defaultdict(list)
            for r, s in mine:
                groups[getattr(r, by)].append((s, r.relevance))
            for key, pairs in groups.items():
                if len(pairs) < 2 or (by == "resume_id" and len(pairs) < 3):
                    continue
                xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
                name = f"{by.split('_')[0]} {key}"
                per[name] = {"spearman": spearman(xs, ys), "ndcg": ndcg(xs, ys), "rows": len(pairs)}
        found = [v for v in per.values() if v["spearman"] is not None]
        out[annotator or "all"] = {
            "per": per,
            "mean_spearman": _mean([v["spearman"] for v in found]),
            "mean_ndcg": _mean([v["ndcg"] for v in per.values() if v["ndcg"] is not None]),
        }
    return out


def fairness(rows: Sequence[Row], scores: Sequence[float], k: int) -> dict[str, Any]:
    """Per job: each group's top-1 and top-k rate over the draws, impact ratios, and the mean
    absolute score change between rows that differ only by the name."""
    out: dict[str, Any] = {}
    jobs = sorted({r.job_id for r in rows if r.group is not None and r.draw is not None})
    for job in jobs:
        draws: dict[str, list[tuple[float, str]]] = defaultdict(list)
        same: dict[str, list[float]] = defaultdict(list)
        for r, s in zip(rows, scores, strict=True):
            if r.job_id == job and r.group is not None and r.draw is not None:
                draws[r.draw].append((s, r.group))
                same[r.resume_id].append(s)
        groups = sorted({g for ranked in draws.values() for _, g in ranked})
        top1: dict[str, int] = defaultdict(int)
        topk: dict[str, int] = defaultdict(int)
        seen: dict[str, int] = defaultdict(int)
        for ranked in draws.values():
            ranked.sort(key=lambda x: -x[0])
            for place, (_, g) in enumerate(ranked):
                seen[g] += 1
                top1[g] += place == 0
                topk[g] += place < k
        rate1 = {g: top1[g] / len(draws) for g in groups}
        ratek = {g: topk[g] / seen[g] for g in groups}
        changes = [abs(a - b) for v in same.values() for a, b in itertools.combinations(v, 2)]
        out[job] = {
            "draws": len(draws),
            "top1": rate1, "impact_top1": _impact(rate1),
            f"top{k}": ratek, f"impact_top{k}": _impact(ratek),
            "mean_abs_change": _mean(changes), "max_abs_change": max(changes, default=None),
        }  # fmt: skip
    return out


def _impact(rates: dict[str, float]) -> dict[str, float | None]:
    top = max(rates.values(), default=0.0)
    return {g: (r / top if top else None) for g, r in rates.items()}


def _mean(values: Sequence[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return round(statistics.fmean(found), 4) if found else None


def bench_file(matcher: ResumeMatcher, path: Path, k: int = 3) -> dict[str, Any]:
    rows = read_rows(path)
    matches, seconds = match_rows(matcher, rows)
    scores = [m.score for m in matches]
    return {
        "rows": [
            {"id": r.id, "score": m.score, "requirements": [
                {"requirement": x.requirement.text, "verdict": x.verdict,
                 "evidence": x.evidence, "years": x.years, "note": x.note}
                for x in m.matches]}
            for r, m in zip(rows, matches, strict=True)
        ],
        "agreement": agreement(rows, scores),
        "fairness": fairness(rows, scores, k),
        "rows_per_second": round(len(rows) / seconds, 2) if seconds else None,
        "ms_per_row": round(1000 * seconds / len(rows), 1),
    }  # fmt: skip


def report(name: str, result: dict[str, Any], k: int = 3) -> str:
    """The printed table for one file."""
    lines = [f"== {name}"]
    for row in result["rows"]:
        marks = {"met": "+", "partly": "~", "not shown": "-"}
        verdicts = " ".join(marks[x["verdict"]] for x in row["requirements"])
        lines.append(f"{row['id']:<28} {row['score']:.3f}  {verdicts}")
        for x in row["requirements"]:
            if x["evidence"]:
                said = f"{x['requirement'][:60]!r} <- {x['evidence'][:70]!r}"
                lines.append(f"    {x['verdict']:<9} {said}")
    for annotator, a in result["agreement"].items():
        lines.append(f"agreement ({annotator}): mean Spearman {a['mean_spearman']}, "
                     f"mean NDCG {a['mean_ndcg']}")  # fmt: skip
        for key, v in a["per"].items():
            lines.append(f"    {key:<30} rho {_fmt(v['spearman'])}  ndcg {_fmt(v['ndcg'])}  "
                         f"({v['rows']} rows)")  # fmt: skip
    for job, f in result["fairness"].items():
        change = f"mean {_fmt(f['mean_abs_change'])}, max {_fmt(f['max_abs_change'])}"
        lines.append(f"fairness, job {job} over {f['draws']} draws: |score change| {change}")
        for g in f["top1"]:
            one = f"top-1 {f['top1'][g]:.3f} (ratio {_fmt(f['impact_top1'][g])})"
            some = f"top-{k} {f[f'top{k}'][g]:.3f} (ratio {_fmt(f[f'impact_top{k}'][g])})"
            lines.append(f"    {g:<18} {one}  {some}")
    lines.append(f"{result['rows_per_second']} rows/s, {result['ms_per_row']} ms a row")
    return "\n".join(lines)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"



@click.command("resumes", cls=commandline.Command, help=__doc__)
@click.option("--data", cls=commandline.Words, required=True, metavar="FILE.jsonl ...",
              help="resume-matching JSONL files (../shared/bench/RESUMES.md)")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="one JSON object keyed by file name")
@click.option("--top-k", type=int, default=3, show_default=True,
              help="k of the top-k selection rates")  # fmt: skip
def resumes(data: list[str], as_json: bool, top_k: int) -> int:
    """`interviewer bench resumes`: resumes against jobs, per ../shared/bench/RESUMES.md."""
    import sys

    from bot.core.errors import BotError
    from bot.evaluator import judge_for
    from bot.settings import Settings

    try:
        settings = Settings()  # type: ignore[call-arg]  # filled from the environment
        matcher = ResumeMatcher(judge_for(settings))
        results = {name: bench_file(matcher, Path(name), top_k) for name in data}
    except BotError as exc:
        print(f"error: {exc.public()}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(results))
    else:
        print("\n\n".join(report(name, r, top_k) for name, r in results.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """`interviewer bench resumes ...` as a function (argv: the words after 'resumes')."""
    return commandline.run(resumes, argv, "interviewer bench resumes")


if __name__ == "__main__":
    raise SystemExit(main())
