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
import hashlib
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


def calibrated(p_correct: float, a: float, b: float, c: float = 0.0, cosine: float = 0.0) -> float:
    """The shipped 0..1 score for a raw P(correct) (and the embeddings' cosine when c != 0)."""
    return 1.0 / (1.0 + math.exp(-(a * logit(p_correct) + b + c * cosine)))


Coefs = tuple[float, float, float]  # (a, b, c)


def fit(
    p_correct: Sequence[float], human: Sequence[float], cosine: Sequence[float] | None = None
) -> tuple[Coefs, float]:
    """((a, b, c), threshold): logistic fit, then the macro-F1-best threshold on its output."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    cos = list(cosine) if cosine is not None else [0.0] * len(p_correct)
    x = np.array([[logit(p), c] for p, c in zip(p_correct, cos, strict=True)])
    if cosine is None:
        x = x[:, :1]
    y = np.asarray(human) >= 0.5
    model = LogisticRegression(C=1.0).fit(x, y)
    w = [float(v) for v in model.coef_[0]] + [0.0]
    coefs = (w[0], float(model.intercept_[0]), w[1])
    scores = np.array(
        [calibrated(p, *coefs, cosine=c) for p, c in zip(p_correct, cos, strict=True)]
    )
    grid = np.arange(0.2, 0.81, 0.01)
    best = max(grid, key=lambda t: f1_score(y, scores >= t, average="macro"))
    return coefs, round(float(best), 2)


def cross_fitted(
    oof: list[dict[str, Any]], human: dict[str, float], cosine: dict[str, float] | None
) -> dict[str, Any]:
    """Pooled CV metrics where each fold is calibrated (and thresholded) on the other folds."""
    from sklearn.metrics import f1_score

    preds: list[float] = []
    gold: list[float] = []
    decisions: list[bool] = []
    for f in sorted({o["fold"] for o in oof}):
        rest = [o for o in oof if o["fold"] != f]
        coefs, t = fit(*_columns(rest, human, cosine))
        for o in (o for o in oof if o["fold"] == f):
            c = cosine[o["id"]] if cosine else 0.0
            preds.append(calibrated(o["probs"][0], *coefs, cosine=c))
            gold.append(human[o["id"]])
            decisions.append(preds[-1] >= t)
    out = agreement(preds, gold, 0.0, 1.0, 0.5)
    out["macro_f1"] = round(
        float(f1_score([g >= 0.5 for g in gold], decisions, average="macro")), 4
    )
    return out


def _columns(
    oof: list[dict[str, Any]], human: dict[str, float], cosine: dict[str, float] | None
) -> tuple[list[float], list[float], list[float] | None]:
    p = [o["probs"][0] for o in oof]
    h = [human[o["id"]] for o in oof]
    return p, h, [cosine[o["id"]] for o in oof] if cosine else None


def row_cosines(rows: Sequence[Row]) -> dict[str, float]:
    """Each row's best cosine over its references, from the packaged MiniLM's embeddings."""
    from bot.evaluator.base import minilm_folder
    from bot.evaluator.cross_encoder import (
        LABEL_ORDER,
        ArtifactInfo,
        CrossEncoderJudge,
        pair_tokenizer,
    )
    from bot.evaluator.encoder import load_cross_encoder

    base = minilm_folder()
    embedder = load_cross_encoder(base, [])
    info = ArtifactInfo("embedding-only", 0.5, 128, False, LABEL_ORDER, None)
    judge = CrossEncoderJudge(None, pair_tokenizer(base / "tokenizer.json", 128), info, embedder)
    items = [(ref, r.answer) for r in rows for ref in r.references]
    found = dict(zip(items, judge.cosines(items), strict=True))
    return {r.id: max(found[(ref, r.answer)] for ref in r.references) for r in rows}


def main(argv: list[str] | None = None) -> int:
    """Fit the calibration on OOF rows; write it into the artifact's evaluator.json."""
    p = argparse.ArgumentParser(prog="python -m bot.evaluator.calibrate")
    p.add_argument("--oof", type=Path, required=True, help="oof.jsonl from a grouped-CV run")
    p.add_argument("--artifact", type=Path, required=True)
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    p.add_argument("--cosine", action="store_true", help="also use the MiniLM embedding cosine")
    p.add_argument("--dry-run", action="store_true", help="report only; leave the artifact alone")
    args = p.parse_args(argv)
    rows = {r.id: r for f in TRAIN_FILES for r in read_rows(args.data_dir / f)}
    oof = [json.loads(line) for line in args.oof.read_text().splitlines() if line.strip()]
    human = {o["id"]: rows[o["id"]].score for o in oof}
    cosine = row_cosines([rows[o["id"]] for o in oof]) if args.cosine else None
    raw = agreement([o["probs"][0] for o in oof], [human[o["id"]] for o in oof], 0.0, 1.0, 0.5)
    (a, b, c), threshold = fit(*_columns(oof, human, cosine))
    how = "sigmoid(a * logit(P(correct)) + b" + (" + c * cosine)" if cosine else ")")
    calibration = {
        "a": round(a, 4),
        "b": round(b, 4),
        "c": round(c, 4),
        "fit_on": f"{len(oof)} OOF rows",
    }
    report = {
        "raw_oof": raw,
        "cross_fitted_oof": cross_fitted(oof, human, cosine),
        "calibration": calibration,
        "threshold": threshold,
        "score": f"{how}, fit on grouped-CV out-of-fold rows of the training files",
    }
    print(json.dumps(report, indent=1))
    if not args.dry_run:
        info_path = args.artifact / "evaluator.json"
        info = json.loads(info_path.read_text())
        info.update({k: report[k] for k in ("calibration", "threshold", "score")})
        # The score changes with the calibration, so the version stored with scores does too.
        tag = hashlib.sha256(json.dumps([a, b, c, threshold]).encode()).hexdigest()[:6]
        info["version"] = f"{info['version'].split('+')[0]}+cal{'-cos' if cosine else ''}-{tag}"
        info_path.write_text(json.dumps(info, indent=2) + "\n")
        (args.artifact / "calibration.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
