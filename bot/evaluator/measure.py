"""Measure the shipped evaluator: test-set agreement, latency, throughput and cold load.

    python -m bot.evaluator.measure [--model DIR] [--out FILE.json]

The figures in bot/evaluator/artifact/MODEL_CARD.md come from this command. Latency is one
answer scored with its key points, the way the interview scores it: beetle test answers
against their question, whose first reference is the reference answer and whose other
references (2-5 of them) act as key points.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.evaluator.data import DEFAULT_DATA_DIR, TEST_FILES, Row, read_rows
from bot.evaluator.rubric import RubricScorer
from bot.templates import Question

COLD = (
    "import time; t = time.perf_counter(); from bot.evaluator import load_scorer; "
    "from bot.settings import Settings; s = load_scorer(Settings(evaluator_model={name!r})); "
    "print(time.perf_counter() - t)"
)


def rubric_questions(rows: list[Row]) -> list[tuple[Question, list[str]]]:
    """Questions with 3-6 references as (reference + 2-5 key points), with their answers."""
    out: dict[str, tuple[Question, list[str]]] = {}
    for r in rows:
        if len(r.references) < 3 or len(r.question) < 10:
            continue
        if r.group not in out:
            refs = r.references[:6]
            q = Question.model_validate({
                "id": r.question_id, "competency": "x", "text": r.question,
                "reference_answer": refs[0],
                "key_points": [{"id": f"k{i}", "text": t} for i, t in enumerate(refs[1:])],
                "anchors": {"1": "none", "3": "partly", "5": "fully"},
            })  # fmt: skip
            out[r.group] = (q, [])
        out[r.group][1].append(r.answer)
    return list(out.values())


def latency(scorer: RubricScorer, rows: list[Row], limit: int = 120) -> dict[str, Any]:
    """Median / p90 ms to score one answer with its key points (one call per answer)."""
    timings, pairs = [], []
    for question, answers in rubric_questions(rows):
        for answer in answers:
            start = time.perf_counter()
            scorer.score(question, answer)
            timings.append((time.perf_counter() - start) * 1000)
            pairs.append(1 + len(question.key_points))
            if len(timings) >= limit:
                break
        if len(timings) >= limit:
            break
    timings.sort()
    return {
        "answers": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p90_ms": round(timings[int(0.9 * len(timings))], 1),
        "key_point_pairs_median": statistics.median(pairs) - 1,
    }


def throughput(judge: Any, rows: list[Row], n: int = 1024) -> dict[str, Any]:
    """Pairs per second when scoring many (reference, answer) pairs in batches."""
    items = [(r.references[0], r.answer) for r in rows][:n]
    start = time.perf_counter()
    judge.probabilities(sorted(items, key=lambda t: len(t[0]) + len(t[1])))
    seconds = time.perf_counter() - start
    return {"pairs": len(items), "pairs_per_s": round(len(items) / seconds, 1)}


def cold_load(name: str, runs: int = 3) -> dict[str, Any]:
    """Seconds from a fresh interpreter to a loaded scorer (imports included), median of runs."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD.format(name=name)],
            capture_output=True, text=True, check=True, env=env,
        )  # fmt: skip
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return {"median_s": round(statistics.median(times), 2), "runs": [round(t, 2) for t in times]}


def main(argv: list[str] | None = None) -> int:
    """Print (and optionally save) every figure the model card quotes."""
    from bot.bench import bench_file
    from bot.evaluator import load_judge

    p = argparse.ArgumentParser(prog="python -m bot.evaluator.measure")
    p.add_argument("--model", default="", help="artifact folder (default: the shipped one)")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    p.add_argument("--out", type=Path)
    p.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's)")
    args = p.parse_args(argv)
    import torch

    if args.threads:
        os.environ["INTERVIEWER_TORCH_THREADS"] = str(args.threads)
        torch.set_num_threads(args.threads)

    judge = load_judge(args.model)
    rows = [r for f in TEST_FILES for r in read_rows(args.data_dir / f)]
    report: dict[str, Any] = {
        "version": judge.version,
        "threads": torch.get_num_threads(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    report["cold_load"] = cold_load(args.model)
    report["latency"] = latency(RubricScorer(judge), rows)
    report["throughput"] = throughput(judge, rows)
    report["bench"] = {}
    for name in TEST_FILES:
        report["bench"].update(bench_file(judge, args.data_dir / name))
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
