"""Alembic environment for the interviewer's database.

Run by bot.store.migrate() with a live connection in config.attributes["connection"]; there
is no alembic.ini. To write a new revision against a scratch database:

    from alembic import command
    from alembic.config import Config
    from bot.store import MIGRATIONS_DIR

    c = Config(); c.set_main_option("script_location", str(MIGRATIONS_DIR))
    c.set_main_option("sqlalchemy.url", "sqlite:////tmp/scratch.db")
    command.upgrade(c, "head"); command.revision(c, "what changed", autogenerate=True)
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from bot.store import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
