"""Initial schema: sessions, turns, scores, templates, and the append-only events log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)
_APPEND_ONLY = "events are an append-only audit log: add a new event instead"


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("role_id", sa.String(100), nullable=False),
        sa.Column("template_version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("consent", sa.Boolean, nullable=True),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_sessions_role_id", "sessions", ["role_id"])
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("speaker", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("question_id", sa.String(100), nullable=True),
        sa.Column("model_version", sa.String(200), nullable=True),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("session_id", "seq", name="uq_turns_session_seq"),
        sa.CheckConstraint("speaker IN ('interviewer', 'candidate')", name="ck_turns_speaker"),
    )
    op.create_index("ix_turns_session_id", "turns", ["session_id"])
    op.create_table(
        "scores",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("turn_id", sa.Integer, sa.ForeignKey("turns.id"), nullable=False),
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        sa.Column("probabilities", sa.JSON, nullable=False),
        sa.Column("key_points", sa.JSON, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("model_version", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="ck_scores_score"),
    )
    op.create_index("ix_scores_turn_id", "scores", ["turn_id"])
    op.create_index("ix_scores_session_id", "scores", ["session_id"])
    op.create_table(
        "templates",
        sa.Column("role_id", sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("yaml_text", sa.Text, nullable=False),
        sa.Column("published_at", _TS, nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), nullable=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_events_session_id", "events", ["session_id"])
    _forbid_event_changes()


def _forbid_event_changes() -> None:
    """The database itself refuses UPDATE and DELETE on events, whoever connects."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER events_no_{verb.lower()} BEFORE {verb} ON events "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION events_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{_APPEND_ONLY}'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS events_no_update")
        op.execute("DROP TRIGGER IF EXISTS events_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_append_only ON events")
        op.execute("DROP FUNCTION IF EXISTS events_append_only()")
    for table in ("events", "templates", "scores", "turns", "sessions"):
        op.drop_table(table)
