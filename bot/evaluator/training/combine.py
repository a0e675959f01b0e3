"""Fitting the combiner and the confidence model on out-of-fold signals (scikit-learn).

Each training row's signals come from a cross-encoder that never saw its question (grouped
CV), read through the same judge the app uses. The combiner is a logistic fit of the human
0..1 score on those signals (partial credit as a soft target); each dataset weighs the same
in total, so 1,000 long adult answers count as much as 5,000 short school ones. Cross-fitting
(fit on the other folds, score the held-out one) gives the honest CV figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.evaluator.combiner import (
    DOUBT_FEATURES,
    FEATURES,
    Logistic,
    biased,
    doubt_features,
    vector,
)

# A score this far from the human one counts as a mistake the confidence model should foresee
# (for pass/fail rows: the wrong side of the threshold).
GRADED_MISS = 0.3
FLAG_SHARE = 0.15  # the share of out-of-fold answers the default review threshold flags


def _weights(records: Sequence[dict[str, Any]]) -> list[float]:
    counts: dict[str, int] = {}
    for r in records:
        counts[r["dataset"]] = counts.get(r["dataset"], 0) + 1
    return [len(records) / (len(counts) * counts[r["dataset"]]) for r in records]


def fit_logistic(
    xs: Sequence[Sequence[float]], ys: Sequence[float], ws: Sequence[float], names: Sequence[str]
) -> Logistic:
    """A standardised logistic fit with soft targets (each row as a weighted 1 and 0)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    w = np.asarray(ws, dtype=float)
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / scale
    model = LogisticRegression(C=1.0, max_iter=1000).fit(
        np.vstack([z, z]),
        np.concatenate([np.ones(len(y)), np.zeros(len(y))]),
        sample_weight=np.concatenate([w * y, w * (1 - y)]),
    )
    return Logistic(tuple(names), tuple(mean.tolist()), tuple(scale.tolist()),
                    tuple(model.coef_[0].tolist()), float(model.intercept_[0]))  # fmt: skip


def fit_combiner(records: Sequence[dict[str, Any]]) -> Logistic:
    """The score model: human 0..1 score from the signals."""
    return fit_logistic(
        [vector(r, FEATURES) for r in records],
        [r["human"] for r in records],
        _weights(records),
        FEATURES,
    )


def missed(score: float, record: dict[str, Any]) -> bool:
    """Whether a score disagrees with the person who graded the row."""
    human = record["human"]
    if record["graded"]:
        return abs(score - human) > GRADED_MISS
    return (score >= 0.5) != (human >= 0.5)


def fit_doubt(records: Sequence[dict[str, Any]], combiner: Logistic) -> Logistic:
    """The confidence model: P(the combined score misses) from closeness and disagreement."""
    rows = [doubt_features(combiner(r), r) for r in records]
    ys = [float(missed(combiner(r), r)) for r in records]
    return fit_logistic([vector(d, DOUBT_FEATURES) for d in rows], ys, _weights(records),
                        DOUBT_FEATURES)  # fmt: skip


def review_threshold(
    records: Sequence[dict[str, Any]], combiner: Logistic, doubt: Logistic
) -> float:
    """The confidence under which about FLAG_SHARE of the answers are flagged."""
    conf = sorted(1 - doubt(doubt_features(combiner(r), r)) for r in records)
    return round(conf[int(FLAG_SHARE * len(conf))], 4)


def best_per_row(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per answer: the reference the cross-encoder supports most."""
    best: dict[str, dict[str, Any]] = {}
    for r in records:
        if r["id"] not in best or r["ce_logit"] > best[r["id"]]["ce_logit"]:
            best[r["id"]] = r
    return list(best.values())


def cross_fitted(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each fold's rows scored by a combiner and confidence model fit on the other folds."""
    out = []
    for fold in sorted({r["fold"] for r in records}):
        rest = [r for r in records if r["fold"] != fold]
        combiner = fit_combiner(rest)
        doubt = fit_doubt(rest, combiner)
        cut = review_threshold(rest, combiner, doubt)
        bias = fit_label_bias(rest)
        for r in (r for r in records if r["fold"] == fold):
            score = combiner(r)
            confidence = 1 - doubt(doubt_features(score, r))
            pc, pcon, pinc = biased((r["p_correct"], r["p_contra"], r["p_incorrect"]), bias)
            out.append({**r, "score": score, "confidence": confidence, "flagged": confidence < cut,
                        "p_correct": pc, "p_contra": pcon, "p_incorrect": pinc})  # fmt: skip
    return out


def selective(scored: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """How right the scores are on all answers and on those not flagged for a person."""
    kept = [r for r in scored if not r["flagged"]]

    def right(rows: Sequence[dict[str, Any]]) -> float:
        return round(sum(not missed(r["score"], r) for r in rows) / max(len(rows), 1), 4)

    return {
        "flagged_share": round(1 - len(kept) / max(len(scored), 1), 4),
        "agreement_all": right(scored),
        "agreement_unflagged": right(kept),
        "agreement_flagged": right([r for r in scored if r["flagged"]]),
    }


def fit_label_bias(records: Sequence[dict[str, Any]]) -> tuple[float, float, float]:
    """Log-weights for (correct, contradictory, incorrect) that make the head's 3-way choice
    agree best (macro-F1) with people on out-of-fold rows that carry 3-way labels.

    Training weighs each label the same, which over-predicts the rare 'contradictory' on
    questions the model never saw; a small shift, fit here and never on a test file, undoes
    that without retraining."""
    from bot.evaluator.metrics import macro_f1_labels
    from bot.evaluator.pair_model import LABEL_ORDER

    rows = [r for r in records if r["label"] in LABEL_ORDER]
    if len({r["label"] for r in rows}) < 3:
        return (0.0, 0.0, 0.0)
    gold = [str(r["label"]) for r in rows]
    probs = [(r["p_correct"], r["p_contra"], r["p_incorrect"]) for r in rows]
    grid = [x / 4 for x in range(-8, 9)]
    best, best_f1 = (0.0, 0.0, 0.0), -1.0
    for b_contra in grid:
        for b_incorrect in grid:
            bias = (0.0, b_contra, b_incorrect)
            pred = [LABEL_ORDER[_argmax(p, bias)] for p in probs]
            f1 = macro_f1_labels(pred, gold)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = bias, f1
    return best


def _argmax(p: Sequence[float], bias: Sequence[float]) -> int:
    import math

    scores = [math.log(max(x, 1e-9)) + b for x, b in zip(p, bias, strict=True)]
    return max(range(3), key=lambda k: scores[k])
