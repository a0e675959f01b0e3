"""Training reports: pooled metrics per dataset, written as report.json beside the artifact."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.evaluator.metrics import agreement, macro_f1_labels
from bot.evaluator.pair_model import LABEL_ORDER


def metrics_by_dataset(
    records: Sequence[dict[str, Any]], score: Callable[[dict[str, Any]], float]
) -> dict[str, Any]:
    """Pearson, Spearman, 2-way macro-F1 (pass/fail data) and 3-way macro-F1 (the head's
    argmax, where the data has 3-way labels): over all rows and per dataset."""
    out: dict[str, Any] = {}
    groups: dict[str, Callable[[dict[str, Any]], bool]] = {
        "all": lambda r: True,
        "semeval2013 (pooled)": lambda r: r["dataset"].startswith("semeval"),
    }
    for dataset in sorted({r["dataset"] for r in records}):
        groups[dataset] = lambda r, d=dataset: r["dataset"] == d  # type: ignore[misc]
    for name, member in groups.items():
        rows = [r for r in records if member(r)]
        if not rows:
            continue
        m: dict[str, Any] = {"rows": len(rows)}
        m.update(agreement([score(r) for r in rows], [r["human"] for r in rows], 0.0, 1.0, 0.5))
        if all(r["label"] in LABEL_ORDER for r in rows):
            pred = [
                LABEL_ORDER[max(range(3), key=lambda k: (r["p_correct"], r["p_contra"],
                                                         r["p_incorrect"])[k])]
                for r in rows
            ]  # fmt: skip
            m["macro_f1_3way"] = macro_f1_labels(pred, [str(r["label"]) for r in rows])
        out[name] = {k: v for k, v in m.items() if v is not None}
    return out


def write_report(out: Path, report: dict[str, Any]) -> None:
    """report.json under the artifact folder (rewritten as each stage finishes)."""
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
