"""Rubric scoring: one answer against its reference answer and each key point.

Pure logic over a `PairJudge` (the model adapter): it asks the judge about every
(reference-or-key-point, answer-or-sentence) pair in one batch and combines the verdicts into
an `AnswerScore` a recruiter can read: a 0..1 score, a 1-5 level, covered / missing /
contradicted key points with the answer sentence that shows each, and an explanation that
quotes that evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.evaluator.text import clip, evidence_units, quote
from bot.ports import AnswerScore, KeyPointResult, Label
from bot.templates import Question

LABELS: tuple[Label, ...] = ("correct", "contradictory", "incorrect")
REFERENCE_WEIGHT = (
    0.5  # share of the score from answer-vs-reference; the rest is key-point coverage
)
LEVEL_CUTS = (0.2, 0.4, 0.6, 0.8)  # score -> level 1..5 in equal bands


@dataclass(frozen=True)
class Pair:
    """What the judge compares: a reference (answer or key point) and an answer (or sentence)."""

    reference: str
    answer: str
    question: str = ""


@dataclass(frozen=True)
class Verdict:
    """The judge's view of one pair: a 3-way distribution and a 0..1 support score."""

    correct: float
    contradictory: float
    incorrect: float
    support: float  # 0..1; >= the judge's threshold means "says what the reference says"

    def probabilities(self) -> dict[str, float]:
        return {
            "correct": self.correct,
            "contradictory": self.contradictory,
            "incorrect": self.incorrect,
        }


class PairJudge(Protocol):
    """A model that says whether an answer says what a reference says (the evaluator's port)."""

    version: str
    threshold: float  # fixed when the model was built; never tuned on what it scores

    def judge(self, pairs: Sequence[Pair]) -> list[Verdict]: ...


@dataclass(frozen=True)
class _PointView:
    support: Verdict  # the verdict of the sentence that best supports the point
    evidence: str
    contradicted_by: str | None


class RubricScorer:
    """Scores answers on a question's rubric with one batched call to a PairJudge."""

    def __init__(self, judge: PairJudge, answer_char_limit: int = 4000) -> None:
        self.judge = judge
        self.version = judge.version
        self.answer_char_limit = answer_char_limit

    def score(self, question: Question, answer: str) -> AnswerScore:
        """Score one answer: vs the reference answer, and each key point vs its sentences."""
        text = clip(answer.strip(), self.answer_char_limit)
        units = evidence_units(text)
        if not units:
            return self._empty(question)
        # The whole answer is judged against the reference answer; each key point against each
        # sentence, so a covered point always has a sentence that covers it on its own (judging
        # a point against the whole answer credited on-topic answers with points they lack).
        pairs = [Pair(question.reference_answer, text, question.text)]
        for point in question.key_points:
            pairs += [Pair(point.text, unit, question.text) for unit in units]
        verdicts = self.judge.judge(pairs)
        reference, rest = verdicts[0], verdicts[1:]
        n = len(units)
        views = [
            self._view(rest[i * n : (i + 1) * n], units) for i in range(len(question.key_points))
        ]
        return self._combine(question, reference, views)

    def _view(self, verdicts: Sequence[Verdict], units: Sequence[str]) -> _PointView:
        best = max(range(len(units)), key=lambda i: verdicts[i].support)
        against = max(
            range(len(units)), key=lambda i: verdicts[i].contradictory - verdicts[i].correct
        )
        v = verdicts[against]
        contradicted = v.contradictory >= 0.5 and v.contradictory > v.correct
        return _PointView(verdicts[best], units[best], units[against] if contradicted else None)

    def _combine(
        self, question: Question, reference: Verdict, views: list[_PointView]
    ) -> AnswerScore:
        threshold = self.judge.threshold
        results = tuple(
            KeyPointResult(
                key_point_id=point.id,
                covered=view.support.support >= threshold and view.contradicted_by is None,
                contradicted=view.contradicted_by is not None,
                score=round(view.support.support, 4),
                evidence=view.contradicted_by
                or (view.evidence if view.support.support >= threshold else None),
            )
            for point, view in zip(question.key_points, views, strict=True)
        )
        coverage = sum(v.support.support for v in views) / len(views)
        score = REFERENCE_WEIGHT * reference.support + (1 - REFERENCE_WEIGHT) * coverage
        probs: dict[str, float] = {
            name: REFERENCE_WEIGHT * reference.probabilities()[name]
            + (1 - REFERENCE_WEIGHT)
            * sum(v.support.probabilities()[name] for v in views)
            / len(views)
            for name in LABELS
        }
        label = _label(score, probs, threshold, any(r.contradicted for r in results))
        level = level_for(score)
        return AnswerScore(
            score=round(score, 4),
            level=level,
            label=label,
            probabilities={k: round(v, 4) for k, v in probs.items()},
            key_points=results,
            explanation=explain(question, results, reference, level, threshold),
            model_version=self.version,
        )

    def _empty(self, question: Question) -> AnswerScore:
        results = tuple(
            KeyPointResult(
                key_point_id=p.id, covered=False, contradicted=False, score=0.0, evidence=None
            )
            for p in question.key_points
        )
        missing = ", ".join(quote(p.text) for p in question.key_points)
        return AnswerScore(
            score=0.0,
            level=1,
            label="incorrect",
            probabilities={"correct": 0.0, "contradictory": 0.0, "incorrect": 1.0},
            key_points=results,
            explanation=f"No answer was given. Missing: {missing}.",
            model_version=self.version,
        )


def _label(score: float, probs: dict[str, float], threshold: float, contradicted: bool) -> Label:
    if score >= threshold and not contradicted:
        return "correct"
    if contradicted or probs["contradictory"] > probs["incorrect"]:
        return "contradictory"
    return "incorrect"


def level_for(score: float) -> int:
    """The 1-5 level for a 0..1 score (equal bands)."""
    return 1 + sum(score >= cut for cut in LEVEL_CUTS)


def explain(
    question: Question,
    results: Sequence[KeyPointResult],
    reference: Verdict,
    level: int,
    threshold: float,
) -> str:
    """A recruiter-readable account that quotes the answer sentences behind the score."""
    texts = {p.id: p.text for p in question.key_points}
    parts = [
        f"Level {level} of 5. Against the reference answer: {_agreement(reference, threshold)}."
    ]
    for r in results:
        if r.contradicted and r.evidence:
            parts.append(f"Contradicts {quote(texts[r.key_point_id])}: {quote(r.evidence)}.")
        elif r.covered and r.evidence:
            parts.append(f"Covered {quote(texts[r.key_point_id])}: {quote(r.evidence)}.")
    missing = [
        quote(texts[r.key_point_id]) for r in results if not r.covered and not r.contradicted
    ]
    if missing:
        parts.append(f"Missing: {', '.join(missing)}.")
    anchors = question.anchors
    anchor = {1: anchors.level_1, 3: anchors.level_3, 5: anchors.level_5}.get(level)
    if anchor:
        parts.append(f"Anchor for level {level}: {quote(anchor)}.")
    return " ".join(parts)


def _agreement(reference: Verdict, threshold: float) -> str:
    if reference.contradictory >= 0.5 and reference.contradictory > reference.correct:
        return f"contradicts it ({reference.contradictory:.0%})"
    if reference.support >= threshold:
        return f"agrees ({reference.support:.0%})"
    return f"does not say the same ({reference.support:.0%})"
