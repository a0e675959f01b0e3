"""Measure the shipped evaluator: interview-answer latency, throughput and cold load.

    python -m bot.evaluator.measure [--model DIR] [--threads N] [--precision fp32|int8]
                                    [--out FILE.json]

Latency is one interview-sized answer scored with its key points, the way the interview
scores it: SAF answers of 90-150 words to their question, whose reference answer is split into
its first four statements as key points. The held-in figures are `bench scoring` on the two
short-answer test files and SAF's unseen-answer rows (never trained on). Cold load is a fresh
interpreter importing the package and loading the scorer (its ONNX export already cached).
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
from bot.evaluator.features import distinct_sentences
from bot.evaluator.rubric import RubricScorer
from bot.roles.schema import Question

COLD = (
    "import time; t = time.perf_counter(); from bot.evaluator import load_scorer; "
    "from bot.settings import Settings; s = load_scorer(Settings(evaluator_model={name!r}, "
    "evaluator_precision={precision!r}, evaluator_threads={threads})); "
    "print(time.perf_counter() - t)"
)
KEY_POINTS = 4


def interview_answers(
    rows: list[Row], low: int = 90, high: int = 150
) -> list[tuple[Question, str]]:
    """(question with four key points, answer) for long answers with a multi-part reference."""
    out = []
    for r in rows:
        words = len(r.answer.split())
        points = [s for s in distinct_sentences(r.references[0]) if len(s.split()) >= 3]
        if not (low <= words <= high) or len(points) < KEY_POINTS:
            continue
        try:  # HR's rules apply to these references too ("visa versa" reads as a visa)
            q = Question.model_validate({
                "id": r.question_id, "competency": "x", "text": r.question,
                "reference_answer": r.references[0],
                "key_points": [{"id": f"k{i}", "text": t[:300]}
                               for i, t in enumerate(points[:KEY_POINTS])],
                "anchors": {"1": "none", "3": "partly", "5": "fully"},
            })  # fmt: skip
        except ValueError:
            continue
        out.append((q, r.answer))
    return out


def latency(scorer: RubricScorer, items: list[tuple[Question, str]]) -> dict[str, Any]:
    """Median / p90 ms to score one answer with its key points (one call per answer)."""
    scorer.score(*items[0])  # the first call pays one-off allocations
    timings = []
    for question, answer in items:
        start = time.perf_counter()
        scorer.score(question, answer)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "answers": len(timings),
        "words_median": statistics.median(len(a.split()) for _, a in items),
        "key_points": KEY_POINTS,
        "median_ms": round(statistics.median(timings), 1),
        "p90_ms": round(timings[int(0.9 * len(timings))], 1),
    }


def cold_load(name: str, precision: str, threads: int, runs: int = 3) -> dict[str, Any]:
    """Seconds from a fresh interpreter to a loaded scorer (imports included), median of runs."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD.format(name=name, precision=precision, threads=threads)],
            capture_output=True, text=True, check=True, env=env,
        )  # fmt: skip
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return {"median_s": round(statistics.median(times), 2), "runs": [round(t, 2) for t in times]}


def main(argv: list[str] | None = None) -> int:
    """Print (and optionally save) every figure the model card quotes."""
    from bot.bench.scoring import bench_file, bench_rows, summarise
    from bot.evaluator import load_judge
    from bot.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bot.evaluator.measure")
    p.add_argument("--model", default="", help="artifact folder (default: the shipped one)")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    p.add_argument("--out", type=Path)
    p.add_argument("--threads", type=int, default=0, help="default: INTERVIEWER_EVALUATOR_THREADS")
    p.add_argument("--precision", choices=("fp32", "int8"), help="the cross-encoder's weights")
    p.add_argument("--answers", type=int, default=60, help="interview answers timed")
    p.add_argument("--no-bench", action="store_true", help="latency and cold load only")
    p.add_argument("--examples", action="store_true",
                   help="only: Pearson with 0 / 3 / 10 graded examples per question")  # fmt: skip
    args = p.parse_args(argv)
    settings = Settings()  # type: ignore[call-arg]  # filled from the environment
    threads = args.threads or settings.evaluator_threads
    precision = args.precision or settings.evaluator_precision
    judge = load_judge(args.model, settings.model_cache_dir, precision == "int8", threads)
    if args.examples:
        print(json.dumps(with_examples(judge, args.data_dir), indent=1))
        return 0
    saf = read_rows(args.data_dir / "saf_english_train.jsonl")
    report: dict[str, Any] = {
        "version": judge.version,
        "runtime": f"onnxruntime, cross-encoder {precision}, sentence encoder int8",
        "threads": threads,
        "cpu": _cpu_name(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    report["cold_load"] = cold_load(args.model, precision, threads)
    report["latency"] = latency(RubricScorer(judge), interview_answers(saf)[: args.answers])
    report["bench"] = {}
    if not args.no_bench:
        for name in TEST_FILES:
            report["bench"].update(bench_file(judge, args.data_dir / name))
        held = [r for r in saf if r.split == "unseen_answers" and not r.placeholder]
        verdicts, seconds = bench_rows(judge, held)
        report["bench"]["saf_unseen_answers"] = summarise(judge, held, verdicts, seconds)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


def with_examples(judge: Any, data_dir: Path, seeds: int = 5) -> dict[str, Any]:
    """Pearson pooled over SemEval's and SAF's questions with 13+ answers, K = 0 / 3 / 10 of
    each question's answers drawn as graded examples (the rest scored), for two evaluators:
    the shipped one (trained on these questions: an optimistic base) and the untrained
    sentence encoder's cosine to the reference (what an evaluator knows of a question it
    never saw: the case examples are for). Mean of `seeds` draws."""
    import random

    import numpy as np
    from scipy.stats import pearsonr

    from bot.bench.scoring import bench_rows
    from bot.evaluator.data import read_rows
    from bot.evaluator.examples import Graded, opinion

    rows = [r for name in (*TEST_FILES, "saf_english_train.jsonl")
            for r in read_rows(data_dir / name) if not r.placeholder]  # fmt: skip
    trained = [v.support for v in bench_rows(judge, rows)[0]]
    cosine = judge.relatedness([(r.answer, r.references[0]) for r in rows])
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(r.group, []).append(i)
    kept = [idx for idx in groups.values() if len(idx) >= 13]
    out: dict[str, Any] = {"questions": len(kept), "answers": sum(len(i) for i in kept)}
    for name, base in (("trained", trained), ("never_saw_the_question", cosine)):
        for k in (0, 3, 10):
            found = []
            for seed in range(seeds if k else 1):
                rng = random.Random(seed)
                pred, human = [], []
                for idx in kept:
                    drawn = rng.sample(idx, k)
                    examples = [Graded(rows[i].answer, 1 + min(4, round(rows[i].unit_score * 4)),
                                       base[i]) for i in drawn]  # fmt: skip
                    for i in idx:
                        if i in drawn:
                            continue
                        view = opinion(rows[i].answer, examples, judge.relatedness) if k else None
                        pred.append(view.blend(base[i]) if view else base[i])
                        human.append(rows[i].unit_score)
                found.append(float(pearsonr(pred, human)[0]))
            out[f"{name}_pearson_k{k}"] = round(float(np.mean(found)), 3)
    return out


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
