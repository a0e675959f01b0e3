"""Measure the generator: GGUF conversion, cached load, a probe and an acknowledgement.

    python -m bot.generator.measure [--bench] [--runs N]
    python -m bot.generator.measure --decode     # the packaged GGUF's tokens/s on llama.cpp
    python -m bot.generator.measure --contention # a turn's generation, idle and evaluator busy
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.generator.backends import Backend, open_backend, prepare_model
from bot.settings import Settings


def bench(settings: Settings, runs: int = 5) -> dict[str, float]:
    """Seconds: preparing the model in a scratch cache, cached load, a probe, an acknowledgement."""

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        fresh = settings.model_copy(
            update={"home": Path(scratch), "models_dir": None}
        )
        started = time.perf_counter()
        prepare_model(fresh)
        figures["prepare_fresh_s"] = time.perf_counter() - started
    started = time.perf_counter()
    prepare_model(settings)
    figures["prepare_cached_s"] = time.perf_counter() - started
    started = time.perf_counter()
    backend = open_backend(settings)
    figures["load_cached_s"] = time.perf_counter() - started
    figures |= measure_latency(settings, backend, runs=runs)
    return figures


def measure_latency(settings: Settings, backend: Backend, runs: int = 5) -> dict[str, float]:
    """Median seconds for a probe and an acknowledgement, and the share the model's text won."""
    from bot.generator.writer import ModelWriter, load_prompts

    writer = ModelWriter(
        backend.chat,
        load_prompts(settings.system_prompts_dir),
        backend.version,
        backend.options,
        remember=False,
    )
    question = _sample_question()
    answers = [
        "I write unit tests with pytest for the views and mock the rest.",
        "Mostly manual testing before a release, and some unit tests.",
        "We run the test suite in CI on every pull request.",
        "I test the happy path with pytest and check the logs.",
        "I use pytest fixtures and a few integration tests.",
    ]
    timings: dict[str, list[float]] = {"probe": [], "acknowledge": []}
    from_model = 0
    for i in range(runs):
        answer = answers[i % len(answers)]
        for kind in timings:
            started = time.perf_counter()
            written = (
                writer.probe(question, answer, question.key_points[1:], [question.text])
                if kind == "probe"
                else writer.acknowledge(question, answer, [question.text])
            )
            timings[kind].append(time.perf_counter() - started)
            from_model += written.source == "model"
            print(
                f"  {kind:>11} {timings[kind][-1]:5.2f}s {written.source:>8}: {written.text}"
                + (f"  [refused: {written.rejected}]" if written.rejected else "")
            )
    return {
        "probe_median_s": statistics.median(timings["probe"]),
        "acknowledge_median_s": statistics.median(timings["acknowledge"]),
        "model_share": from_model / (2 * runs),
    }


def _sample_question() -> Any:
    from bot.roles.schema import Question

    return Question.model_validate(
        {
            "id": "testing",
            "competency": "quality",
            "text": "How do you test a Python web service before it goes to production?",
            "reference_answer": "Unit tests with pytest, integration tests against a real "
            "database, and CI on every change.",
            "key_points": [
                {"id": "unit", "text": "Writes unit tests with pytest"},
                {
                    "id": "db",
                    "text": "Tests against a real database",
                    "probe": "How do you test the parts that talk to the database?",
                },
                {"id": "ci", "text": "Runs the tests in CI on every change"},
            ],
            "anchors": {
                "1": "No testing.",
                "3": "Unit tests only.",
                "5": "Unit, integration and CI.",
            },
        }
    )


def decode_rate(settings: Settings, runs: int = 3, new_tokens: int = 128) -> dict[str, float]:
    """llama.cpp over the configured GGUF, greedy: first-token seconds for a 90-token prompt
    and tokens/s after it, medians of `runs`, with 1 thread and with `generator_threads`."""
    from llama_cpp import Llama

    from bot.generator.backends import _gguf_path

    path = _gguf_path(settings, None)
    figures: dict[str, float] = {"weights_gb": path.stat().st_size / 1e9}
    for threads in sorted({1, settings.generator_threads}):
        llm = Llama(model_path=str(path), n_threads=threads, n_threads_batch=threads,
                    n_ctx=2048, verbose=False)  # fmt: skip
        prompt = llm.tokenize(
            ("You are a structured interviewer. " * 14 + "Write one question.").encode()
        )
        firsts, rates = [], []
        for _ in range(runs):
            started, first, count = time.perf_counter(), 0.0, 0
            for _token in llm.generate(prompt, temp=0.0, reset=True):
                count += 1
                if count == 1:
                    first = time.perf_counter() - started
                if count >= new_tokens:
                    break
            firsts.append(first)
            rates.append((count - 1) / (time.perf_counter() - started - first))
        figures[f"first_token_s_{threads}_threads"] = statistics.median(firsts)
        figures[f"tokens_per_s_{threads}_threads"] = statistics.median(rates)
    return figures


def contention(settings: Settings, runs: int = 3) -> dict[str, float]:
    """Seconds for a 160-token prompt and 32 new tokens through the model's own process,
    with the machine idle and with the evaluator scoring answers nonstop in this process (as
    it does for other candidates): the thread budget is right when the second stays close."""
    import json
    import threading
    import urllib.request

    from bot.evaluator import load_scorer
    from bot.evaluator.data import DEFAULT_DATA_DIR, read_rows
    from bot.evaluator.measure import interview_answers
    from bot.generator.backends import _gguf_path, _gguf_version, model_child

    path = _gguf_path(settings)
    child = model_child(settings, path, _gguf_version(settings, path))
    scorer = load_scorer(settings)
    answers = interview_answers(read_rows(DEFAULT_DATA_DIR / "saf_english_train.jsonl"))[:20]
    words = ("I kept the customer informed and wrote down what we changed. " * 12).split()
    try:
        if not child.self_test("m").ok:
            raise SystemExit(f"the model process failed its self-test: see {child.log_path}")

        def call(i: int) -> float:
            body = {"model": "m", "max_tokens": 32, "temperature": 0, "messages": [
                {"role": "system", "content": f"Run {i}. Summarise the answer in one sentence."},
                {"role": "user", "content": " ".join(words[:120])}]}  # fmt: skip
            request = urllib.request.Request(f"{child.url}/chat/completions",
                json.dumps(body).encode(), {"Content-Type": "application/json"})  # fmt: skip
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=300) as reply:
                json.load(reply)
            return time.perf_counter() - started

        figures = {"idle_s": statistics.median(call(i) for i in range(runs))}
        stop = threading.Event()

        def score_nonstop() -> None:
            while not stop.is_set():
                for question, answer in answers:
                    if stop.is_set():
                        break
                    scorer.score(question, answer)

        busy = threading.Thread(target=score_nonstop)
        busy.start()
        time.sleep(1.0)
        try:
            figures["evaluator_busy_s"] = statistics.median(call(runs + i) for i in range(runs))
        finally:
            stop.set()
            busy.join()
        return figures
    finally:
        child.close()


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.generator.measure [--bench] [--runs N]`: prepare the cache, or measure."""
    import argparse

    from bot.settings import Settings

    parser = argparse.ArgumentParser(
        prog="python -m bot.generator.measure", description=main.__doc__
    )
    parser.add_argument(
        "--bench", action="store_true", help="measure conversion, load and generation"
    )
    parser.add_argument("--decode", action="store_true", help="llama.cpp tokens/s (GGUF)")
    parser.add_argument("--contention", action="store_true", help="a generation while the "
                        "evaluator is busy")  # fmt: skip
    parser.add_argument("--runs", type=int, default=5, help="generations per measured kind")
    args = parser.parse_args(argv)
    settings = Settings()  # type: ignore[call-arg]  # pydantic-settings fills it from the environment
    if args.contention:
        for key, value in contention(settings, runs=min(args.runs, 3)).items():
            print(f"{key:>28}: {value:.2f}")
        return 0
    if args.decode:
        for key, value in decode_rate(settings, runs=min(args.runs, 3)).items():
            print(f"{key:>28}: {value:.2f}")
        return 0
    if not args.bench:
        print(prepare_model(settings))
        return 0
    for key, value in bench(settings, runs=args.runs).items():
        print(f"{key:>24}: {value:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
