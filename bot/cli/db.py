"""`interviewer db copy`: move an installation's data to another database."""

from __future__ import annotations

import click

from bot.cli.config import load_settings


@click.command(
    "copy",
    help="copy this installation's data into another, empty database (stop the app first)",
)
@click.option("--to", required=True, metavar="URL", help="the target's URL, e.g. "
              "postgresql+psycopg://interviewer@db-host/interviewer")  # fmt: skip
@click.option("--from", "source", metavar="URL", help="the source's URL (default: the "
              "configured database: INTERVIEWER_DATABASE_URL or the SQLite file under "
              "INTERVIEWER_HOME)")  # fmt: skip
def db_copy(to: str, source: str | None) -> int:
    """`interviewer db copy --to URL [--from URL]`."""
    from bot.store.copy import copy_database

    source = source or load_settings().db_url
    copied = copy_database(source, to, lambda table, n: print(f"  {table:<20} {n:>8} rows"))
    print(
        f"copied {sum(copied.values())} rows. Set INTERVIEWER_DATABASE_URL to the new database "
        "and start the app again; keep the old one until you have checked the new."
    )
    return 0
