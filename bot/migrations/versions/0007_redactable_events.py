"""The audit log stays append-only, with one exception: erasing a candidate's data may empty
an entry's payload (its kind, time, actor and session stay, so the log still shows what
happened, without the personal data it carried).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPEND_ONLY = "events are an append-only audit log: add a new event instead"
_SAME = (
    "NEW.kind = OLD.kind AND NEW.at = OLD.at AND NEW.actor = OLD.actor "
    "AND NEW.session_id IS NOT DISTINCT FROM OLD.session_id AND NEW.id = OLD.id"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS events_no_update")
        op.execute(
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events WHEN NOT "
            f"(NEW.payload = '{{}}' AND {_SAME.replace('IS NOT DISTINCT FROM', 'IS')}) "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
        )
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_append_only ON events")
        op.execute(
            "CREATE TRIGGER events_append_only BEFORE DELETE OR TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()"
        )
        op.execute(
            "CREATE FUNCTION events_redact_only() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.payload::text = '{{}}' AND {_SAME} THEN RETURN NEW; END IF; "
            f"RAISE EXCEPTION '{_APPEND_ONLY}'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER events_redact_only BEFORE UPDATE ON events "
            "FOR EACH ROW EXECUTE FUNCTION events_redact_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS events_no_update")
        op.execute(
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
        )
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_redact_only ON events")
        op.execute("DROP FUNCTION IF EXISTS events_redact_only()")
        op.execute("DROP TRIGGER IF EXISTS events_append_only ON events")
        op.execute(
            "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()"
        )
