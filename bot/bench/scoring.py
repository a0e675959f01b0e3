"""Benchmarks. `interviewer bench scoring --data FILE.jsonl [FILE ...] [--examples K
[--seeds S]] [--json]`.

Scores every answer of a graded-answers file (shared/bench/FORMAT.md) against its reference
answers (the best-supporting reference wins) with the evaluator the app ships, and compares
with the human scores. Nothing is fit, tuned or calibrated on the file being evaluated: the
correct/incorrect threshold is the one stored in the artifact.

With `--examples K`, each question's graded examples are K of its own rows, drawn at random
(seeded), as a recruiter's first K grades would be; those rows are not scored, the rest are
scored with the examples (bot/evaluator/examples.py), and the metrics are averaged over S
draws. Questions with fewer than K + 3 rows are left out, and counted. `--examples 0` is the
plain benchmark.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from bot import commandline
from bot.core.errors import BotError, InputError
from bot.evaluator.data import Row, jsonl_paths, read_rows
from bot.evaluator.metrics import agreement, macro_f1_labels
from bot.evaluator.rubric import Pair, PairJudge, Verdict
from bot.settings import Settings

KEYS = ("pearson", "spearman", "rmse", "auc", "macro_f1", "qwk", "rows", "rows_per_s", "median_ms")


BATCH_ROWS = 16  # rows scored per call, as a server batches answers from several candidates


def score_rows(judge: PairJudge, rows: Sequence[Row]) -> list[Verdict]:
    """Per row, the verdict of the reference the answer agrees with most (one batched call)."""
    keys = [
        (i, Pair(ref, r.answer, r.question)) for i, r in enumerate(rows) for ref in r.references
    ]
    verdicts = judge.judge([p for _, p in keys])
    best: dict[int, Verdict] = {}
    for (i, _), v in zip(keys, verdicts, strict=True):
        if i not in best or v.support > best[i].support:
            best[i] = v
    return [best[i] for i in range(len(rows))]


def bench_rows(judge: PairJudge, rows: Sequence[Row]) -> tuple[list[Verdict], list[float]]:
    """Verdicts and per-row wall-clock seconds (a batch's time shared by its rows)."""
    verdicts: list[Verdict] = []
    seconds: list[float] = []
    for start in range(0, len(rows), BATCH_ROWS):
        chunk = rows[start : start + BATCH_ROWS]
        began = time.perf_counter()
        verdicts += score_rows(judge, chunk)
        seconds += [(time.perf_counter() - began) / len(chunk)] * len(chunk)
    return verdicts, seconds


def summarise(
    judge: PairJudge, rows: Sequence[Row], verdicts: Sequence[Verdict], seconds: Sequence[float]
) -> dict[str, Any]:
    """Every FORMAT.md metric for these rows (None where one does not apply)."""
    lo = min(r.score_min for r in rows)
    hi = max(r.score_max for r in rows)
    metrics: dict[str, Any] = agreement(
        [v.support for v in verdicts], [r.score for r in rows], lo, hi, judge.threshold
    )
    metrics["rows"] = len(rows)
    metrics["rows_per_s"] = round(len(rows) / max(sum(seconds), 1e-9), 1)
    metrics["median_ms"] = round(statistics.median(seconds) * 1000, 2)
    labels = [r.label for r in rows]
    three = ("correct", "contradictory", "incorrect")
    if all(label in three for label in labels):  # extra: 3-way macro-F1 where the data has it
        pred = [max(three, key=lambda k: v.probabilities()[k]) for v in verdicts]
        metrics["macro_f1_3way"] = macro_f1_labels(pred, [str(x) for x in labels])
    return metrics


def bench_file(judge: PairJudge, path: Path) -> dict[str, dict[str, Any]]:
    """Metrics for the file, plus one entry per dataset when the file mixes datasets."""
    every = read_rows(path)
    rows = [r for r in every if not r.placeholder]  # "No response." flatters any correlation
    if not rows:
        raise InputError(f"{path}: no answered rows to score")
    verdicts, seconds = bench_rows(judge, rows)
    out = {path.name: summarise(judge, rows, verdicts, seconds)}
    out[path.name]["placeholders_left_out"] = len(every) - len(rows)
    datasets = sorted({r.dataset for r in rows})
    if len(datasets) > 1:
        for name in datasets:
            idx = [i for i, r in enumerate(rows) if r.dataset == name]
            out[f"{path.name} [{name}]"] = summarise(
                judge, [rows[i] for i in idx], [verdicts[i] for i in idx], [seconds[i] for i in idx]
            )
    return out


def bench_with_examples(
    judge: PairJudge, path: Path, k: int, seeds: int
) -> dict[str, dict[str, Any]]:
    """Metrics with K graded examples per question, averaged over `seeds` draws."""
    import random

    from bot.evaluator.examples import Graded, opinion

    rows = [r for r in read_rows(path) if not r.placeholder]
    if not rows:
        raise InputError(f"{path}: no answered rows to score")
    verdicts, seconds = bench_rows(judge, rows)
    lo, hi = min(r.score_min for r in rows), max(r.score_max for r in rows)
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(r.group, []).append(i)
    kept = {g: idx for g, idx in groups.items() if len(idx) >= k + 3}
    runs: list[dict[str, Any]] = []
    for seed in range(seeds):
        rng = random.Random(seed)
        scored_rows: list[Row] = []
        scores: list[float] = []
        own_scores: list[float] = []  # the same rows without examples, to compare like for like
        for idx in kept.values():
            drawn = rng.sample(idx, k)
            examples = [
                Graded(rows[i].answer, _level(rows[i].unit_score), verdicts[i].support)
                for i in drawn
            ]
            for i in idx:
                if i in drawn:
                    continue
                own = verdicts[i].support
                found = opinion(rows[i].answer, examples, judge.relatedness) if k else None
                scores.append(found.blend(own) if found else own)
                own_scores.append(own)
                scored_rows.append(rows[i])
        if not scored_rows:
            break
        human = [r.score for r in scored_rows]
        metrics = agreement(scores, human, lo, hi, judge.threshold)
        alone = agreement(own_scores, human, lo, hi, judge.threshold)["pearson"]
        runs.append({**metrics, "rows": len(scored_rows), "pearson_without_examples": alone})
    keys = [k_ for k_ in runs[0] if all(r.get(k_) is not None for r in runs)] if runs else []
    out: dict[str, Any] = {key: round(statistics.fmean(r[key] for r in runs), 4) for key in keys}
    out.update({
        "examples_per_question": k, "seeds": len(runs), "questions": len(kept),
        "questions_left_out": len(groups) - len(kept),
        "rows_per_s": round(len(rows) / max(sum(seconds), 1e-9), 1),
    })  # fmt: skip
    return {f"{path.name} (examples {k})": out}


def _level(unit: float) -> int:
    """A 0..1 human score as the 1-5 level a recruiter would have given it."""
    return 1 + min(4, int(round(unit * 4)))


def _table(results: dict[str, dict[str, Any]], version: str) -> str:
    def cell(v: Any) -> str:
        return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

    head = ["file"] + list(KEYS) + ["macro_f1_3way"]
    lines = [f"evaluator {version}", "  ".join(head)]
    for name, m in results.items():
        lines.append("  ".join([name] + [cell(m.get(k)) for k in head[1:]]))
    return "\n".join(lines)


@click.command("scoring", cls=commandline.Command, help=__doc__)
@click.option("--data", cls=commandline.Words, required=True, metavar="FILE.jsonl ...",
              help="graded-answers JSONL files")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="print one JSON object keyed by file name")
@click.option("--model", metavar="DIR",
              help="evaluator artifact folder (default: settings / shipped artifact)")  # fmt: skip
@click.option("--examples", type=int, default=None, metavar="K",
              help="graded examples per question, drawn from its own rows")  # fmt: skip
@click.option("--seeds", type=int, default=5, show_default=True,
              help="draws averaged with --examples")  # fmt: skip
@click.pass_context
def scoring(
    ctx: click.Context, data: list[str], as_json: bool, model: str | None, examples: int | None,
    seeds: int,
) -> int:  # fmt: skip
    """`interviewer bench scoring`: score graded-answer files and print the metrics."""
    from bot.evaluator import load_judge

    try:
        paths = jsonl_paths(data)
        # Handed in by `scoring_main`; else filled from the environment.
        settings = ctx.find_object(Settings) or Settings()  # type: ignore[call-arg]
        name = model if model is not None else settings.evaluator_model
        judge = load_judge(
            name, settings.model_cache_dir, settings.evaluator_precision == "int8",
            settings.evaluator_threads,
        )
        results: dict[str, dict[str, Any]] = {}
        for path in paths:
            if examples is None:
                results.update(bench_file(judge, path))
            else:
                results.update(bench_with_examples(judge, path, examples, seeds))
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(results))
    else:
        print(_table(results, judge.version))
    return 0


def scoring_main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """`interviewer bench scoring ...` as a function (argv: the words after 'scoring')."""
    return commandline.run(scoring, argv, "interviewer bench scoring", obj=settings)
