"""Staff logins kept server-side (logout and a new password end them everywhere), wrong
passwords counted per name and source (a stranger cannot lock a member of staff out), and
one-time export downloads bound to a login.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "logins",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_name", sa.String(100), nullable=False, index=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("ended_at", _TS, nullable=True),
    )
    op.create_table(
        "login_failures",
        sa.Column("user_name", sa.String(100), primary_key=True),
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locks", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", _TS, nullable=True),
    )


    op.create_table(
        "export_tickets",
        sa.Column("ticket_hash", sa.String(64), primary_key=True),
        sa.Column("login_hash", sa.String(64), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=True),
        sa.Column("role_id", sa.String(100), nullable=True),
        sa.Column("fmt", sa.String(8), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("used_at", _TS, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("export_tickets")
    op.drop_table("login_failures")
    op.drop_table("logins")
