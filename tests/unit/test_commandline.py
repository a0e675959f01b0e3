"""The `interviewer` tree's parsing: options of several words, usage slips, help, exit codes."""

from __future__ import annotations

import click
import pytest

from bot import commandline
from bot.cli import main


@click.command("words", cls=commandline.Command)
@click.option("--data", cls=commandline.Words, required=True)
@click.option("--test", cls=commandline.Words, empty_ok=True)
@click.option("--folds", cls=commandline.Words, type=int, empty_ok=True, absent=[])
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def words(ctx: click.Context, data, test, folds, as_json) -> int:
    print(data, test, folds, as_json, list(commandline.words(ctx)))
    return 3


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = commandline.run(words, argv, "words")
    out, err = capsys.readouterr()
    return code, out.strip(), err


def test_an_option_takes_every_word_up_to_the_next_option_as_argparse_nargs_did(capsys):
    code, out, _ = run(["--data", "a.jsonl", "b.jsonl", "--json", "--folds", "1", "-2"], capsys)
    assert code == 3  # the command's own result
    assert out.startswith("['a.jsonl', 'b.jsonl'] None [1, -2] True")
    assert run(["--data=a", "--folds"], capsys)[1].startswith("['a'] None [] False")


def test_an_option_alone_is_an_empty_list_only_where_that_means_something(capsys):
    assert run(["--data", "a", "--test"], capsys)[1].startswith("['a'] [] [] False")
    code, _, err = run(["--data", "--json"], capsys)
    assert code == 2 and "'--data' requires an argument" in err
    code, _, err = run(["--json"], capsys)
    assert code == 2 and "Missing option '--data'" in err


def test_the_command_keeps_the_words_it_was_given(capsys):
    argv = ["--json", "--data", "a", "b"]
    assert run(argv, capsys)[1].endswith(str(argv))


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["nosuchcommand"], "No such command 'nosuchcommand'"),
        (["interview"], "Missing option '--role'"),
        (["users", "add", "x", "--role", "boss"], "'boss' is not one of 'hr', 'recruiter'"),
        (["serve", "--nope"], "No such option '--nope'"),
    ],
)
def test_a_usage_slip_says_what_is_wrong_and_exits_2(argv, says, capsys):
    assert main(argv) == 2
    assert says in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["-v"], ["users"], ["bench"]])
def test_no_command_prints_the_help_and_exits_2(argv, capsys):
    assert main(argv) == 2
    assert "Commands:" in capsys.readouterr().out


def test_dash_h_is_help_too(capsys):
    with pytest.raises(SystemExit) as done:
        main(["db", "copy", "-h"])
    assert done.value.code == 0 and "--from URL" in capsys.readouterr().out


def test_ctrl_c_in_a_command_stops_with_130_and_says_what_is_kept(monkeypatch, capsys):
    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr("bot.cli.preparation.load_settings", interrupted)
    assert main(["ingest"]) == 130
    assert capsys.readouterr().err == "\nstopped; everything answered so far is saved.\n"
