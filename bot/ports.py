"""The plain data that crosses between parts, and the ports (Protocols) the adapters fill.

Nothing here imports a library adapter: the interview logic depends on these, adapters
(generator, knowledge, evaluator, store) implement them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from bot.roles.schema import KeyPoint, Question, RoleTemplate

# The word beside a level: "correct" (levels 4-5), "partial" (3), "incorrect" (1-2), or
# "contradictory" where the answer says the opposite of the rubric (levels 1-3).
Label = Literal["correct", "partial", "contradictory", "incorrect"]
# How a recruiter reads each label.
LABEL_WORDS: dict[str, str] = {
    "correct": "meets the rubric",
    "partial": "partly meets the rubric",
    "incorrect": "does not meet the rubric",
    "contradictory": "says the opposite of the rubric",
}
NEEDS_REVIEW = "needs a human look"


@dataclass(frozen=True)
class Snippet:
    """A piece of a knowledge document, with where it came from."""

    text: str
    source: str  # path under knowledge/, e.g. "jobs/backend-python.md"
    heading: str  # nearest Markdown heading ("" for plain text)
    distance: float = 0.0


@dataclass(frozen=True)
class KeyPointResult:
    """Whether one key point is covered, and the answer sentence that shows it."""

    key_point_id: str
    covered: bool
    contradicted: bool
    score: float  # 0..1 support for this point
    evidence: str | None  # the answer sentence that covers (or contradicts) it
    confidence: float = 1.0  # 0..1: how sure the evaluator is of this verdict
    needs_review: bool = False  # unsure: a person should read this point


@dataclass(frozen=True)
class AnswerScore:
    """What the evaluator says of one answer. A recruiter reads this; a person decides."""

    score: float  # 0..1
    level: int  # 1..5 on the template's anchors
    label: Label
    probabilities: dict[str, float]  # correct / contradictory / incorrect
    key_points: tuple[KeyPointResult, ...]
    explanation: str  # quotes the evidence
    model_version: str
    confidence: float = 1.0  # 0..1: how sure the evaluator is of this score
    needs_review: bool = False  # unsure: the recruiter sees "needs a human look"

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(k.key_point_id for k in self.key_points if not k.covered)

    @property
    def to_probe(self) -> tuple[str, ...]:
        """The missing key points in the order a probe asks for them: a contradicted one, then
        the least supported (the most plainly missing), not the template's order. Measured on
        90 answers written and labelled apart from the evaluator (README, "Probes"), this
        asked for a point the answer had said 19 times in 58 probes, against 22 for the first
        missing point; leaving out points the evaluator is unsure of asked 15 times in 42
        but left 12 more answers that lacked a point unprobed."""
        missing = [k for k in self.key_points if not k.covered]
        ranked = sorted(missing, key=lambda k: (not k.contradicted, k.score))
        return tuple(k.key_point_id for k in ranked)


@dataclass(frozen=True)
class GradedAnswer:
    """An answer a person graded for a question (a recruiter's grade, kept as an example):
    the evaluator learns the question from these as well as from HR's own examples."""

    text: str
    level: int  # 1..5
    base: float | None = None  # the evaluator's own 0..1 score of it, when known
    source: str = "recruiter"


class Scorer(Protocol):
    """Scores an answer against its question's rubric (and its graded examples)."""

    version: str

    def score(
        self, question: Question, answer: str, examples: Sequence[GradedAnswer] = ()
    ) -> AnswerScore: ...


class QuestionWriter(Protocol):
    """Phrases what is said between core questions; never decides, never invents criteria."""

    version: str

    def probe(
        self, question: Question, answer: str, missing: Sequence[KeyPoint], asked: Sequence[str]
    ) -> Written: ...

    def acknowledge(self, question: Question, answer: str, asked: Sequence[str]) -> Written: ...


@dataclass(frozen=True)
class Written:
    """A text for the candidate, and whether it came from the model or HR's fallback."""

    text: str
    source: Literal["model", "fallback", "documents", "script"]  # documents: a quote, no model
    model_version: str
    rejected: str | None = None  # why the model's text was refused, when it was
    sources: tuple[Snippet, ...] = field(default_factory=tuple)


class Retriever(Protocol):
    """Knowledge for a role (its own documents and the company's): passages, and candidates'
    questions answered by quoting them or deferred. No model writes an answer."""

    def retrieve(self, role: RoleTemplate, query: str, k: int = 4) -> list[Snippet]: ...

    def answer(self, role: RoleTemplate, question: str, k: int = 12) -> Written: ...
