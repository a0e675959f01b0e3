"""Graded examples: answers a recruiter graded, kept apart from the transcript, that the
evaluator learns each question from (bot/evaluator/examples.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "graded_examples",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("role_id", sa.String(100), nullable=False),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("base_score", sa.Float, nullable=True),
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), nullable=True),
        sa.Column("graded_by", sa.String(200), nullable=False),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.CheckConstraint("level >= 1 AND level <= 5", name="ck_graded_examples_level"),
    )
    op.create_index("ix_graded_examples_question", "graded_examples", ["role_id", "question_id"])
    op.create_index("ix_graded_examples_session", "graded_examples", ["session_id"])


def downgrade() -> None:
    op.drop_table("graded_examples")
