"""A candidate's rights with their invite link: copy, correction, explanation, erasure;
and retention that erases what is past it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.errors import AccessDenied, BotError
from bot.rights import past_retention
from tests.unit.test_staff import GOOD, make_parts

SECRET_WORDS = "my-unique-answer-marker"


@pytest.fixture
def finished(tmp_path):
    parts = make_parts(tmp_path)
    token = parts.staff.create_invite(parts.recruiter, "test-role", "ana@example.com").token
    sid = parts.service.desk.open_invite(token)
    parts.service.desk.reply(token, "yes")
    while not parts.service.is_finished(sid):
        parts.service.desk.reply(token, f"{GOOD} {SECRET_WORDS}")
    parts.service.desk.feedback(token, 4, f"fine {SECRET_WORDS}")
    parts.service.desk.self_identify(token, "Female", "Asian")
    return parts, token, sid


def test_a_candidate_gets_a_copy_adds_a_correction_and_an_explanation_after_the_decision(
    finished,
):
    parts, token, sid = finished
    copy = parts.service.desk.copy(token)
    assert any(SECRET_WORDS in t["text"] for t in copy["conversation"])
    assert copy["decision"] is None and "scores" not in copy
    with pytest.raises(BotError, match="after one"):
        parts.service.desk.explain(token)
    parts.service.desk.correct(token, "In q2 I meant PostgreSQL, not MySQL.")
    seen = parts.staff.transcript(parts.recruiter, sid).transcript.turns
    assert seen[-1].kind == "correction" and "PostgreSQL" in seen[-1].text
    parts.staff.decide(parts.recruiter, sid, "hold", "waiting")
    said = parts.service.desk.explain(token)
    assert "A person decided (hold" in said and "it decides nothing" in said
    assert "does not judge tone, fluency or emotion" in said


def test_erasure_leaves_no_row_with_the_candidates_words_and_is_logged(finished, tmp_path):
    parts, token, sid = finished
    parts.staff.decide(parts.recruiter, sid, "reject", f"note about {SECRET_WORDS}")
    removed = parts.service.desk.erase(token)
    assert removed["turns"] > 0 and removed["scores"] > 0 and removed["self_identification"] == 1
    db = sqlite3.connect(tmp_path / "interviewer.db")
    for (table,) in db.execute("select name from sqlite_master where type='table'"):
        for row in db.execute(f"select * from {table}"):  # noqa: S608 - our own table names
            assert SECRET_WORDS not in repr(row), table
            assert "ana@example.com" not in repr(row), table
    erased = [e for e in parts.store.events(sid) if e.kind == "session.erased"]
    assert len(erased) == 1 and erased[0].payload["why"] == "candidate request"
    with pytest.raises(AccessDenied, match="erased"):
        parts.service.desk.copy(token)


def test_retention_finds_what_is_past_it_and_erases_only_that(finished):
    parts, token, sid = finished
    parts.staff.decide(parts.recruiter, sid, "advance", "good")
    now = datetime.now(UTC)
    assert past_retention(parts.store, 365, now) == []
    later = now + timedelta(days=366)
    assert past_retention(parts.store, 365, later) == [sid]  # the dry run lists it
    assert parts.store.load_session(sid).status != "erased"
    parts.store.erase_session(sid, "system:retention", "retention")
    assert past_retention(parts.store, 365, later) == []
