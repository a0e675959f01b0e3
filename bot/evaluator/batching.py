"""Scoring several candidates' answers in one model pass.

When twenty candidates answer at once, twenty threads asking the model for a few pairs each
would fight over two cores. `BatchingJudge` puts every request on one queue; one worker takes
all that arrived within a few milliseconds, judges their pairs in a single call (one padded
forward pass for many short pairs), and hands each caller its own verdicts.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future
from queue import Empty, Queue

from bot.evaluator.rubric import Pair, PairJudge, Verdict

WAIT_SECONDS = 0.005  # how long the worker waits for more requests to join a batch
MAX_PAIRS = 256  # pairs per model call: beyond this a batch only grows its padding


class BatchingJudge:
    """A PairJudge that batches concurrent calls to another PairJudge on one worker thread."""

    def __init__(self, inner: PairJudge) -> None:
        self.inner = inner
        self.version = inner.version
        self.threshold = inner.threshold
        self.review_below = getattr(inner, "review_below", 0.6)
        self._queue: Queue[tuple[str, Sequence, Future]] = Queue()
        threading.Thread(target=self._work, name="judge", daemon=True).start()

    def judge(self, pairs: Sequence[Pair]) -> list[Verdict]:
        return self._ask("judge", pairs)

    def relatedness(self, items: Sequence[tuple[str, str]]) -> list[float]:
        return self._ask("relatedness", items)

    def _ask(self, kind: str, items: Sequence) -> list:
        if not items:
            return []
        done: Future = Future()
        self._queue.put((kind, list(items), done))
        return done.result()

    def _work(self) -> None:
        while True:
            batch = [self._queue.get()]
            size = len(batch[0][1])
            while size < MAX_PAIRS:
                try:
                    batch.append(self._queue.get(timeout=WAIT_SECONDS))
                except Empty:
                    break
                size += len(batch[-1][1])
            for kind in ("judge", "relatedness"):
                self._run(kind, [b for b in batch if b[0] == kind])

    def _run(self, kind: str, requests: list[tuple[str, Sequence, Future]]) -> None:
        if not requests:
            return
        every = [item for _, items, _ in requests for item in items]
        try:
            found = getattr(self.inner, kind)(every)
        except BaseException as exc:  # noqa: BLE001 - each caller gets the failure as its own
            for _, _, done in requests:
                done.set_exception(exc)
            return
        at = 0
        for _, items, done in requests:
            done.set_result(found[at : at + len(items)])
            at += len(items)
