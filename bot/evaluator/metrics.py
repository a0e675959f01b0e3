"""Agreement between predicted and human scores (shared/bench/FORMAT.md), NumPy/SciPy only."""

from __future__ import annotations

import math
from collections.abc import Sequence


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 4)


def agreement(
    pred: Sequence[float], human: Sequence[float], lo: float, hi: float, threshold: float
) -> dict[str, float | None]:
    """pearson, spearman, rmse (pred mapped onto [lo, hi]); auc and macro_f1 for 0/1 scores,
    qwk for integer scales; None where a metric does not apply."""
    import numpy as np
    from scipy.stats import pearsonr, spearmanr
    from sklearn.metrics import cohen_kappa_score, f1_score, roc_auc_score

    p = np.asarray(pred, dtype=float)
    h = np.asarray(human, dtype=float)
    varied = len(p) > 1 and p.std() > 0 and h.std() > 0
    out: dict[str, float | None] = {
        "pearson": _finite(pearsonr(p, h)[0]) if varied else None,
        "spearman": _finite(spearmanr(p, h)[0]) if varied else None,
        "rmse": _finite(float(np.sqrt(np.mean((lo + p * (hi - lo) - h) ** 2)))),
        "auc": None,
        "macro_f1": None,
        "qwk": None,
    }
    values = set(np.unique(h).tolist())
    if values <= {0.0, 1.0}:
        if len(values) == 2:
            out["auc"] = _finite(roc_auc_score(h, p))
        out["macro_f1"] = _finite(f1_score(h, p >= threshold, average="macro", zero_division=0))
    if all(float(v).is_integer() for v in values) and hi - lo >= 2:
        graded = np.rint(lo + p * (hi - lo)).astype(int)
        out["qwk"] = _finite(cohen_kappa_score(h.astype(int), graded, weights="quadratic"))
    return out


def macro_f1_labels(pred: Sequence[str], gold: Sequence[str]) -> float:
    """Macro-F1 over the gold labels (3-way: correct / contradictory / incorrect)."""
    from sklearn.metrics import f1_score

    labels = sorted(set(gold))
    return round(float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)), 4)
