"""Request counts per client and window, in the database every process of the app shares.

A count kept in one process's memory lets N processes behind one proxy take N times the limit;
here each hit is one upsert on (key, window start), so every process counts into the same row.
Keys arrive hashed (they name client addresses, which are personal data) and a row is deleted
once its window has passed.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.engine import Database
from bot.store.tables import RateCountModel


class RateRecords(Database):
    def count_hit(self, key: str, window_start: int, expires_at: int) -> int:
        """Add one hit to the key's window; returns the hits in it so far, this one included."""
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        table = RateCountModel.__table__
        statement = (
            dialect.insert(table)
            .values(key=key, window_start=window_start, expires_at=expires_at, calls=1)
            .on_conflict_do_update(
                index_elements=[table.c.key, table.c.window_start],
                set_={"calls": table.c.calls + 1},
            )
            .returning(table.c.calls)
        )
        with self._tx("count a request") as s:
            return int(s.execute(statement).scalar_one())

    def forget_counts(self, now: int) -> int:
        """Delete the counts of windows that have passed; returns how many went."""
        with self._tx("forget passed request counts") as s:
            gone = s.execute(delete(RateCountModel).where(RateCountModel.expires_at <= now))
            return int(getattr(gone, "rowcount", 0) or 0)  # a CursorResult for a DELETE
