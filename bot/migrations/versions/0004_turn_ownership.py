"""One turn at a time: a session's state version for compare-and-set, and the page's
idempotency key on a candidate's message.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("state_version", sa.Integer, nullable=False, server_default="0")
        )
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("client_key", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_turns_session_client_key", ["session_id", "client_key"])


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_constraint("uq_turns_session_client_key", type_="unique")
        batch.drop_column("client_key")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("state_version")
