"""The small models that turn the evaluator's signals into a score and a confidence (stdlib).

Both are logistic fits on out-of-fold predictions from grouped cross-validation
(bot/evaluator/training/combine.py), stored in evaluator.json, never fit on a test file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

EPS = 1e-4
# The signals, in the order the fits read them: the cross-encoder's P(correct) (as a logit),
# its grade and P(contradictory); the untrained bi-encoder's cosine; content-word recall and
# precision; and the log ratio of the answer's length to the reference's.
FEATURES = ("ce_logit", "grade_logit", "p_contra", "cosine", "recall", "precision", "len_ratio")


def logit(p: float) -> float:
    p = min(max(p, EPS), 1 - EPS)
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 40.0), -40.0)))


@dataclass(frozen=True)
class Logistic:
    """sigmoid(intercept + sum(coef * (x - mean) / scale)) over named features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def __call__(self, values: Mapping[str, float]) -> float:
        z = self.intercept
        for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += c * (values[name] - m) / s
        return sigmoid(z)

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Logistic:
        return cls(
            tuple(raw["features"]), tuple(raw["mean"]), tuple(raw["scale"]),
            tuple(raw["coef"]), float(raw["intercept"]),
        )  # fmt: skip


def doubt_features(score: float, values: Mapping[str, float]) -> dict[str, float]:
    """What the confidence model reads: closeness to the threshold and disagreement."""
    ce = sigmoid(values["ce_logit"])
    grade = sigmoid(values["grade_logit"])
    return {
        "margin": abs(score - 0.5),
        "ce_vs_grade": abs(ce - grade),
        "ce_vs_score": abs(ce - score),
        "p_contra": values["p_contra"],
        "len_ratio": abs(values["len_ratio"]),
        "windows": values.get("windows", 1.0),
    }


DOUBT_FEATURES = ("margin", "ce_vs_grade", "ce_vs_score", "p_contra", "len_ratio", "windows")


def vector(values: Mapping[str, float], names: Sequence[str]) -> list[float]:
    """The named values in order (for fitting)."""
    return [float(values[n]) for n in names]


def biased(p: Sequence[float], bias: Sequence[float]) -> tuple[float, float, float]:
    """The head's probabilities with the label bias applied, summing to one again."""
    w = [x * math.exp(b) for x, b in zip(p, bias, strict=True)]
    total = sum(w) or 1.0
    return (w[0] / total, w[1] / total, w[2] / total)
