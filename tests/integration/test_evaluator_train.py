"""`interviewer evaluator train` on a few rows: artifact, report, and the same seed twice."""

from __future__ import annotations

import json

import pytest

from bot.evaluator.data import DEFAULT_DATA_DIR

pytestmark = pytest.mark.slow

if not DEFAULT_DATA_DIR.is_dir():
    pytest.skip("needs shared/data/asag", allow_module_level=True)


def _train(out) -> dict:
    from bot.evaluator.train import main

    argv = ["--limit", "16", "--epochs", "1", "--batch-size", "8", "--threads", "1"]
    assert main([*argv, "--out", str(out)]) == 0
    return json.loads((out / "report.json").read_text())


def test_same_seed_gives_the_same_artifact_and_it_scores_answers(tmp_path):
    first = _train(tmp_path / "a")
    second = _train(tmp_path / "b")
    assert first["version"] == second["version"]
    assert (tmp_path / "a" / "model.safetensors").stat().st_size <= 25 * 1024 * 1024
    assert first["data"]["beetle_train.jsonl"]["rows"] == 3941
    assert {"macro_f1_3way", "macro_f1", "pearson"} <= set(
        first["test"]["beetle_test_ua.jsonl"]["all"]
    )
    assert first["train_seconds"] > 0

    from bot.evaluator import load_judge
    from bot.evaluator.rubric import Pair

    judge = load_judge(str(tmp_path / "a"))
    assert judge.version == first["version"]
    [verdict] = judge.judge([Pair("The switch is open.", "the switch was open")])
    assert 0.0 <= verdict.support <= 1.0
