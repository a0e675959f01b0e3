"""Rubric scoring: one answer against its reference answer and each key point.

Pure logic over a `PairJudge` (the model adapter). The answer is read once per distinct
sentence. Each key point is judged against the few answer passages most related to it
(sentences, their clauses, and neighbouring sentence pairs), so a covered point has a passage
that says it; the whole answer is judged against the reference answer. The result is what a
recruiter reads: a 0..1 score and the 1-5 level it falls in, per key point "covered",
"missing" or "contradicted" with the passage behind the verdict, a confidence, and "needs a
human look" where the evaluator is unsure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.evaluator.examples import DISAGREE, Graded, Opinion, opinion
from bot.evaluator.features import distinct_sentences, says_something
from bot.evaluator.text import clip, evidence_units, quote
from bot.ports import AnswerScore, GradedAnswer, KeyPointResult, Label
from bot.roles.schema import Question

REFERENCE_WEIGHT = 0.4  # share of the score from answer-vs-reference; the rest is key points
LEVEL_CUTS = (0.2, 0.4, 0.6, 0.8)  # score -> level 1..5 in equal bands
CANDIDATES = 3  # passages judged per key point, the ones most related to it
# "Contradicted" needs the passage to be about the point (bi-encoder cosine at least this) and
# the judge to find the opposite, clearly: a point merely absent is "missing".
ON_TOPIC = 0.35
CONTRADICTION = 0.6
REVIEW_BELOW = 0.6  # confidence under which the recruiter sees "needs a human look"
TIE = 0.02  # passages this close in support count as saying the point equally well


@dataclass(frozen=True)
class Pair:
    """What the judge compares: a reference (answer or key point) and an answer (or passage)."""

    reference: str
    answer: str
    question: str = ""


@dataclass(frozen=True)
class Verdict:
    """The judge's view of one pair: the model's 3-way split and grade, the combined 0..1
    support (>= the judge's threshold: says what the reference says) and its confidence."""

    correct: float
    contradictory: float
    incorrect: float
    grade: float
    support: float
    confidence: float = 1.0

    def probabilities(self) -> dict[str, float]:
        return {
            "correct": self.correct,
            "contradictory": self.contradictory,
            "incorrect": self.incorrect,
        }

    @property
    def opposes(self) -> bool:
        """The judge clearly reads the opposite of the reference."""
        return self.contradictory >= CONTRADICTION and self.contradictory > max(
            self.correct, self.incorrect
        )


class PairJudge(Protocol):
    """A model that says whether an answer says what a reference says (the evaluator's port)."""

    version: str
    threshold: float  # fixed when the model was built; never tuned on what it scores

    def judge(self, pairs: Sequence[Pair]) -> list[Verdict]: ...

    def relatedness(self, items: Sequence[tuple[str, str]]) -> list[float]: ...


@dataclass(frozen=True)
class _PointView:
    support: float
    confidence: float
    evidence: str | None
    contradicted_by: str | None


def examples_said(found: Opinion, own: float) -> str:
    """How the graded examples moved the score, in a recruiter's words."""
    who = "HR's" if found.nearest.source == "template" else "a recruiter's"
    plural = "s" if found.count != 1 else ""
    said = (f"With {found.count} graded example{plural} of this question: level "
            f"{level_for(found.blend(own))} (the evaluator alone: "
            f"level {level_for(own)}).")  # fmt: skip
    if found.weight > 0:
        said += (f" The closest is {who} level-{found.nearest.level} example; the examples "
                 f"most like this answer count for {found.weight:.0%}.")  # fmt: skip
    return said


def _digest(question: Question, text: str) -> str:
    import hashlib

    what = "\x00".join([question.id, question.reference_answer,
                        *(p.text for p in question.key_points), text])  # fmt: skip
    return hashlib.blake2b(what.encode("utf-8", "replace"), digest_size=16).hexdigest()


class RubricScorer:
    """Scores answers on a question's rubric with batched calls to a PairJudge."""

    def __init__(
        self, judge: PairJudge, answer_char_limit: int = 4000, review_below: float = REVIEW_BELOW
    ) -> None:
        self.judge = judge
        self.version = judge.version
        self.answer_char_limit = answer_char_limit
        self.review_below = review_below
        self._bases: dict[str, float] = {}  # HR's examples' own scores, by digest

    def score(
        self, question: Question, answer: str, examples: Sequence[GradedAnswer] = ()
    ) -> AnswerScore:
        """Score one answer: vs the reference answer, each key point vs its passages, and,
        where the question has graded examples (HR's, and the recruiters'), vs those."""
        read = self._read(question, answer)
        if read is None:
            return self._empty(question)
        text, reference, views = read
        graded = self._graded(question, examples)
        found = opinion(text, graded, self.judge.relatedness) if graded else None
        return self._combine(question, reference, views, found)

    def base_score(self, question: Question, answer: str) -> float:
        """The evaluator's own 0..1 score, without examples (what an example is checked by)."""
        read = self._read(question, answer)
        if read is None:
            return 0.0
        _, reference, views = read
        return self._combine(question, reference, views, None).score

    def _graded(self, question: Question, given: Sequence[GradedAnswer]) -> list[Graded]:
        """HR's examples and the given ones, each with the evaluator's own score of it (HR's
        scored once per question version and process, and remembered)."""
        out = []
        for example in question.examples:
            key = _digest(question, example.answer)
            if key not in self._bases:
                if len(self._bases) > 10_000:
                    self._bases.clear()
                self._bases[key] = self.base_score(question, example.answer)
            out.append(Graded(example.answer, example.level, self._bases[key], "template"))
        for g in given:
            base = g.base if g.base is not None else self.base_score(question, g.text)
            out.append(Graded(g.text, g.level, base, g.source))
        return out

    def prepare(self, question: Question) -> None:
        """Score HR's examples of a question now (at start), not in a candidate's turn."""
        self._graded(question, ())

    def _read(
        self, question: Question, answer: str
    ) -> tuple[str, Verdict, list[_PointView]] | None:
        # Each sentence once, then the length limit: saying it again never fills the window.
        sentences = within(distinct_sentences(answer), self.answer_char_limit)
        if not sentences:
            return None
        text = " ".join(sentences)
        units = passages(sentences)
        points = [p.text for p in question.key_points]
        related = self.judge.relatedness([(p, u) for p in points for u in units])
        n = len(units)
        chosen = [
            sorted(range(n), key=lambda j: -related[i * n + j])[:CANDIDATES]
            for i in range(len(points))
        ]
        pairs = [Pair(question.reference_answer, text, question.text)]
        for point, idx in zip(points, chosen, strict=True):
            pairs += [Pair(point, units[j], question.text) for j in idx]
        verdicts = [
            v if says_something(p.answer) else _without_substance(v)
            for p, v in zip(pairs, self.judge.judge(pairs), strict=True)
        ]
        reference, rest = verdicts[0], verdicts[1:]
        views = []
        start = 0
        for i, idx in enumerate(chosen):
            mine = rest[start : start + len(idx)]
            start += len(idx)
            views.append(
                self._view(mine, [units[j] for j in idx], [related[i * n + j] for j in idx])
            )
        return text, reference, views

    def _view(
        self, verdicts: Sequence[Verdict], units: Sequence[str], related: Sequence[float]
    ) -> _PointView:
        threshold = self.judge.threshold
        top = max(v.support for v in verdicts)
        # The tightest passage that says it: a sentence rather than the pair it sits in.
        best = min(
            (i for i in range(len(units)) if verdicts[i].support >= top - TIE),
            key=lambda i: len(units[i]),
        )
        v = verdicts[best]
        if v.support >= threshold:
            return _PointView(v.support, v.confidence, units[best], None)
        against = [i for i in range(len(units)) if verdicts[i].opposes and related[i] >= ON_TOPIC]
        if against:
            i = max(against, key=lambda k: verdicts[k].contradictory)
            return _PointView(0.0, verdicts[i].confidence, None, units[i])
        return _PointView(v.support, v.confidence, None, None)

    def _combine(
        self, question: Question, reference: Verdict, views: list[_PointView],
        examples: Opinion | None = None,
    ) -> AnswerScore:  # fmt: skip
        results = tuple(
            KeyPointResult(
                key_point_id=point.id,
                covered=view.evidence is not None,
                contradicted=view.contradicted_by is not None,
                score=round(view.support, 4),
                evidence=view.contradicted_by or view.evidence,
                confidence=round(view.confidence, 4),
                needs_review=view.confidence < self.review_below,
            )
            for point, view in zip(question.key_points, views, strict=True)
        )
        coverage = sum(v.support for v in views) / len(views) if views else reference.support
        own = REFERENCE_WEIGHT * reference.support + (1 - REFERENCE_WEIGHT) * coverage
        score = examples.blend(own) if examples else own
        level = level_for(score)
        contradicted = any(r.contradicted for r in results) or reference.opposes
        confidence = min([reference.confidence] + [v.confidence for v in views])
        explanation = explain(question, results, reference, level, self.judge.threshold)
        # The evaluator and the graded examples far apart, with the examples counting: a
        # person should look at this one.
        disputed = bool(examples and abs(score - own) >= DISAGREE)
        if examples:
            explanation += " " + examples_said(examples, own)
        return AnswerScore(
            score=round(score, 4),
            level=level,
            label=label_for(level, contradicted),
            probabilities={k: round(v, 4) for k, v in reference.probabilities().items()},
            key_points=results,
            explanation=explanation,
            model_version=self.version,
            confidence=round(confidence, 4),
            needs_review=confidence < self.review_below or disputed,
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


def _without_substance(v: Verdict) -> Verdict:
    """Key words recited with nothing said about them cover no point: a third of the support,
    never past the threshold."""
    support = min(v.support / 3, 0.3)
    return Verdict(v.correct, v.contradictory, v.incorrect, v.grade, support, v.confidence)


def within(sentences: Sequence[str], limit: int) -> list[str]:
    """The first sentences that fit in `limit` characters (at least part of the first)."""
    out: list[str] = []
    used = 0
    for s in sentences:
        if used + len(s) > limit:
            if not out:
                out.append(clip(s, limit))
            break
        out.append(s)
        used += len(s) + 1
    return out


def passages(sentences: Sequence[str]) -> list[str]:
    """What a key point is checked against: each sentence, the clauses of compound ones, and
    each pair of neighbouring sentences (a point made over two sentences)."""
    units = evidence_units(" ".join(sentences))
    pairs = [f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)]
    return list(dict.fromkeys(units + pairs))


def label_for(level: int, contradicted: bool) -> Label:
    """The word beside the level; it always agrees with the level."""
    if level >= 4:
        return "correct"
    if contradicted:
        return "contradictory"
    return "partial" if level == 3 else "incorrect"


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
    """A recruiter-readable account that quotes the answer passages behind the score."""
    texts = {p.id: p.text for p in question.key_points}
    parts = [
        f"Level {level} of 5. Against the reference answer: {_agreement(reference, threshold)}."
    ]
    for r in results:
        if r.contradicted and r.evidence:
            parts.append(f"Says the opposite of {quote(texts[r.key_point_id])}: "
                         f"{quote(r.evidence)}.")  # fmt: skip
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
    if reference.opposes:
        return f"says the opposite ({reference.contradictory:.0%})"
    if reference.support >= threshold:
        return f"agrees ({reference.support:.0%})"
    return f"does not say the same ({reference.support:.0%})"
