"""`interviewer evaluator train` on a few rows: CV, combiner, artifact, report, same seed twice."""

from __future__ import annotations

import json

import pytest

from bot.evaluator.data import DEFAULT_DATA_DIR
from tests.conftest import need_shared_data

pytestmark = pytest.mark.slow

need_shared_data("../shared/data/asag", DEFAULT_DATA_DIR.is_dir())

# MiniLM with one LoRA-trained layer on 24 rows a file: the whole recipe, in seconds.
SMALL = ["--base", "minilm", "--trained-layers", "1", "--lora-rank", "4", "--max-length", "128",
         "--limit", "24", "--epochs", "1", "--threads", "1"]  # fmt: skip


def _train(out, *extra: str) -> dict:
    from bot.evaluator.training.train import main

    assert main([*SMALL, *extra, "--out", str(out)]) == 0
    return json.loads((out / "report.json").read_text())


def test_same_seed_gives_the_same_artifact_and_it_scores_answers(tmp_path):
    first = _train(tmp_path / "a")
    second = _train(tmp_path / "b")
    assert first["version"] == second["version"]
    assert (tmp_path / "a" / "model.safetensors").stat().st_size <= 25 * 1024 * 1024
    assert first["data"]["saf_english_train.jsonl"]["rows"] == 1440
    beetle = first["test"]["beetle_test_ua.jsonl"]
    assert {"macro_f1_3way", "macro_f1", "pearson", "rows_per_s"} <= set(beetle)
    assert first["train_seconds"] > 0

    from bot.evaluator import load_judge
    from bot.evaluator.rubric import Pair

    judge = load_judge(str(tmp_path / "a"))
    assert judge.version == first["version"]
    [verdict] = judge.judge([Pair("The switch is open.", "the switch was open")])
    assert 0.0 <= verdict.support <= 1.0 and 0.0 <= verdict.confidence <= 1.0


def test_cross_validation_fits_the_combiner_on_held_out_folds_and_resumes(tmp_path):
    out = tmp_path / "cv"
    report = _train(out, "--cv", "2")
    cv = report["grouped_cv"]
    assert cv["folds_run"] == 2
    assert "semeval2013 (pooled)" in cv["combined"] and "saf-english" in cv["combined"]
    assert {"flagged_share", "agreement_unflagged"} <= set(cv["selective"])
    info = json.loads((out / "evaluator.json").read_text())
    assert info["combiner"]["features"][0] == "ce_logit" and 0 < info["review_below"] < 1
    oof_lines = (out / "oof.jsonl").read_text().count("\n")
    again = _train(out, "--cv", "2", "--no-final")  # both folds are read back, not retrained
    assert (out / "oof.jsonl").read_text().count("\n") == oof_lines
    assert again["grouped_cv"]["combined"] == cv["combined"]
