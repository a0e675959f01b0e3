"""Invite links with a real SQLite store: one token, one interview, resumable, and expiring."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest

import bot.invites
from bot.core.errors import AccessDenied, BotError
from bot.transcript import Message
from tests.unit.test_staff import GOOD, make_parts


@pytest.fixture
def parts(tmp_path):
    return make_parts(tmp_path)


def invite(parts, email=None) -> str:
    return parts.staff.create_invite(parts.recruiter, "test-role", email).token


def later(monkeypatch, hours: float) -> None:
    """Move the clock the invite checks forward."""
    moment = datetime.now(UTC) + timedelta(hours=hours)

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment

    monkeypatch.setattr(bot.invites, "datetime", Later)


def test_the_first_open_starts_the_interview_and_later_opens_resume_it(parts):
    token = invite(parts, "ana@example.com")
    sid = parts.service.desk.open_invite(token)
    parts.service.desk.reply(token, "yes")
    parts.service.desk.reply(token, GOOD)
    said_before = parts.service.desk.history(token)
    assert parts.service.desk.open_invite(token) == sid  # a reload: same session, nothing restarted
    assert parts.service.desk.history(token) == said_before
    assert [s.id for s in parts.store.sessions()] == [sid]
    assert parts.store.invites()[0].used_at is not None
    assert "invite.opened" in [e.kind for e in parts.store.events(sid)]


def test_a_token_never_reaches_another_session(parts):
    mine, theirs = invite(parts), invite(parts)
    my_sid, their_sid = parts.service.desk.open_invite(mine), parts.service.desk.open_invite(theirs)
    assert my_sid != their_sid
    before = parts.service.history(their_sid)
    for call in (
        lambda: parts.service.desk.reply(mine, "yes", claimed=their_sid),
        lambda: parts.service.desk.history(mine, claimed=their_sid),
        lambda: parts.service.desk.session_for(mine, their_sid),
    ):
        with pytest.raises(AccessDenied, match="belongs to another interview"):
            call()
    assert parts.service.history(their_sid) == before  # nothing was written there
    parts.service.desk.reply(mine, "yes")
    assert parts.service.history(their_sid) == before
    assert len(parts.service.history(my_sid)) > len(before)


def test_unknown_and_unopened_tokens_are_refused(parts):
    for bad in ("", "x" * 43, "../../etc", "x" * 1000):
        with pytest.raises(AccessDenied, match="not valid"):
            parts.service.desk.open_invite(bad)
    with pytest.raises(AccessDenied, match="not been opened"):
        parts.service.desk.reply(invite(parts), "yes")


def test_an_unused_invite_expires(parts, monkeypatch):
    token = invite(parts)
    later(monkeypatch, parts.settings.invite_ttl_hours + 1)
    with pytest.raises(AccessDenied, match="has expired; ask the recruiter for a new one"):
        parts.service.desk.open_invite(token)
    assert parts.store.sessions() == []


def test_an_opened_invite_lasts_its_ttl_from_first_use(parts, monkeypatch):
    token = invite(parts)
    sid = parts.service.desk.open_invite(token)
    later(monkeypatch, parts.settings.invite_ttl_hours - 1)
    assert parts.service.desk.open_invite(token) == sid
    later(monkeypatch, parts.settings.invite_ttl_hours + 1)
    with pytest.raises(AccessDenied, match="expired"):
        parts.service.desk.reply(token, "yes")


def test_only_the_tokens_hash_is_stored(parts):
    token = invite(parts, "ana@example.com")
    (stored,) = parts.store.invites()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    db = (parts.settings.home / "interviewer.db").read_bytes()
    wal = parts.settings.home / "interviewer.db-wal"
    assert token.encode() not in db + (wal.read_bytes() if wal.exists() else b"")
    created = parts.store.events()[-1]
    assert created.kind == "invite.created" and created.actor == "recruiter:rita"
    assert token not in repr(created.payload)


def test_two_first_opens_at_once_share_one_session(parts):
    token = invite(parts)
    found: list[str] = []
    threads = [
        threading.Thread(target=lambda: found.append(parts.service.desk.open_invite(token)))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == 2 and found[0] == found[1]
    assert len(parts.store.sessions()) == 1


def test_feedback_is_optional_checked_and_kept(parts):
    token = invite(parts)
    sid = parts.service.desk.open_invite(token)
    with pytest.raises(BotError, match="choose 1 to 5"):
        parts.service.desk.feedback(token, 7, "")
    with pytest.raises(BotError, match="empty"):
        parts.service.desk.feedback(token, None, "   ")
    with pytest.raises(BotError, match="when the interview has ended"):
        parts.service.desk.feedback(token, 4, "Clear questions.")
    parts.service.reply(sid, "no")  # declining ends the interview too: feedback opens
    parts.service.desk.feedback(token, 4, "Clear questions.")
    with pytest.raises(BotError, match="already saved"):
        parts.service.desk.feedback(token, None, "One more thought.")
    assert [(f.rating, f.comment) for f in parts.store.feedback(sid)] == [(4, "Clear questions.")]
    assert parts.staff.transcript(parts.recruiter, sid).feedback[0].rating == 4


def test_what_a_candidate_is_sent_carries_no_score():
    assert {f.name for f in fields(Message)} == {"speaker", "kind", "text", "sources"}
