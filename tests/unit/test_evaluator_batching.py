"""Concurrent turns share model calls: each caller gets exactly its own verdicts back."""

from __future__ import annotations

import threading
import time

import pytest

from bot.evaluator.batching import BatchingJudge
from bot.evaluator.rubric import Pair, Verdict


class CountingJudge:
    version, threshold = "count-1", 0.5

    def __init__(self) -> None:
        self.calls: list[int] = []

    def judge(self, pairs):
        self.calls.append(len(pairs))
        time.sleep(0.05)  # a model call takes a while: requests arriving meanwhile queue up
        return [Verdict(0, 0, 1, 0, support=float(len(p.answer))) for p in pairs]

    def relatedness(self, items):
        if any(a == "boom" for a, _ in items):
            raise RuntimeError("model failed")
        return [float(len(b)) for _, b in items]


def test_concurrent_callers_are_batched_and_each_gets_its_own_verdicts():
    inner = CountingJudge()
    judge = BatchingJudge(inner)
    results: dict[int, list[float]] = {}

    def ask(i: int) -> None:
        pairs = [Pair("ref", "x" * (i * 10 + k)) for k in range(3)]
        results[i] = [v.support for v in judge.judge(pairs)]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: [i * 10.0, i * 10.0 + 1, i * 10.0 + 2] for i in range(20)}
    assert sum(inner.calls) == 60 and len(inner.calls) < 20  # fewer model calls than callers


def test_a_failure_reaches_the_callers_it_belongs_to():
    judge = BatchingJudge(CountingJudge())
    with pytest.raises(RuntimeError, match="model failed"):
        judge.relatedness([("boom", "x")])
    assert judge.relatedness([("a", "xyz")]) == [3.0]
