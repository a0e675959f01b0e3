"""SQLAlchemy store: interview sessions, turns, scores, role template versions, audit log.

The schema is owned by the Alembic migrations packaged in bot/migrations; `Store(url)` runs
them to head on start. Rows leave this module as frozen dataclasses, never ORM objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from bot.errors import StoreError
from bot.ports import AnswerScore, KeyPointResult

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
R = TypeVar("R")


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything this store writes is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class SessionModel(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    role_id: Mapped[str] = mapped_column(String(100), index=True)
    template_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    consent: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TurnModel(Base):
    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_turns_session_seq"),
        CheckConstraint("speaker IN ('interviewer', 'candidate')", name="ck_turns_speaker"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    question_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    model_version: Mapped[str | None] = mapped_column(String(200), nullable=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScoreModel(Base):
    __tablename__ = "scores"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 1", name="ck_scores_score"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("turns.id"), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[float] = mapped_column(Float)
    level: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(32))
    probabilities: Mapped[dict[str, float]] = mapped_column(JSON)
    key_points: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    model_version: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TemplateModel(Base):
    __tablename__ = "templates"

    role_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    yaml_text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(200))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class EventModel(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("sessions.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class UserModel(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('hr', 'recruiter')", name="ck_users_role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled: Mapped[bool] = mapped_column(Boolean)


class InviteModel(Base):
    __tablename__ = "invites"
    __table_args__ = (UniqueConstraint("session_id", name="uq_invites_session_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    role_id: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    session_id: Mapped[str | None] = mapped_column(ForeignKey("sessions.id"), nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OverrideModel(Base):
    __tablename__ = "overrides"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 1", name="ck_overrides_score"),
        CheckConstraint("level >= 1 AND level <= 5", name="ck_overrides_level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[float] = mapped_column(Float)
    level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionModel(Base):
    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint("decision IN ('advance', 'hold', 'reject')", name="ck_decisions_decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FeedbackModel(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="ck_feedback"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class SessionRow:
    id: str
    role_id: str
    template_version: int
    status: str
    consent: bool | None
    state: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class TurnIn:
    """One thing said, to be written with its session's step."""

    speaker: str  # 'interviewer' | 'candidate'
    kind: str
    text: str
    question_id: str | None = None
    model_version: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    score: AnswerScore | None = None


@dataclass(frozen=True)
class TurnRow:
    id: int
    session_id: str
    seq: int
    speaker: str
    kind: str
    text: str
    question_id: str | None
    model_version: str | None
    meta: dict[str, Any]
    created_at: datetime
    score: AnswerScore | None


@dataclass(frozen=True)
class EventIn:
    actor: str
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class EventRow:
    id: int
    at: datetime
    actor: str
    session_id: str | None
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class TemplateRow:
    role_id: str
    version: int
    yaml_text: str
    published_at: datetime
    published_by: str
    retired: bool


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: str  # 'hr' | 'recruiter'
    password_hash: str
    created_at: datetime
    disabled: bool


@dataclass(frozen=True)
class InviteRow:
    token_hash: str
    role_id: str
    email: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime
    session_id: str | None
    used_at: datetime | None


@dataclass(frozen=True)
class OverrideRow:
    id: int
    session_id: str
    question_id: str
    score: float
    level: int
    reason: str
    actor: str
    created_at: datetime


@dataclass(frozen=True)
class DecisionRow:
    id: int
    session_id: str
    decision: str  # 'advance' | 'hold' | 'reject'
    note: str
    actor: str
    created_at: datetime


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    session_id: str
    rating: int | None
    comment: str
    at: datetime


def _score_model(turn: TurnModel, score: AnswerScore) -> ScoreModel:
    if turn.question_id is None:
        raise StoreError(
            f"turn {turn.seq} of session '{turn.session_id}' carries a score but no question_id; "
            "pass the question_id of the answered question with the score"
        )
    values = asdict(score)  # key points become plain dicts for the JSON column
    values["key_points"] = list(values["key_points"])
    return ScoreModel(
        turn_id=turn.id,
        session_id=turn.session_id,
        question_id=turn.question_id,
        created_at=_now(),
        **values,
    )


def _answer_score(m: ScoreModel) -> AnswerScore:
    return AnswerScore(
        score=m.score,
        level=m.level,
        label=m.label,  # type: ignore[arg-type]
        probabilities=dict(m.probabilities),
        key_points=tuple(KeyPointResult(**k) for k in m.key_points),
        explanation=m.explanation,
        model_version=m.model_version,
    )


def _event(
    actor: str, kind: str, payload: dict[str, Any], session_id: str | None = None
) -> EventModel:
    return EventModel(at=_now(), actor=actor, session_id=session_id, kind=kind, payload=payload)


def _score_or_none(m: ScoreModel | None) -> AnswerScore | None:
    return _answer_score(m) if m is not None else None


def _row(cls: type[R], m: Base, **given: Any) -> R:
    """A frozen row from an ORM object: same field names, UTC datetimes, copied JSON."""
    values = dict(given)
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in values:
            v = getattr(m, f.name)
            values[f.name] = (
                _utc(v) if isinstance(v, datetime) else dict(v) if isinstance(v, dict) else v
            )
    return cls(**values)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run while a turn is written; FULL sync makes a commit durable on return.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _open_engine(url: str) -> Engine:
    shown = "the configured URL"
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args=_connect_args(parsed.get_backend_name()))
    except (SQLAlchemyError, ValueError, OSError) as e:
        raise StoreError(
            f"cannot open database {shown}: {e}; check INTERVIEWER_DATABASE_URL "
            "(e.g. sqlite:////abs/path/interviewer.db or postgresql+psycopg://user@host/db)"
        ) from e
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _connect_args(backend: str) -> dict[str, Any]:
    return {"timeout": 30} if backend == "sqlite" else {}


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration packaged with this code."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """The one door to the database. Every method is its own committed transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = _open_engine(url)
        try:
            migrate(self._engine)
        except SQLAlchemyError as e:
            shown = self._engine.url.render_as_string(hide_password=True)
            raise StoreError(
                f"could not bring the database at {shown} to the current schema: {e}; "
                "check that it is reachable and writable, and that no newer release migrated it"
            ) from e
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def close(self) -> None:
        """Release the connection pool."""
        self._engine.dispose()

    @contextmanager
    def _tx(self, doing: str) -> Iterator[Session]:
        """One transaction; SQLAlchemy errors come out as StoreError naming what was being done."""
        try:
            with self._sessions.begin() as session:
                yield session
        except StoreError:
            raise
        except IntegrityError as e:
            raise StoreError(
                f"could not {doing}: the database refused it ({e.orig}); nothing was saved"
            ) from e
        except OperationalError as e:
            raise StoreError(
                f"could not {doing}: {e.orig}; nothing was saved. If the database is locked or "
                "unreachable, retry shortly; check disk space and permissions on "
                f"{self._engine.url.render_as_string(hide_password=True)}"
            ) from e
        except SQLAlchemyError as e:
            raise StoreError(f"could not {doing}: {e}; nothing was saved") from e

    def create_session(self, role_id: str, template_version: int, state: dict[str, Any]) -> str:
        """Start an interview session; returns its id (a uuid4 hex string)."""
        session_id = uuid.uuid4().hex
        now = _now()
        with self._tx(f"create a session for role '{role_id}'") as s:
            s.add(
                SessionModel(
                    id=session_id,
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
            return _row(SessionRow, self._get_session(s, session_id))

    @staticmethod
    def _get_session(s: Session, session_id: str) -> SessionModel:
        found = s.get(SessionModel, session_id)
        if found is None:
            raise StoreError(f"no interview session '{session_id}'; check the link")
        return found

    def commit_step(
        self,
        session_id: str,
        *,
        state: dict[str, Any],
        status: str,
        consent: bool | None,
        turns: Sequence[TurnIn],
        events: Sequence[EventIn] = (),
    ) -> list[int]:
        """Write one interview step (state, turns, scores, events) in ONE transaction."""
        with self._tx(f"save a step of session '{session_id}'") as s:
            row = self._get_session(s, session_id)
            row.state, row.status, row.consent, row.updated_at = state, status, consent, _now()
            s.flush()  # the UPDATE takes SQLite's write lock before seq is read
            last = s.scalar(
                select(func.max(TurnModel.seq)).where(TurnModel.session_id == session_id)
            )
            ids = [
                self._add_turn(s, session_id, (last or 0) + i, t) for i, t in enumerate(turns, 1)
            ]
            s.add_all(_event(e.actor, e.kind, e.payload, session_id) for e in events)
        return ids

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
            created_at=_now(),
        )
        s.add(turn)
        s.flush()
        if t.score is not None:
            s.add(_score_model(turn, t.score))
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
            return [_row(TurnRow, t, score=_score_or_none(scores.get(t.id))) for t in turns]

    def latest_scores(self, role_id: str | None = None) -> dict[str, dict[str, AnswerScore]]:
        """Each session's last model score per question, in one read (for session lists)."""
        query = select(ScoreModel).order_by(ScoreModel.id)
        if role_id is not None:
            query = query.join(SessionModel).where(SessionModel.role_id == role_id)
        out: dict[str, dict[str, AnswerScore]] = {}
        with self._tx("read scores") as s:
            for m in s.scalars(query):
                out.setdefault(m.session_id, {})[m.question_id] = _answer_score(m)
        return out

    def sessions(self, role_id: str | None = None) -> list[SessionRow]:
        """All sessions, oldest first; only one role's when role_id is given."""
        query = select(SessionModel).order_by(SessionModel.created_at, SessionModel.id)
        if role_id is not None:
            query = query.where(SessionModel.role_id == role_id)
        with self._tx("list sessions") as s:
            return [_row(SessionRow, m) for m in s.scalars(query)]

    def append_event(
        self, actor: str, kind: str, payload: dict[str, Any], session_id: str | None = None
    ) -> None:
        """Add one entry to the append-only audit log."""
        with self._tx(f"record event '{kind}'") as s:
            s.add(_event(actor, kind, payload, session_id))

    def events(self, session_id: str | None = None) -> list[EventRow]:
        """The audit log in order written; only one session's when session_id is given."""
        query = select(EventModel).order_by(EventModel.id)
        if session_id is not None:
            query = query.where(EventModel.session_id == session_id)
        with self._tx("read the audit log") as s:
            return [_row(EventRow, m) for m in s.scalars(query)]

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
                    published_at=_now(),
                    published_by=actor,
                    retired=retired,
                )
            )
            kind = "template.retired" if retired else "template.published"
            s.add(_event(actor, kind, {"role_id": role_id, "version": version}))

    def template(self, role_id: str, version: int) -> TemplateRow | None:
        """One published version of a role template, or None."""
        with self._tx(f"read role '{role_id}' version {version}") as s:
            found = s.get(TemplateModel, (role_id, version))
            return _row(TemplateRow, found) if found else None

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
            return [_row(TemplateRow, m) for m in s.scalars(query)]

    # Staff accounts ------------------------------------------------------------------------
    def add_user(
        self, name: str, role: str, password_hash: str, actor: str = "system:cli"
    ) -> UserRow:
        """Create a staff account, and log who created it; StoreError if the name is taken."""
        with self._tx(f"add user '{name}'") as s:
            if s.scalar(select(UserModel.id).where(UserModel.name == name)) is not None:
                raise StoreError(f"user '{name}' already exists; choose another name")
            user = UserModel(
                name=name, role=role, password_hash=password_hash, created_at=_now(), disabled=False
            )
            s.add(user)
            s.flush()
            s.add(_event(actor, "user.added", {"name": name, "role": role}))
            return _row(UserRow, user)

    def user(self, name: str) -> UserRow | None:
        """One staff account by name, or None."""
        with self._tx(f"read user '{name}'") as s:
            found = s.scalar(select(UserModel).where(UserModel.name == name))
            return _row(UserRow, found) if found else None

    def users(self) -> list[UserRow]:
        """Every staff account, by name."""
        with self._tx("list users") as s:
            return [_row(UserRow, m) for m in s.scalars(select(UserModel).order_by(UserModel.name))]

    def set_user(
        self, name: str, actor: str, *, disabled: bool | None = None, password_hash: str = ""
    ) -> None:
        """Disable/enable an account or replace its password hash, and log it (never the hash)."""
        with self._tx(f"change user '{name}'") as s:
            user = s.scalar(select(UserModel).where(UserModel.name == name))
            if user is None:
                raise StoreError(f"no user '{name}'; list them with `interviewer users list`")
            changed: dict[str, Any] = {"name": name}
            if disabled is not None:
                user.disabled = changed["disabled"] = disabled
            if password_hash:
                user.password_hash, changed["password"] = password_hash, "changed"
            s.add(_event(actor, "user.changed", changed))

    # Invites -------------------------------------------------------------------------------
    def add_invite(
        self,
        token_hash: str,
        role_id: str,
        email: str | None,
        actor: str,
        expires_at: datetime,
    ) -> InviteRow:
        """Keep a new invite (its token's hash only) and log who created it."""
        with self._tx(f"create an invite for role '{role_id}'") as s:
            invite = InviteModel(
                token_hash=token_hash,
                role_id=role_id,
                email=email,
                created_by=actor,
                created_at=_now(),
                expires_at=expires_at,
            )
            s.add(invite)
            payload = {"role_id": role_id, "email": email, "invite": token_hash[:12]}
            s.add(_event(actor, "invite.created", payload))
            return _row(InviteRow, invite)

    def invite(self, token_hash: str) -> InviteRow | None:
        """One invite by its token's hash, or None."""
        with self._tx("read an invite") as s:
            found = s.get(InviteModel, token_hash)
            return _row(InviteRow, found) if found else None

    def invites(self) -> list[InviteRow]:
        """Every invite, oldest first."""
        query = select(InviteModel).order_by(InviteModel.created_at)
        with self._tx("list invites") as s:
            return [_row(InviteRow, m) for m in s.scalars(query)]

    def bind_invite(
        self, token_hash: str, template_version: int, state: dict[str, Any]
    ) -> tuple[str, bool]:
        """The invite's session, created and bound on first use: (session id, created now)."""
        with self._tx("open an invite") as s:
            # Write before reading: the row lock (SQLite: the write lock) makes two first
            # opens of one link take turns, so the second finds the first one's session.
            s.execute(
                update(InviteModel)
                .where(InviteModel.token_hash == token_hash)
                .values(used_at=func.coalesce(InviteModel.used_at, _now()))
            )
            invite = s.get(InviteModel, token_hash)
            if invite is None:
                raise StoreError("no such invite; ask the recruiter for a new link")
            if invite.session_id is not None:
                return invite.session_id, False
            session_id = uuid.uuid4().hex
            now = _now()
            s.add(
                SessionModel(
                    id=session_id,
                    role_id=invite.role_id,
                    template_version=template_version,
                    status="created",
                    consent=None,
                    state=state,
                    created_at=now,
                    updated_at=now,
                )
            )
            s.flush()
            invite.session_id = session_id
            s.add(_event("candidate", "invite.opened", {"invite": token_hash[:12]}, session_id))
            return session_id, True

    # Recruiters' judgements and candidates' feedback ---------------------------------------
    def add_override(
        self, session_id: str, question_id: str, score: float, level: int, reason: str, actor: str
    ) -> OverrideRow:
        """Keep a person's score beside the model's (which stays as it was), and log it."""
        with self._tx(f"override a score in session '{session_id}'") as s:
            self._get_session(s, session_id)
            row = OverrideModel(
                session_id=session_id,
                question_id=question_id,
                score=score,
                level=level,
                reason=reason,
                actor=actor,
                created_at=_now(),
            )
            s.add(row)
            s.flush()
            payload = {"question_id": question_id, "score": score, "level": level, "reason": reason}
            s.add(_event(actor, "score.overridden", payload, session_id))
            return _row(OverrideRow, row)

    def overrides(self, session_id: str | None = None) -> list[OverrideRow]:
        """Score overrides in order made; only one session's when session_id is given."""
        query = select(OverrideModel).order_by(OverrideModel.id)
        if session_id is not None:
            query = query.where(OverrideModel.session_id == session_id)
        with self._tx("read score overrides") as s:
            return [_row(OverrideRow, m) for m in s.scalars(query)]

    def add_decision(self, session_id: str, decision: str, note: str, actor: str) -> DecisionRow:
        """Keep a recruiter's decision (earlier ones stay in the history), and log it."""
        with self._tx(f"record a decision for session '{session_id}'") as s:
            self._get_session(s, session_id)
            row = DecisionModel(
                session_id=session_id, decision=decision, note=note, actor=actor, created_at=_now()
            )
            s.add(row)
            s.flush()
            s.add(
                _event(actor, "decision.recorded", {"decision": decision, "note": note}, session_id)
            )
            return _row(DecisionRow, row)

    def decisions(self, session_id: str | None = None) -> list[DecisionRow]:
        """Decisions in order made; only one session's when session_id is given."""
        query = select(DecisionModel).order_by(DecisionModel.id)
        if session_id is not None:
            query = query.where(DecisionModel.session_id == session_id)
        with self._tx("read decisions") as s:
            return [_row(DecisionRow, m) for m in s.scalars(query)]

    def add_feedback(self, session_id: str, rating: int | None, comment: str) -> FeedbackRow:
        """Keep a candidate's optional feedback on the interview."""
        with self._tx(f"save feedback for session '{session_id}'") as s:
            self._get_session(s, session_id)
            row = FeedbackModel(session_id=session_id, rating=rating, comment=comment, at=_now())
            s.add(row)
            s.flush()
            s.add(_event("candidate", "feedback.left", {"rating": rating}, session_id))
            return _row(FeedbackRow, row)

    def feedback(self, session_id: str | None = None) -> list[FeedbackRow]:
        """Candidates' feedback in order left; only one session's when session_id is given."""
        query = select(FeedbackModel).order_by(FeedbackModel.id)
        if session_id is not None:
            query = query.where(FeedbackModel.session_id == session_id)
        with self._tx("read feedback") as s:
            return [_row(FeedbackRow, m) for m in s.scalars(query)]
