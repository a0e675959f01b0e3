"""`interviewer db copy --to URL`: an installation's data moved to another database.

How a SQLite install moves to PostgreSQL, with the app stopped: the target must be empty (a
copy never merges two installations, and an occupied database is refused before anything is
done to it); both are brought to the newest schema; every table is copied in the order its
foreign keys need, in one transaction on the target (a failure leaves it as it was). Times are
written as UTC whatever the target server's time zone, and on PostgreSQL the id counters are
moved past the copied rows, so the next turn or event gets a fresh id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.core.errors import StoreError
from bot.store.engine import migrate, open_engine
from bot.store.tables import Base, SessionModel, UserModel

BATCH = 1000  # rows per insert: bounded memory however large the install


def copy_database(
    source_url: str, target_url: str, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every row from source to target; rows copied per table. StoreError, naming the
    problem, when the source is missing or empty or the target already holds data."""
    _source_exists(source_url)
    source, target = open_engine(source_url), open_engine(target_url)
    shown = target.url.render_as_string(hide_password=True)
    tables = Base.metadata.sorted_tables  # parents before children
    try:
        _refuse_occupied(target, shown)
        _migrate(source, "source")
        _migrate(target, shown)
        with source.connect() as s:
            held = sum(s.execute(select(func.count()).select_from(m)).scalar() or 0
                       for m in (SessionModel, UserModel))  # fmt: skip
        if not held:
            raise StoreError(
                f"the source database ({_shown(source)}) holds no sessions and no accounts: "
                "check --from or INTERVIEWER_HOME; nothing was copied"
            )
        copied: dict[str, int] = {}
        with source.connect() as s, target.begin() as t:
            if t.dialect.name == "postgresql":
                t.execute(text("SET LOCAL TIME ZONE 'UTC'"))
            for table in tables:
                copied[table.name] = 0
                rows = s.execute(select(table)).mappings()
                while batch := [_utc(r) for r in rows.fetchmany(BATCH)]:
                    t.execute(insert(table), batch)
                    copied[table.name] += len(batch)
                if progress is not None:
                    progress(table.name, copied[table.name])
            if t.dialect.name == "postgresql":
                _advance_counters(t, tables)
        return copied
    except SQLAlchemyError as e:
        # The driver's own words only: the statement's parameters are candidates' answers.
        said = getattr(e, "orig", None) or type(e).__name__
        raise StoreError(f"could not copy into {shown}: {said}; nothing was copied") from e
    finally:
        source.dispose()
        target.dispose()


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _source_exists(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        raise StoreError(
            f"there is no database file at {parsed.database}: give --from, or set "
            "INTERVIEWER_HOME to the installation's home"
        )


def _refuse_occupied(target: Engine, shown: str) -> None:
    """Before any change to the target: refused if any of our tables holds a row."""
    present = set(inspect(target).get_table_names())
    with target.connect() as t:
        for table in Base.metadata.sorted_tables:
            if (
                table.name in present
                and t.execute(select(func.count()).select_from(table)).scalar()
            ):
                raise StoreError(
                    f"the database at {shown} already holds data (table '{table.name}'); "
                    "copy into a new, empty database"
                )


def _migrate(engine: Engine, which: str) -> None:
    from alembic.util.exc import CommandError

    try:
        migrate(engine)
    except CommandError as e:  # a newer or unknown schema revision
        raise StoreError(f"cannot bring {which} to this release's schema: {e}") from e


def _utc(row: Any) -> dict[str, Any]:
    """SQLite hands back times without a zone (they are UTC): say so, or PostgreSQL would read
    them in its session's zone."""
    return {
        k: v.replace(tzinfo=UTC) if isinstance(v, datetime) and v.tzinfo is None else v
        for k, v in dict(row).items()
    }


def _advance_counters(connection, tables) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's id sequences start at 1 whatever was inserted: move each past its rows.
    (Table and column names come from our own schema, never from input.)"""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
