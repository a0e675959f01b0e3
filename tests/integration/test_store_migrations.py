"""The packaged Alembic migrations build the schema, match the models, and survive restarts."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from bot.ports import AnswerScore, KeyPointResult
from bot.store import MIGRATIONS_DIR, Base, EventIn, Store, TurnIn


def test_a_fresh_file_gets_the_whole_schema_at_head(tmp_path):
    db = tmp_path / "home" / "interviewer.db"  # the folder does not exist yet
    Store(f"sqlite:///{db}").close()
    raw = sqlite3.connect(db)
    try:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        triggers = {
            r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        (version,) = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        (journal,) = raw.execute("PRAGMA journal_mode").fetchone()
    finally:
        raw.close()
    assert {"sessions", "turns", "scores", "templates", "events", "alembic_version"} <= tables
    assert {"events_no_update", "events_no_delete"} <= triggers
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert version == head
    assert journal == "wal"


def test_the_migrations_build_what_the_models_describe(tmp_path):
    Store(f"sqlite:///{tmp_path / 'db'}").close()
    engine = create_engine(f"sqlite:///{tmp_path / 'db'}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree; add a migration for: {diff}"


def test_a_new_store_on_the_same_file_reads_what_was_written(tmp_path):
    url = f"sqlite:///{tmp_path / 'interviewer.db'}"
    score = AnswerScore(
        0.4,
        2,
        "incorrect",
        {"correct": 0.2, "contradictory": 0.1, "incorrect": 0.7},
        (KeyPointResult("k1", False, True, 0.05, "Never use indexes."),),
        "Contradicts k1.",
        "ev-1",
    )
    first = Store(url)
    sid = first.create_session("backend", 2, {"phase": "consent"})
    first.commit_step(
        sid,
        state={"phase": "question", "asked": ["q1"]},
        status="running",
        consent=True,
        turns=[
            TurnIn("interviewer", "ask", "Q1?", "q1", "hr"),
            TurnIn("candidate", "answer", "Never use indexes.", "q1", meta={"n": 1}, score=score),
        ],
        events=[EventIn("candidate", "answered", {"q": "q1"})],
    )
    first.publish_template("backend", 2, "version: 2", "hr:ana")
    written = (
        first.load_session(sid),
        first.turns(sid),
        first.events(),
        first.latest_template("backend"),
    )
    first.close()

    second = Store(url)  # a new engine; the migration step finds the schema already at head
    try:
        read = (
            second.load_session(sid),
            second.turns(sid),
            second.events(),
            second.latest_template("backend"),
        )
    finally:
        second.close()
    assert read == written
    assert read[1][1].score == score


def test_the_migrations_match_the_models_on_postgresql_too(database_url):
    Store(database_url).close()
    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree; add a migration for: {diff}"


def test_a_database_from_an_earlier_release_is_upgraded_with_its_data(database_url):
    """A schema at 0002 (the last release) with a session in it reaches head, data intact."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        connection.exec_driver_sql(
            "INSERT INTO sessions (id, role_id, template_version, status, consent, state, "
            "created_at, updated_at) VALUES ('s1', 'backend', 1, 'created', NULL, '{}', "
            "'2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')"
        )
    engine.dispose()
    store = Store(database_url)  # migrates to head on open
    try:
        session = store.load_session("s1")
        assert session.state_version == 0 and session.role_id == "backend"
        store.commit_step("s1", state={"phase": "consent"}, status="created", consent=None,
                          turns=[TurnIn("candidate", "answer", "hi", client_key="k")],
                          expected_version=0)  # fmt: skip
        assert store.keyed_turns("s1", "k")[0].text == "hi"
    finally:
        store.close()
