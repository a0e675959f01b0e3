"""Opening the database: the engine, SQLite's pragmas, migrations, and one transaction per call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.errors import StoreError
from bot.store.tables import SessionModel

MIGRATIONS_DIR = Path(__file__).parent.parent / "migrations"  # bot/migrations, package data


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run while a turn is written; FULL sync makes a commit durable on return.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    # Deleted rows are overwritten with zeros, not left in free pages: an erased answer must
    # not be readable from the file (the system's SQLite may or may not default to this).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def open_engine(url: str) -> Engine:
    """An engine for the URL (SQLite: its folder made, pragmas set); StoreError if it cannot be."""
    shown = "the configured URL"
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args=_connect_args(parsed.get_backend_name()))
    except (SQLAlchemyError, ValueError, OSError) as e:
        raise StoreError(
            f"cannot open database {shown}: {e}; check INTERVIEWER_DATABASE_URL "
            "(e.g. sqlite:////abs/path/interviewer.db or postgresql+psycopg://user@host/db)"
        ) from e
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _connect_args(backend: str) -> dict[str, Any]:
    return {"timeout": 30} if backend == "sqlite" else {}


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration packaged with this code."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _owner_only(engine: Engine) -> None:
    """A SQLite file (and its WAL journal) readable and writable by this account alone: it
    holds every candidate's answers."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{engine.url.database}{suffix}")
        if path.exists():
            path.chmod(0o600)


class Database:
    """An open, migrated database and one committed transaction per call: the Store's base."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = open_engine(url)
        try:
            migrate(self._engine)
        except SQLAlchemyError as e:
            shown = self._engine.url.render_as_string(hide_password=True)
            raise StoreError(
                f"could not bring the database at {shown} to the current schema: {e}; "
                "check that it is reachable and writable, and that no newer release migrated it"
            ) from e
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        _owner_only(self._engine)

    def close(self) -> None:
        """Release the connection pool."""
        self._engine.dispose()

    @contextmanager
    def _tx(self, doing: str) -> Iterator[Session]:
        """One transaction; SQLAlchemy errors come out as StoreError naming what was being done."""
        try:
            with self._sessions.begin() as session:
                yield session
        except StoreError:
            raise
        except IntegrityError as e:
            raise StoreError(
                f"could not {doing}: the database refused it ({e.orig}); nothing was saved"
            ) from e
        except OperationalError as e:
            raise StoreError(
                f"could not {doing}: {e.orig}; nothing was saved. If the database is locked or "
                "unreachable, retry shortly; check disk space and permissions on "
                f"{self._engine.url.render_as_string(hide_password=True)}"
            ) from e
        except SQLAlchemyError as e:
            raise StoreError(f"could not {doing}: {e}; nothing was saved") from e

    @staticmethod
    def _get_session(s: Session, session_id: str) -> SessionModel:
        found = s.get(SessionModel, session_id)
        if found is None:
            raise StoreError(f"no interview session '{session_id}'; check the link")
        return found

    @classmethod
    def _live_session(cls, s: Session, session_id: str) -> SessionModel:
        """The session, unless its candidate's data was erased: nothing more is recorded then."""
        found = cls._get_session(s, session_id)
        if found.status == "erased":
            from bot.core.errors import InputError

            raise InputError(
                "this candidate's data was erased at their request; nothing more can be "
                "recorded about it"
            )
        return found

    def forget_deleted(self) -> None:
        """After an erasure: SQLite folds its write-ahead log into the file and empties it, so
        the erased rows' old pages are not left readable in interviewer.db-wal. (PostgreSQL
        deletes the rows; VACUUM, which autovacuum runs, reclaims their space.)"""
        if self._engine.dialect.name != "sqlite":
            return
        from sqlalchemy import text

        with self._engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
