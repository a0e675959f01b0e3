"""`interviewer users ...` and `interviewer invite`: the first accounts and links, from a shell."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.store import Store

ROLES = "prompts/roles"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path))
    monkeypatch.setenv("INTERVIEWER_ROLES_DIR", str(Path(__file__).parents[2] / ROLES))
    return tmp_path


def run(capsys, monkeypatch, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_users_add_hashes_the_password_and_list_shows_the_account(env, capsys, monkeypatch):
    code, out, _ = run(
        capsys, monkeypatch, ["users", "add", "hana", "--role", "hr", "--password-stdin"],
        "a long enough password\n",
    )  # fmt: skip
    assert code == 0 and "added hr account 'hana'" in out
    user = Store(f"sqlite:///{env / 'interviewer.db'}").user("hana")
    assert user is not None and user.password_hash.startswith("$argon2")
    assert "a long enough password" not in user.password_hash
    code, out, _ = run(capsys, monkeypatch, ["users", "list"])
    assert "hana" in out and "hr" in out and "active" in out


def test_users_add_refuses_short_passwords_and_taken_names(env, capsys, monkeypatch):
    add = ["users", "add", "rita", "--role", "recruiter", "--password-stdin"]
    code, _, err = run(capsys, monkeypatch, add, "short\n")
    assert code == 1 and "shorter than 10 characters" in err
    assert run(capsys, monkeypatch, add, "a long enough password\n")[0] == 0
    code, _, err = run(capsys, monkeypatch, add, "a long enough password\n")
    assert code == 1 and "already exists" in err


def test_the_interactive_prompt_asks_twice(env, capsys, monkeypatch):
    answers = iter(["first password!", "second password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, monkeypatch, ["users", "add", "sam", "--role", "hr"])
    assert code == 1 and "the two passwords differ" in err


def test_invite_prints_a_full_link_and_refuses_unknown_roles(env, capsys, monkeypatch):
    code, out, _ = run(
        capsys, monkeypatch, ["invite", "--role", "backend-python", "--email", "a@b.io"]
    )
    link = out.splitlines()[0]
    assert code == 0 and link.startswith("http://127.0.0.1:7860/?invite=") and len(link) > 60
    (stored,) = Store(f"sqlite:///{env / 'interviewer.db'}").invites()
    assert stored.email == "a@b.io" and stored.created_by.endswith("@cli")
    code, _, err = run(capsys, monkeypatch, ["invite", "--role", "nope"])
    assert code == 1 and "unknown role 'nope'" in err


def test_templates_check_works_from_any_folder_before_the_first_prepare(
    env, tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("INTERVIEWER_ROLES_DIR")  # the shipped roles, found from the code
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not the repository: no prompts/ or knowledge/ here
    code, out, _ = run(capsys, monkeypatch, ["templates", "check"])
    assert (code, out.splitlines()[-1]) == (0, "OK: 3 templates")
