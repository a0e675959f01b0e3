"""Choosing and failing to load an evaluator, as an operator sees it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.core.errors import ModelError
from bot.evaluator import load_judge


def test_importing_the_evaluator_does_not_import_torch():
    code = "import sys, bot.evaluator; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_unknown_model_folder_says_what_to_do(tmp_path):
    with pytest.raises(ModelError, match="evaluator train"):
        load_judge(str(tmp_path / "nowhere"))
