"""SQLAlchemy store: interview sessions, turns, scores, role template versions, audit log.

The schema is owned by the Alembic migrations packaged in bot/migrations; `Store(url)` runs
them to head on start. Rows leave this package as frozen dataclasses, never ORM objects.
This module holds the Store itself (sessions, turns, events, templates); tables.py the ORM
models, rows.py the rows, engine.py opening and migrating, people.py staff and candidates.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.errors import StoreError, TurnConflict
from bot.ports import AnswerScore
from bot.store.audit import ERASED, AuditRecords, ErasureRecords, SelfId
from bot.store.engine import MIGRATIONS_DIR, migrate
from bot.store.examples import ExampleRecords, GradedExampleRow
from bot.store.logins import ExportTicket, LoginRecords, LoginRow
from bot.store.people import PeopleRecords
from bot.store.rates import RateRecords
from bot.store.resumes import ResumeRecords, ResumeRow
from bot.store.rows import (
    DecisionRow,
    EventIn,
    EventRow,
    FeedbackRow,
    InviteRow,
    OverrideRow,
    SessionRow,
    TemplateRow,
    TurnIn,
    TurnRow,
    UserRow,
    answer_score,
    event_model,
    score_model,
    score_or_none,
    to_row,
    utc_now,
)
from bot.store.tables import Base, EventModel, ScoreModel, SessionModel, TemplateModel, TurnModel

__all__ = [
    "ERASED",
    "MIGRATIONS_DIR",
    "Base",
    "DecisionRow",
    "EventIn",
    "EventRow",
    "ExportTicket",
    "FeedbackRow",
    "GradedExampleRow",
    "InviteRow",
    "LoginRow",
    "OverrideRow",
    "ResumeRow",
    "SelfId",
    "SessionRow",
    "Store",
    "TemplateRow",
    "TurnIn",
    "TurnRow",
    "UserRow",
    "migrate",
]


class Store(
    PeopleRecords, LoginRecords, AuditRecords, ErasureRecords, ExampleRecords, RateRecords,
    ResumeRecords,
):
    """The one door to the database. Every method is its own committed transaction."""

    def create_session(self, role_id: str, template_version: int, state: dict[str, Any]) -> str:
        """Start an interview session; returns its id (a uuid4 hex string)."""
        session_id = uuid.uuid4().hex
        now = utc_now()
        with self._tx(f"create a session for role '{role_id}'") as s:
            s.add(
                SessionModel(
                    id=session_id,
                    state_version=0,
                    role_id=role_id,
                    template_version=template_version,
                    status="created",
                    consent=None,
                    state=state,
                    created_at=now,
                    updated_at=now,
                )
            )
        return session_id

    def load_session(self, session_id: str) -> SessionRow:
        """The session as last committed; StoreError if there is none."""
        with self._tx(f"load session '{session_id}'") as s:
            return to_row(SessionRow, self._get_session(s, session_id))

    def commit_step(
        self,
        session_id: str,
        *,
        state: dict[str, Any],
        status: str,
        consent: bool | None,
        turns: Sequence[TurnIn],
        events: Sequence[EventIn] = (),
        expected_version: int | None = None,
    ) -> list[int]:
        """Write one interview step (state, turns, scores, events) in ONE transaction.

        With `expected_version`, the step commits only if the session is still at that
        version (compare-and-set, across processes too); otherwise TurnConflict and nothing
        is written. A candidate turn whose client_key is already stored is a TurnConflict too.
        """
        doing = f"save a step of session '{session_id}'"
        try:
            with self._tx(doing) as s:
                self._get_session(s, session_id)
                query = update(SessionModel).where(SessionModel.id == session_id)
                if expected_version is not None:
                    query = query.where(SessionModel.state_version == expected_version)
                # The UPDATE also takes SQLite's write lock before seq is read.
                done = s.execute(
                    query.values(
                        state=state, status=status, consent=consent, updated_at=utc_now(),
                        state_version=SessionModel.state_version + 1,
                    )
                )  # fmt: skip
                if done.rowcount != 1:  # type: ignore[attr-defined]
                    raise TurnConflict(f"session '{session_id}' moved on before this step")
                last = s.scalar(
                    select(func.max(TurnModel.seq)).where(TurnModel.session_id == session_id)
                )
                ids = [
                    self._add_turn(s, session_id, (last or 0) + i, t)
                    for i, t in enumerate(turns, 1)
                ]
                s.add_all(event_model(e.actor, e.kind, e.payload, session_id) for e in events)
        except StoreError as exc:
            cause = exc.__cause__
            if isinstance(cause, IntegrityError) and _duplicate_key(str(cause.orig)):
                raise TurnConflict(f"this message was already saved in '{session_id}'") from exc
            raise
        return ids

    def keyed_turns(self, session_id: str, key: str) -> list[TurnRow] | None:
        """The candidate's message stored under this idempotency key and what the interviewer
        said after it (until the candidate's next message), or None if the key is new."""
        with self._tx(f"look up a message of session '{session_id}'") as s:
            first = s.scalar(
                select(TurnModel).where(
                    TurnModel.session_id == session_id, TurnModel.client_key == key
                )
            )
            if first is None:
                return None
            later = s.scalars(
                select(TurnModel)
                .where(TurnModel.session_id == session_id, TurnModel.seq > first.seq)
                .order_by(TurnModel.seq)
            ).all()
            out = [to_row(TurnRow, first, score=None)]
            for t in later:
                if t.speaker == "candidate":
                    break
                out.append(to_row(TurnRow, t, score=None))
            return out

    @staticmethod
    def _add_turn(s: Session, session_id: str, seq: int, t: TurnIn) -> int:
        turn = TurnModel(
            session_id=session_id,
            seq=seq,
            speaker=t.speaker,
            kind=t.kind,
            text=t.text,
            question_id=t.question_id,
            model_version=t.model_version,
            meta=dict(t.meta),
            created_at=utc_now(),
            client_key=t.client_key,
        )
        s.add(turn)
        s.flush()
        if t.score is not None:
            s.add(score_model(turn, t.score))
        return turn.id

    def turns(self, session_id: str) -> list[TurnRow]:
        """The session's transcript in order, each answer with its (latest) score."""
        with self._tx(f"read the transcript of session '{session_id}'") as s:
            self._get_session(s, session_id)
            turns = s.scalars(
                select(TurnModel).where(TurnModel.session_id == session_id).order_by(TurnModel.seq)
            ).all()
            scores: dict[int, ScoreModel] = {}
            for sc in s.scalars(
                select(ScoreModel)
                .where(ScoreModel.session_id == session_id)
                .order_by(ScoreModel.id)
            ):
                scores[sc.turn_id] = sc  # a later score for the same turn wins
            return [to_row(TurnRow, t, score=score_or_none(scores.get(t.id))) for t in turns]

    def latest_scores(self, role_id: str | None = None) -> dict[str, dict[str, AnswerScore]]:
        """Each session's last model score per question, in one read (for session lists)."""
        query = select(ScoreModel).order_by(ScoreModel.id)
        if role_id is not None:
            query = query.join(SessionModel).where(SessionModel.role_id == role_id)
        out: dict[str, dict[str, AnswerScore]] = {}
        with self._tx("read scores") as s:
            for m in s.scalars(query):
                out.setdefault(m.session_id, {})[m.question_id] = answer_score(m)
        return out

    def sessions(self, role_id: str | None = None) -> list[SessionRow]:
        """All sessions, oldest first; only one role's when role_id is given."""
        query = select(SessionModel).order_by(SessionModel.created_at, SessionModel.id)
        if role_id is not None:
            query = query.where(SessionModel.role_id == role_id)
        with self._tx("list sessions") as s:
            return [to_row(SessionRow, m) for m in s.scalars(query)]

    def append_event(
        self, actor: str, kind: str, payload: dict[str, Any], session_id: str | None = None
    ) -> None:
        """Add one entry to the append-only audit log."""
        with self._tx(f"record event '{kind}'") as s:
            s.add(event_model(actor, kind, payload, session_id))

    def events(self, session_id: str | None = None, kinds: Sequence[str] = ()) -> list[EventRow]:
        """The audit log in order written; only one session's when session_id is given, only
        entries of these kinds when kinds are given."""
        query = select(EventModel).order_by(EventModel.id)
        if session_id is not None:
            query = query.where(EventModel.session_id == session_id)
        if kinds:
            query = query.where(EventModel.kind.in_(list(kinds)))
        with self._tx("read the audit log") as s:
            return [to_row(EventRow, m) for m in s.scalars(query)]

    def publish_template(
        self, role_id: str, version: int, yaml_text: str, actor: str, retired: bool = False
    ) -> None:
        """Keep a published role template version, and log who published (or retired) it."""
        with self._tx(f"publish role '{role_id}' version {version}") as s:
            if s.get(TemplateModel, (role_id, version)) is not None:
                raise StoreError(
                    f"role '{role_id}' version {version} is already published; published "
                    "versions never change: raise `version:` in the YAML and publish again"
                )
            s.add(
                TemplateModel(
                    role_id=role_id,
                    version=version,
                    yaml_text=yaml_text,
                    published_at=utc_now(),
                    published_by=actor,
                    retired=retired,
                )
            )
            kind = "template.retired" if retired else "template.published"
            s.add(event_model(actor, kind, {"role_id": role_id, "version": version}))

    def template(self, role_id: str, version: int) -> TemplateRow | None:
        """One published version of a role template, or None."""
        with self._tx(f"read role '{role_id}' version {version}") as s:
            found = s.get(TemplateModel, (role_id, version))
            return to_row(TemplateRow, found) if found else None

    def latest_template(self, role_id: str) -> TemplateRow | None:
        """The highest published version of a role (retired or not: see .retired), or None."""
        versions = self.template_versions(role_id)
        return versions[-1] if versions else None

    def template_role_ids(self) -> list[str]:
        """Every role with at least one published template version, sorted."""
        query = select(TemplateModel.role_id).distinct().order_by(TemplateModel.role_id)
        with self._tx("list published roles") as s:
            return list(s.scalars(query))

    def template_versions(self, role_id: str) -> list[TemplateRow]:
        """Every published version of a role, oldest first."""
        query = (
            select(TemplateModel)
            .where(TemplateModel.role_id == role_id)
            .order_by(TemplateModel.version)
        )
        with self._tx(f"list versions of role '{role_id}'") as s:
            return [to_row(TemplateRow, m) for m in s.scalars(query)]


def _duplicate_key(message: str) -> bool:
    """Whether a refused write was a second message under one idempotency key (SQLite and
    PostgreSQL word it differently)."""
    return "uq_turns_session_client_key" in message or "turns.client_key" in message
