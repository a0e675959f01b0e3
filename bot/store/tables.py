"""The ORM tables: the SQLAlchemy declarative Base and one model per table the migrations create."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
    # Raised by one on every committed step: a step commits only if the version it loaded is
    # still current (compare-and-set), so two turns on one session never interleave.
    state_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TurnModel(Base):
    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_turns_session_seq"),
        UniqueConstraint("session_id", "client_key", name="uq_turns_session_client_key"),
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
    # The page's idempotency key on a candidate's message: the same message sent twice (two
    # clicks, a re-send after a crash) is stored once.
    client_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
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
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
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


class LoginModel(Base):
    """A staff login, kept server-side so logout, a new password or disabling ends it."""

    __tablename__ = "logins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ExportTicketModel(Base):
    """A one-time download of an export, bound to the login that asked for it, short-lived."""

    __tablename__ = "export_tickets"

    ticket_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    login_hash: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    role_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    fmt: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(64))  # the address that asked: only it downloads
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginFailureModel(Base):
    """Wrong passwords for one name from one source, counted atomically, with a backoff."""

    __tablename__ = "login_failures"

    user_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locks: Mapped[int] = mapped_column(Integer, default=0)  # locks so far: each doubles
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


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


class SelfIdModel(Base):
    """Voluntary self-identification, kept apart: only the impact-ratio report reads it, in
    aggregate; no scoring, transcript or per-candidate export path touches this table."""

    __tablename__ = "self_identification"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    sex: Mapped[str] = mapped_column(String(40))
    race_ethnicity: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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


class GradedExampleModel(Base):
    """An answer a recruiter graded, kept as an example for its question (not the transcript:
    the turn may change or go; this is what the evaluator learns from). `base_score` is what
    the evaluator said of it before the grade. Erased with its session; retention applies."""

    __tablename__ = "graded_examples"
    __table_args__ = (
        CheckConstraint("level >= 1 AND level <= 5", name="ck_graded_examples_level"),
        Index("ix_graded_examples_question", "role_id", "question_id"),
        Index("ix_graded_examples_session", "session_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    role_id: Mapped[str] = mapped_column(String(100))
    question_id: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    base_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("sessions.id"), nullable=True
    )
    graded_by: Mapped[str] = mapped_column(String(200))
    graded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class RateCountModel(Base):
    """Requests one client (a hashed key) made in one fixed window, counted by every process."""

    __tablename__ = "rate_counts"
    __table_args__ = (Index("ix_rate_counts_expires", "expires_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    calls: Mapped[int] = mapped_column(Integer)


class ResumeModel(Base):
    """A candidate's resume as models read it: masked (blind_text), with what was masked and
    the match against the role's requirements. The file itself is not kept. It belongs to an
    invite (the candidate's record); erased with the candidate's session, retention applies."""

    __tablename__ = "resumes"
    __table_args__ = (Index("ix_resumes_role", "role_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invite_hash: Mapped[str] = mapped_column(ForeignKey("invites.token_hash"), index=True)
    role_id: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    blind_text: Mapped[str] = mapped_column(Text)
    masked: Mapped[dict] = mapped_column(JSON)  # {"items": [[kind, text], ...]}
    match: Mapped[dict] = mapped_column(JSON)  # the ResumeMatch, as bot/resumes/records.py keeps it
    score: Mapped[float] = mapped_column(Float)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
