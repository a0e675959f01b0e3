"""Scoring with graded examples: what a person who knows the question says its levels sound like.

A question may carry examples (HR's, in the template; and every answer a recruiter grades).
They do two things, each shrunk towards the evaluator's own score while they are few:

1. Calibration. The evaluator's own scores of the examples, against their grades, give a
   straight line from its score to the graders' scale for this question (a ridge fit that
   stays near "no change" on little evidence). A question whose weak answers the evaluator
   rates highly (a question it never saw) is corrected; the order in which it ranks answers
   is kept. Counts K / (K + 5).
2. Neighbours. With 3 or more examples, each new answer is compared with them by meaning (the
   sentence encoder's cosine); their grades, weighted by likeness (a softmax at temperature
   TAU), are a second opinion. How much it counts is decided per question, from the examples
   themselves: K / (K + 3) * calibrated_error / (calibrated_error + neighbours_error), where
   the neighbours' error is each example's grade against what the others predict for it.

With no examples the score is exactly the evaluator's own. Chosen by measurement (README,
"Measured"; `interviewer bench scoring --examples K`): on SemEval and SAF answers, with the
shipped evaluator (which was trained on those questions) Pearson 0.751 -> 0.758 (K = 3) and
0.766 (K = 10); with an evaluator that never saw the questions (the untrained sentence
encoder's cosine to the reference, 0.479) -> 0.636 and 0.706.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

TAU = 0.05  # softmax temperature over cosines: the nearest examples speak loudest
CALIBRATION_PRIOR = 5.0  # the line counts K / (K + 5)
NEIGHBOUR_PRIOR = 3.0  # the neighbours count at most K / (K + 3)
NEIGHBOURS_FROM = 3  # examples needed before neighbours speak at all
RIDGE = 0.02  # keeps the line's slope near 1 when the examples' scores barely differ
FLOOR = 0.01  # keeps either error from being exactly zero on a handful of examples
DISAGREE = 0.3  # the evaluator and the examples this far apart: a person should look


@dataclass(frozen=True)
class Graded:
    """One example: its text, its level (1-5), and the evaluator's own score of it."""

    text: str
    level: int
    base: float  # the evaluator's 0..1 score of this text, without examples
    source: str = "template"  # 'template' (HR) or 'recruiter'

    @property
    def target(self) -> float:
        return (self.level - 1) / 4


@dataclass(frozen=True)
class Opinion:
    """What the examples say of an answer: a line from the evaluator's scores to the graders'
    scale, and their neighbours' view of this answer, each with the share it counts."""

    slope: float
    intercept: float
    line_weight: float
    neighbours: float  # 0..1, the nearest examples' grades weighted by likeness
    weight: float  # 0..1, the neighbours' share
    nearest: Graded  # the most alike example
    likeness: float  # its cosine with the answer
    count: int

    def calibrated(self, own: float) -> float:
        line = self.slope * own + self.intercept
        return min(1.0, max(0.0, (1 - self.line_weight) * own + self.line_weight * line))

    def blend(self, own: float) -> float:
        return (1 - self.weight) * self.calibrated(own) + self.weight * self.neighbours


def _softmax_mean(cosines: Sequence[float], values: Sequence[float]) -> float:
    top = max(cosines)
    weights = [math.exp((c - top) / TAU) for c in cosines]
    total = sum(weights)
    return sum(w * v for w, v in zip(weights, values, strict=True)) / total


def _line(examples: Sequence[Graded]) -> tuple[float, float]:
    """Ridge least squares of grade on the evaluator's score over the examples."""
    xs = [e.base for e in examples]
    ys = [e.target for e in examples]
    if len(set(ys)) < 2:
        return 1.0, 0.0  # one level only says nothing about the scale
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs) / len(xs)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / len(xs)
    slope = (cov + RIDGE) / (var + RIDGE)
    return slope, my - slope * mx


def opinion(
    answer: str, examples: Sequence[Graded], cosines: Callable[[list[tuple[str, str]]], list[float]]
) -> Opinion | None:
    """The examples' opinion of `answer` (None without examples)."""
    if not examples:
        return None
    k = len(examples)
    slope, intercept = _line(examples)
    line_weight = k / (k + CALIBRATION_PRIOR)
    pairs = [(answer, e.text) for e in examples]
    if k >= NEIGHBOURS_FROM:
        pairs += [(a.text, b.text) for a in examples for b in examples if a is not b]
    found = cosines(pairs)
    to_answer = found[:k]
    neighbours = _softmax_mean(to_answer, [e.target for e in examples])
    nearest = max(range(k), key=lambda i: to_answer[i])
    weight = 0.0
    if k >= NEIGHBOURS_FROM:
        among, errors, at = found[k:], [], 0
        for i in range(k):  # leave one out: what the others predict for example i
            row = among[at : at + k - 1]
            at += k - 1
            others = [e.target for j, e in enumerate(examples) if j != i]
            errors.append((_softmax_mean(row, others) - examples[i].target) ** 2)
        neighbours_error = sum(errors) / k + FLOOR
        probe = Opinion(slope, intercept, line_weight, 0.0, 0.0, examples[0], 0.0, k)
        line_error = sum((probe.calibrated(e.base) - e.target) ** 2 for e in examples) / k
        line_error += FLOOR
        weight = k / (k + NEIGHBOUR_PRIOR) * line_error / (line_error + neighbours_error)
    return Opinion(slope, intercept, line_weight, neighbours, weight, examples[nearest],
                   to_answer[nearest], k)  # fmt: skip


def agreement(examples: Sequence[Graded]) -> tuple[float | None, int]:
    """How well the evaluator's own scores agree with the examples' grades: Pearson r over
    them (None with fewer than 3 or no spread), and how many there are."""
    if len(examples) < 3:
        return None, len(examples)
    xs = [e.base for e in examples]
    ys = [e.target for e in examples]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None, len(examples)
    r = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)
    return r, len(examples)
