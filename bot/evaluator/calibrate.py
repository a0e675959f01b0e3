"""Calibrate the score from out-of-fold predictions on the training files, never on test data.

    python -m bot.evaluator.calibrate --oof var/cv/oof.jsonl --artifact bot/evaluator/artifact

The 3-way head is over-confident on questions it never saw (probabilities near 0 or 1), which
hurts the score's correlation with people and its 0..1 meaning. A logistic fit of the human
0/1 score on logit(P(correct)) over the grouped-CV out-of-fold rows gives the shipped
score = sigmoid(a * logit(P(correct)) + b), and the threshold is the one that maximises
out-of-fold macro-F1. Cross-fitting (calibrate on the other folds, score the held-out one)
gives the honest CV figures, written to the report beside the artifact.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.evaluator.data import DEFAULT_DATA_DIR, TRAIN_FILES, Row, read_rows
from bot.evaluator.metrics import agreement

EPS = 1e-6


def logit(p: float) -> float:
    p = min(max(p, EPS), 1 - EPS)
    return math.log(p / (1 - p))


def calibrated(p_correct: float, a: float, b: float) -> float:
    """The shipped 0..1 score for a raw P(correct)."""
    return 1.0 / (1.0 + math.exp(-(a * logit(p_correct) + b)))


def fit(p_correct: Sequence[float], human: Sequence[float]) -> tuple[float, float, float]:
    """(a, b, threshold): logistic calibration, then the macro-F1-best threshold on its output."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    x = np.array([[logit(p)] for p in p_correct])
    y = np.asarray(human) >= 0.5
    model = LogisticRegression(C=1.0).fit(x, y)
    a, b = float(model.coef_[0][0]), float(model.intercept_[0])
    scores = np.array([calibrated(p, a, b) for p in p_correct])
    grid = np.arange(0.2, 0.81, 0.01)
    best = max(grid, key=lambda t: f1_score(y, scores >= t, average="macro"))
    return a, b, round(float(best), 2)


def cross_fitted(rows: dict[str, Row], oof: list[dict[str, Any]]) -> dict[str, Any]:
    """Pooled CV metrics where each fold is calibrated (and thresholded) on the other folds."""
    from sklearn.metrics import f1_score

    preds: list[float] = []
    human: list[float] = []
    decisions: list[bool] = []
    for f in sorted({o["fold"] for o in oof}):
        rest = [o for o in oof if o["fold"] != f]
        a, b, t = fit([o["probs"][0] for o in rest], [rows[o["id"]].score for o in rest])
        for o in (o for o in oof if o["fold"] == f):
            preds.append(calibrated(o["probs"][0], a, b))
            human.append(rows[o["id"]].score)
            decisions.append(preds[-1] >= t)
    out = agreement(preds, human, 0.0, 1.0, 0.5)
    gold = [h >= 0.5 for h in human]
    out["macro_f1"] = round(float(f1_score(gold, decisions, average="macro")), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    """Fit the calibration on OOF rows; write it into the artifact's evaluator.json."""
    p = argparse.ArgumentParser(prog="python -m bot.evaluator.calibrate")
    p.add_argument("--oof", type=Path, required=True, help="oof.jsonl from a grouped-CV run")
    p.add_argument("--artifact", type=Path, required=True)
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = p.parse_args(argv)
    rows = {r.id: r for f in TRAIN_FILES for r in read_rows(args.data_dir / f)}
    oof = [json.loads(line) for line in args.oof.read_text().splitlines() if line.strip()]
    raw = agreement([o["probs"][0] for o in oof], [rows[o["id"]].score for o in oof], 0.0, 1.0, 0.5)
    a, b, threshold = fit([o["probs"][0] for o in oof], [rows[o["id"]].score for o in oof])
    info_path = args.artifact / "evaluator.json"
    info = json.loads(info_path.read_text())
    info["calibration"] = {"a": round(a, 4), "b": round(b, 4), "fit_on": f"{len(oof)} OOF rows"}
    info["threshold"] = threshold
    info["score"] = "sigmoid(a * logit(P(correct)) + b), fit on grouped-CV out-of-fold rows"
    info_path.write_text(json.dumps(info, indent=2) + "\n")
    report = {"raw_oof": raw, "cross_fitted_oof": cross_fitted(rows, oof), **info}
    (args.artifact / "calibration.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
