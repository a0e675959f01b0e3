"""Frozen dataclass rows that leave the store, and the converters to and from ORM objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, TypeVar

from bot.core.errors import StoreError
from bot.ports import AnswerScore, KeyPointResult
from bot.store.tables import Base, EventModel, ScoreModel, TurnModel

R = TypeVar("R")


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything this store writes is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SessionRow:
    id: str
    role_id: str
    template_version: int
    status: str
    consent: bool | None
    state: dict[str, Any]
    state_version: int
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
    client_key: str | None = None


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
    client_key: str | None = None


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


def score_model(turn: TurnModel, score: AnswerScore) -> ScoreModel:
    """The scores-table row for a flushed answer turn; StoreError if it names no question."""
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
        created_at=utc_now(),
        **values,
    )


def answer_score(m: ScoreModel) -> AnswerScore:
    """A stored score back as the evaluator's AnswerScore."""
    return AnswerScore(
        score=m.score,
        level=m.level,
        label=m.label,  # type: ignore[arg-type]
        probabilities=dict(m.probabilities),
        key_points=tuple(KeyPointResult(**k) for k in m.key_points),
        explanation=m.explanation,
        model_version=m.model_version,
        confidence=m.confidence if m.confidence is not None else 1.0,
        needs_review=bool(m.needs_review),
    )


def event_model(
    actor: str, kind: str, payload: dict[str, Any], session_id: str | None = None
) -> EventModel:
    """A new audit-log entry stamped now."""
    return EventModel(at=utc_now(), actor=actor, session_id=session_id, kind=kind, payload=payload)


def score_or_none(m: ScoreModel | None) -> AnswerScore | None:
    """answer_score, or None when the turn has no score."""
    return answer_score(m) if m is not None else None


def to_row(cls: type[R], m: Base, **given: Any) -> R:
    """A frozen row from an ORM object: same field names, UTC datetimes, copied JSON."""
    values = dict(given)
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in values:
            v = getattr(m, f.name)
            values[f.name] = (
                as_utc(v) if isinstance(v, datetime) else dict(v) if isinstance(v, dict) else v
            )
    return cls(**values)
