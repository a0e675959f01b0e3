"""`--help` on a command declared in its own module (a benchmark, the check, training, the
model server) lists that command's flags."""

from __future__ import annotations

import pytest

from bot.cli import main


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        (["bench", "scoring"], "--examples"),
        (["bench", "load"], "--candidates"),
        (["bench", "answers"], "--data"),
        (["templates", "check"], "--knowledge"),
        (["evaluator", "train"], "--data-dir"),
        (["model-server"], "--batch-threads"),
    ],
)
def test_a_command_s_help_lists_its_own_flags(command, flag, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    assert flag in capsys.readouterr().out
