"""`interviewer evaluator train`: grouped CV, combiner, final fit, artifact and report.

    interviewer evaluator train --cv 5 --out DIR     # the shipped recipe (CV, then final fit)
    interviewer evaluator train --cv 5 --no-final    # the unseen-question estimate only

Grouped CV holds out whole questions (SemEval) and whole course modules (SAF), which is how
the evaluator meets HR's new questions. Each fold's held-out signals go to DIR/oof.jsonl as
the fold finishes, so a stopped run resumes at the next fold. The combiner and the confidence
model are fit on those out-of-fold signals; the final cross-encoder trains on every training
row (SAF's unseen-answer rows held out to measure it), then the artifact is measured on the
unseen-answer files through the same path the app and `bench scoring` use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from bot import commandline
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
from bot.evaluator.pair_model import LABEL_ORDER, Architecture
from bot.evaluator.training.combine import (
    best_per_row,
    cross_fitted,
    fit_combiner,
    fit_doubt,
    fit_label_bias,
    review_threshold,
    selective,
)
from bot.evaluator.training.fit import Recipe, build_model, export, train
from bot.evaluator.training.report import metrics_by_dataset, write_report

log = logging.getLogger(__name__)
THRESHOLD = 0.5  # combined score at which an answer counts as correct; fixed, never fit on test


def recipe_from(args: Any) -> Recipe:
    """The recipe the command's options name (`args`: their values by name)."""
    arch = Architecture(args.base, args.trained_layers, args.lora_rank, args.max_length)
    return Recipe(arch=arch, epochs=args.epochs, lr=args.lr, augment=args.augment, seed=args.seed)


def load(paths: Sequence[Path], limit: int) -> list[Row]:
    """Answered rows of every file (placeholders for a missing answer left out); with a limit,
    that many rows of each file, spread evenly over it (so over its questions)."""
    rows: list[Row] = []
    for path in paths:
        found = [r for r in read_rows(path) if not r.placeholder]
        if limit:
            found = found[:: max(1, len(found) // limit)][:limit]
        rows += found
    return rows


def signal_records(judge: Any, rows: Sequence[Row], fold: int = 0) -> list[dict[str, Any]]:
    """The judge's signals for every (row, reference), with what the person said."""
    from bot.evaluator.judge import signal_rows
    from bot.evaluator.rubric import Pair

    keys = [(r, ref) for r in rows for ref in r.references]
    found = signal_rows(judge, [Pair(ref, r.answer, r.question) for r, ref in keys])
    return [
        {**s, "id": r.id, "dataset": r.dataset, "fold": fold, "human": r.unit_score,
         "graded": r.label not in LABEL_ORDER, "label": r.label}
        for (r, _), s in zip(keys, found, strict=True)
    ]  # fmt: skip


def fold_judge(folder: Path, base: Path, embedder: Any) -> Any:
    """A judge over an exported fold model, loaded the way the app loads an artifact."""
    from bot.evaluator.cross_encoder import CrossEncoder
    from bot.evaluator.info import read_info
    from bot.evaluator.judge import ModelJudge

    info = read_info(folder)
    return ModelJudge(CrossEncoder.load(folder, base, info), embedder, info["version"])


def cross_validate(
    rows: list[Row], recipe: Recipe, k: int, which: Sequence[int], out: Path, ctx: dict[str, Any]
) -> list[dict[str, Any]]:
    """Out-of-fold signal records from grouped K-fold CV, resuming from out/oof.jsonl."""
    oof_path = out / "oof.jsonl"
    done = read_jsonl(oof_path)
    finished = {r["fold"] for r in done}
    every = grouped_folds(rows, k, recipe.seed)
    for f in list(which) or range(1, k + 1):
        if f in finished:
            log.info("fold %d/%d: already in %s", f, k, oof_path)
            continue
        held = set(every[f - 1])
        train_rows = [r for i, r in enumerate(rows) if i not in held]
        model = train(build_model(ctx["base"], recipe), ctx["tokenizer"], train_rows, recipe,
                      f"fold {f}/{k}")  # fmt: skip
        folder = out / f"fold-{f}"
        export(model, ctx["base"], folder, artifact_info(model, recipe, ctx, f"fold{f}"))
        judge = fold_judge(folder, ctx["base"], ctx["embedder"])
        records = signal_records(judge, [rows[i] for i in sorted(held)], f)
        with oof_path.open("a") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records)
        done += records
    return done


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def artifact_info(model: Any, recipe: Recipe, ctx: dict[str, Any], tag: str) -> dict[str, Any]:
    """evaluator.json for a trained model (the combiner is added once it is fit)."""
    digest = hashlib.sha256()
    for name, p in sorted(model.named_parameters()):
        if p.requires_grad:
            digest.update(name.encode())
            digest.update(p.detach().half().numpy().tobytes())
    day = dt.date.today().strftime("%Y%m%d")
    arch = recipe.arch
    return {
        "version": f"asag-{arch.base}-l{arch.trained_layers}r{arch.lora_rank}-s{recipe.seed}-"
        f"{tag}-{day}-{digest.hexdigest()[:8]}",
        "threshold": THRESHOLD,
        "architecture": asdict(arch),
        "base": arch.base,
        "embedder": ctx["embedder_name"],
        "labels": list(LABEL_ORDER),
        "score": "logistic combiner over the cross-encoder, bi-encoder and lexical signals",
    }


_RECIPE, _ARCH = Recipe(), Architecture()  # the shipped recipe: each option's default
_BASES = click.Choice(["minilm", "mpnet"])


@click.command("train", cls=commandline.Command, help=__doc__.split("\n")[0])
@click.option("--data-dir", type=click.Path(path_type=Path), default=DEFAULT_DATA_DIR)
@click.option("--train", cls=commandline.Words, metavar="FILE ...",
              help=f"training files (default: {' '.join(TRAIN_FILES)})")  # fmt: skip
@click.option("--test", cls=commandline.Words, empty_ok=True, metavar="[FILE ...]",
              help=f"test files (default: {' '.join(TEST_FILES)}; none: --test alone)")  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path), default=Path("var/evaluator"),
              show_default=True, help="artifact folder")  # fmt: skip
@click.option("--models-dir", type=click.Path(path_type=Path), default=Path("var/models"),
              show_default=True, help="model cache")  # fmt: skip
@click.option("--base", type=_BASES, default=_ARCH.base, show_default=True)
@click.option("--embedder", type=_BASES, default=None,
              help="bi-encoder for the cosine signal (default: the base)")  # fmt: skip
@click.option("--trained-layers", type=int, default=_ARCH.trained_layers, show_default=True)
@click.option("--lora-rank", type=int, default=_ARCH.lora_rank, show_default=True,
              help="0: train layers in full")  # fmt: skip
@click.option("--max-length", type=int, default=_ARCH.max_length, show_default=True)
@click.option("--seed", type=int, default=_RECIPE.seed, show_default=True)
@click.option("--epochs", type=int, default=_RECIPE.epochs, show_default=True)
@click.option("--lr", type=float, default=_RECIPE.lr, show_default=True)
@click.option("--augment", type=float, default=_RECIPE.augment, show_default=True)
@click.option("--cv", type=int, default=0, metavar="K",
              help="grouped K-fold CV over the training files")  # fmt: skip
@click.option("--cv-folds", cls=commandline.Words, type=int, empty_ok=True, absent=[],
              metavar="[N ...]", help="only these (1-based)")  # fmt: skip
@click.option("--no-final", is_flag=True, help="skip the final fit (CV only)")
@click.option("--limit", type=int, default=0, help="N rows of each file (smoke runs)")
@click.option("--threads", type=int, default=0, help="torch threads (default: all cores)")
@click.pass_context
def command(context: click.Context, **options: Any) -> int:
    """Run CV and/or the final fit; write the artifact and report.{json,md} under --out."""
    import torch

    from bot.encoders.tokens import PairTokenizer
    from bot.evaluator.base import base_folder
    from bot.evaluator.cross_encoder import Embedder

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = SimpleNamespace(**options)  # the options by name, as the recipe reads them
    torch.set_num_threads(args.threads or os.cpu_count() or 1)
    recipe = recipe_from(args)
    base = base_folder(args.base, args.models_dir)
    embedder_name = args.embedder or args.base
    ctx = {
        "base": base,
        "tokenizer": PairTokenizer(base / "tokenizer.json", recipe.arch.max_length),
        "embedder": Embedder(base_folder(embedder_name, args.models_dir)),
        "embedder_name": embedder_name,
    }
    train_paths = jsonl_paths(args.train or [args.data_dir / f for f in TRAIN_FILES])
    test_paths = jsonl_paths(args.test if args.test is not None
                             else [args.data_dir / f for f in TEST_FILES])  # fmt: skip
    rows = load(train_paths, args.limit)
    report: dict[str, Any] = {
        "recipe": asdict(recipe),
        "threshold": THRESHOLD,
        "data": {p.name: {"rows": len(read_rows(p)), "sha256_16": file_digest(p)}
                 for p in train_paths},
        "machine": {"python": platform.python_version(), "torch": torch.__version__,
                    "threads": torch.get_num_threads(), "cpus": os.cpu_count()},
        "command": " ".join(["interviewer evaluator train", *commandline.words(context)]),
    }  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fitted: dict[str, Any] = {}
    if args.cv:
        oof = best_per_row(cross_validate(rows, recipe, args.cv, args.cv_folds, args.out, ctx))
        report["grouped_cv"] = cv_report(oof, args.cv)
        combiner = fit_combiner(oof)
        doubt = fit_doubt(oof, combiner)
        fitted = {
            "combiner": combiner.to_dict(),
            "doubt": doubt.to_dict(),
            "review_below": review_threshold(oof, combiner, doubt),
            "label_bias": list(fit_label_bias(oof)),
            "fit_on": f"{len(oof)} out-of-fold answers, {args.cv}-fold grouped CV",
        }
        report["combiner"] = fitted
        report["cv_seconds"] = round(time.perf_counter() - started, 1)
        write_report(args.out, report)
    if not args.no_final:
        final_rows = [r for r in rows if r.split != "unseen_answers"]
        held = [r for r in rows if r.split == "unseen_answers"]
        t0 = time.perf_counter()
        model = train(build_model(base, recipe), ctx["tokenizer"], final_rows, recipe, "final")
        report["train_seconds"] = round(time.perf_counter() - t0, 1)
        info = artifact_info(model, recipe, ctx, "final") | fitted
        report["version"] = info["version"]
        report["artifact_bytes"] = export(model, base, args.out, info)
        report["test"] = measure_artifact(args.out, test_paths, held, args.models_dir)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    write_report(args.out, report)
    print(json.dumps({k: report[k] for k in ("grouped_cv", "test", "version") if k in report},
                     indent=1))  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    """`interviewer evaluator train ...` as a function (argv: the words after 'train')."""
    return commandline.run(command, argv, "interviewer evaluator train")


def cv_report(oof: list[dict[str, Any]], k: int) -> dict[str, Any]:
    """Pooled out-of-fold metrics per dataset: raw cross-encoder and cross-fitted combiner."""
    scored = cross_fitted(oof) if len({r["fold"] for r in oof}) > 1 else []
    return {
        "k": k,
        "folds_run": len({r["fold"] for r in oof}),
        "cross_encoder_only": metrics_by_dataset(oof, lambda r: r["p_correct"]),
        "combined": metrics_by_dataset(scored, lambda r: r["score"]) if scored else {},
        "selective": selective(scored) if scored else {},
    }


def measure_artifact(
    folder: Path, paths: Sequence[Path], held: Sequence[Row], models_dir: Path
) -> dict[str, Any]:
    """The exported artifact's metrics on each test file, scored as `bench scoring` scores."""
    from bot.bench.scoring import bench_rows, summarise
    from bot.evaluator import load_judge

    judge = load_judge(str(folder), models_dir)
    out = {}
    sets = [(p.name, load([p], 0)) for p in paths]
    if held:
        sets.append(("saf_english unseen answers", list(held)))
    for name, rows in sets:
        verdicts, seconds = bench_rows(judge, rows)
        out[name] = summarise(judge, rows, verdicts, seconds)
    return out
