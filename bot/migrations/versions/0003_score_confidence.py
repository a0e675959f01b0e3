"""Scores carry the evaluator's confidence and whether the answer needs a human look.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Scores written before this revision were never judged for confidence: they read as
    # certain (1.0) and not flagged, exactly as they were shown.
    with op.batch_alter_table("scores") as batch:
        batch.add_column(sa.Column("confidence", sa.Float, nullable=False, server_default="1.0"))
        batch.add_column(
            sa.Column("needs_review", sa.Boolean, nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("needs_review")
        batch.drop_column("confidence")
