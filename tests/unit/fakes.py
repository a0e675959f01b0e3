"""Small typed fakes for the service's ports: logic tests need no models."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.errors import ModelBusy
from bot.core.policy import DEFERRAL
from bot.ports import AnswerScore, KeyPointResult, Snippet, Written
from bot.roles.schema import KeyPoint, Question, RoleTemplate


class FakeScorer:
    """Covers a key point when the answer mentions its first word; remembers what it scored."""

    version = "fake-scorer@1"

    def __init__(self) -> None:
        self.scored: list[tuple[str, str]] = []
        # question id -> (text, level) of the recruiters' examples it was last scored with
        self.examples: dict[str, list[tuple[str, int]]] = {}

    def score(self, question: Question, answer: str, examples=()) -> AnswerScore:
        self.scored.append((question.id, answer))
        self.examples[question.id] = [(e.text, e.level) for e in examples]
        results = tuple(
            KeyPointResult(k.id, k.text.split()[0].lower() in answer.lower(), False, 1.0, None)
            for k in question.key_points
        )
        covered = sum(r.covered for r in results) / len(results)
        return AnswerScore(
            score=covered,
            level=1 + round(4 * covered),
            label="correct" if covered == 1 else "incorrect",
            probabilities={"correct": covered, "contradictory": 0.0, "incorrect": 1 - covered},
            key_points=results,
            explanation="fake",
            model_version=self.version,
        )


class FakeWriter:
    """Returns queued texts; with an empty queue, falls back the way the real writer does."""

    version = "fake-writer@1"

    def __init__(self) -> None:
        self.queue: list[str] = []
        self.fail = False
        self.busy = False

    def enqueue(self, *texts: str) -> FakeWriter:
        self.queue.extend(texts)
        return self

    def _next(self, fallback: str) -> Written:
        if self.fail:
            raise RuntimeError("model crashed")
        if self.busy:
            raise ModelBusy("the model was still busy after 2s")
        if self.queue:
            return Written(self.queue.pop(0), "model", self.version)
        return Written(fallback, "fallback", self.version, rejected="empty queue")

    def probe(
        self, question: Question, answer: str, missing: Sequence[KeyPoint], asked: Sequence[str]
    ) -> Written:
        return self._next(question.probe_for(missing[0]))

    def acknowledge(self, question: Question, answer: str, asked: Sequence[str]) -> Written:
        return self._next("Thank you.")


class FakeRetriever:
    def __init__(self, snippets: Sequence[Snippet] = ()) -> None:
        self.snippets = list(snippets)

    def retrieve(self, role: RoleTemplate, query: str, k: int = 4) -> list[Snippet]:
        return self.snippets[:k]

    def answer(self, role: RoleTemplate, question: str, k: int = 12) -> Written:
        """The first passage quoted, or a deferral when there is none (the choice of passage
        is tested against the real embeddings in tests/integration/test_answers.py)."""
        if not self.snippets:
            return Written(DEFERRAL, "fallback", "documents", rejected="no passage")
        return Written(f"> {self.snippets[0].text}", "documents", "documents",
                       sources=(self.snippets[0],))  # fmt: skip
