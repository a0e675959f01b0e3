"""`interviewer db copy --to URL`: an installation's data moved to another database.

How a SQLite install moves to PostgreSQL: both are brought to the newest schema, then every
table is copied in the order its foreign keys need, in one transaction on the target (a
failure leaves the target as it was). The target must be empty: a copy never merges two
installations. On PostgreSQL the id counters are moved past the copied rows, so the next
turn or event gets a fresh id.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from bot.core.errors import StoreError
from bot.store.engine import migrate, open_engine
from bot.store.tables import Base

BATCH = 1000  # rows per insert: bounded memory however large the install


def copy_database(
    source_url: str, target_url: str, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every row from source to target (both migrated first); rows copied per table."""
    source, target = open_engine(source_url), open_engine(target_url)
    shown = target.url.render_as_string(hide_password=True)
    try:
        migrate(source)
        migrate(target)
        tables = Base.metadata.sorted_tables  # parents before children
        with target.connect() as t:
            for table in tables:
                if t.execute(select(func.count()).select_from(table)).scalar():
                    raise StoreError(
                        f"the database at {shown} already holds data (table '{table.name}'); "
                        "copy into a new, empty database"
                    )
        copied: dict[str, int] = {}
        with source.connect() as s, target.begin() as t:
            for table in tables:
                copied[table.name] = 0
                rows = s.execute(select(table)).mappings()
                while batch := [dict(r) for r in rows.fetchmany(BATCH)]:
                    t.execute(insert(table), batch)
                    copied[table.name] += len(batch)
                if progress is not None:
                    progress(table.name, copied[table.name])
            if t.dialect.name == "postgresql":
                _advance_counters(t, tables)
        return copied
    except SQLAlchemyError as e:
        raise StoreError(f"could not copy into {shown}: {e}; nothing was copied") from e
    finally:
        source.dispose()
        target.dispose()


def _advance_counters(connection, tables) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's id sequences start at 1 whatever was inserted: move each past its rows."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
