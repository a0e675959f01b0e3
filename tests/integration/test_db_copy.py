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
    # A server whose clock zone is not UTC must not shift a single time.
    target = fresh_database(postgres) + "?options=-c%20timezone%3DAmerica/New_York"
    assert main(["db", "copy", "--from", settings.db_url, "--to", target]) == 0
    assert "copied" in capsys.readouterr().out
    moved = Store(target)
    before, after = store.load_session(session_id), moved.load_session(session_id)
    assert (after.created_at, after.updated_at) == (before.created_at, before.updated_at)
    assert (after.state, after.state_version) == (before.state, before.state_version)
    assert [e.at for e in moved.events()] == [e.at for e in store.events()]
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


def test_a_missing_or_empty_source_is_refused_not_copied_as_nothing(tmp_path, postgres, capsys):
    target = fresh_database(postgres)
    missing = f"sqlite:///{tmp_path / 'nowhere' / 'interviewer.db'}"
    assert main(["db", "copy", "--from", missing, "--to", target]) != 0
    assert "no database file" in capsys.readouterr().err
    empty = Store(f"sqlite:///{tmp_path / 'empty.db'}")  # a fresh schema, nobody in it
    assert main(["db", "copy", "--from", empty.url, "--to", target]) != 0
    assert "holds no sessions and no accounts" in capsys.readouterr().err
