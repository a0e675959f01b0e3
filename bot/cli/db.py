"""`interviewer db copy`: move an installation's data to another database."""

from __future__ import annotations

from bot.cli.config import load_settings


def db_copy(args, rest) -> int:
    """`interviewer db copy --to URL [--from URL]`."""
    from bot.store.copy import copy_database

    source = args.source or load_settings().db_url
    copied = copy_database(source, args.to, lambda table, n: print(f"  {table:<20} {n:>8} rows"))
    print(
        f"copied {sum(copied.values())} rows. Set INTERVIEWER_DATABASE_URL to the new database "
        "and start the app again; keep the old one until you have checked the new."
    )
    return 0
