"""`interviewer db copy`: a SQLite installation moved to a real PostgreSQL server, whole."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.service import InterviewService
from bot.settings import Settings
from bot.staff.access import Accounts
from bot.store import Store
from tests.pg import fresh_database
from tests.unit.fakes import FakeRetriever, FakeScorer, FakeWriter
from tests.unit.test_service import write_role


@pytest.fixture
def sqlite_install(tmp_path):
    """A SQLite installation with a finished interview, a staff account and its audit log."""
    write_role(tmp_path / "roles")
    settings = Settings(home=tmp_path, roles_dir=tmp_path / "roles")  # type: ignore[call-arg]
    store = Store(settings.db_url)
    service = InterviewService(settings, store, FakeScorer(), FakeWriter(), FakeRetriever())
    session_id = service.start("test-role")
    for text in ["yes", *["Lists are mutable and Tuples work as keys."] * 5]:
        service.reply(session_id, text)
    Accounts(store).add_user("rita", "recruiter", "rita-recruits-2026", "test")
    return settings, store, session_id


def test_an_installation_moves_to_postgresql_whole(sqlite_install, postgres, capsys):
    settings, store, session_id = sqlite_install
    target = fresh_database(postgres)
    assert main(["db", "copy", "--from", settings.db_url, "--to", target]) == 0
    assert "copied" in capsys.readouterr().out
    moved = Store(target)
    assert [(t.speaker, t.kind, t.text) for t in moved.turns(session_id)] == [
        (t.speaker, t.kind, t.text) for t in store.turns(session_id)
    ]
    assert [(t.score.score, t.score.level) for t in moved.turns(session_id) if t.score] == [
        (t.score.score, t.score.level) for t in store.turns(session_id) if t.score
    ]
    assert len(moved.events()) == len(store.events())
    assert Accounts(moved).login("rita", "rita-recruits-2026")  # the password hash came too
    moved.append_event("test", "after the copy", {}, session_id)  # ids go on past the copied
    assert moved.events()[-1].kind == "after the copy"


def test_a_copy_into_a_database_that_holds_data_is_refused(sqlite_install, postgres, capsys):
    settings, _, _ = sqlite_install
    target = fresh_database(postgres)
    assert main(["db", "copy", "--from", settings.db_url, "--to", target]) == 0
    assert main(["db", "copy", "--from", settings.db_url, "--to", target]) != 0
    assert "already holds data" in capsys.readouterr().err
