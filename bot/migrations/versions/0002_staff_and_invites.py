"""Staff and candidates' access: users, invites, score overrides, decisions, candidate feedback.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def _session_fk(nullable: bool = False) -> sa.Column:
    return sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.CheckConstraint("role IN ('hr', 'recruiter')", name="ck_users_role"),
    )
    op.create_table(
        "invites",
        # Only the token's sha256 is kept: a copy of the database opens no interview.
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("role_id", sa.String(100), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        _session_fk(nullable=True),
        sa.Column("used_at", _TS, nullable=True),
        sa.UniqueConstraint("session_id", name="uq_invites_session_id"),
    )
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _session_fk(),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="ck_overrides_score"),
        sa.CheckConstraint("level >= 1 AND level <= 5", name="ck_overrides_level"),
    )
    op.create_index("ix_overrides_session_id", "overrides", ["session_id"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _session_fk(),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.CheckConstraint(
            "decision IN ('advance', 'hold', 'reject')", name="ck_decisions_decision"
        ),
    )
    op.create_index("ix_decisions_session_id", "decisions", ["session_id"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _session_fk(),
        sa.Column("rating", sa.Integer, nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="ck_feedback"),
    )
    op.create_index("ix_feedback_session_id", "feedback", ["session_id"])


def downgrade() -> None:
    for table in ("feedback", "decisions", "overrides", "invites", "users"):
        op.drop_table(table)
