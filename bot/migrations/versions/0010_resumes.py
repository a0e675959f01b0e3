"""Resumes: masked text, what was masked and the match, one per candidate's invite
(bot/store/resumes.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "resumes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("invite_hash", sa.String(64), sa.ForeignKey("invites.token_hash"),
                  nullable=False),  # fmt: skip
        sa.Column("role_id", sa.String(100), nullable=False),
        sa.Column("template_version", sa.Integer, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("blind_text", sa.Text, nullable=False),
        sa.Column("masked", sa.JSON, nullable=False),
        sa.Column("match", sa.JSON, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_resumes_role", "resumes", ["role_id"])
    op.create_index("ix_resumes_invite_hash", "resumes", ["invite_hash"])


def downgrade() -> None:
    op.drop_table("resumes")
