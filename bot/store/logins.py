"""Staff logins kept server-side, wrong passwords counted per name and source, and one-time
export downloads bound to a login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.core.errors import StoreError
from bot.store.engine import Database
from bot.store.rows import as_utc, event_model, utc_now
from bot.store.tables import ExportTicketModel, LoginFailureModel, LoginModel


@dataclass(frozen=True)
class LoginRow:
    user_name: str
    role: str
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class ExportTicket:
    login_hash: str
    session_id: str | None
    role_id: str | None
    fmt: str
    source: str


KNOWN = "ok:"  # a source a name logged in from (a marker row among the failure counters)
ANY_SOURCE = "*"  # the name's counter over every source, for the account-wide back-off


class LoginRecords(Database):
    """Logins and failed attempts; each method one transaction."""

    def add_login(self, token_hash: str, user_name: str, role: str, hours: int) -> None:
        """Keep a new login (its token's hash only) and log it."""
        now = utc_now()
        with self._tx(f"log in '{user_name}'") as s:
            s.add(LoginModel(token_hash=token_hash, user_name=user_name, role=role,
                             created_at=now, expires_at=now + timedelta(hours=hours)))  # fmt: skip
            s.add(event_model(f"{role}:{user_name}", "login", {"hours": hours}))

    def login_row(self, token_hash: str) -> LoginRow | None:
        """The login a token hash belongs to, or None."""
        with self._tx("check a login") as s:
            m = s.get(LoginModel, token_hash)
            if m is None:
                return None
            ended = as_utc(m.ended_at) if m.ended_at else None
            return LoginRow(m.user_name, m.role, as_utc(m.created_at), as_utc(m.expires_at), ended)

    def end_logins(self, user_name: str, token_hash: str | None = None, why: str = "") -> int:
        """End one login (logout) or all of a user's (new password, disabled); returns how many."""
        query = update(LoginModel).where(
            LoginModel.user_name == user_name, LoginModel.ended_at.is_(None)
        )
        if token_hash is not None:
            query = query.where(LoginModel.token_hash == token_hash)
        with self._tx(f"end logins of '{user_name}'") as s:
            ended = s.execute(query.values(ended_at=utc_now())).rowcount  # type: ignore[attr-defined]
            if ended:
                s.add(event_model(f"user:{user_name}", "logout", {"logins": ended, "why": why}))
            return int(ended)

    def take_attempt(
        self, user_name: str, source: str, limit: int, base: timedelta, cap: timedelta
    ) -> timedelta | None:
        """Count one password attempt for (name, source) before the password is checked.

        Returns None when the attempt may go ahead, else how long the lock on this pair lasts.
        The first `limit` attempts go ahead; one more locks the pair for `base`, each lock
        after that twice as long (up to `cap`), and when a lock runs out one more attempt is
        allowed. The counter is written before it is read, so attempts at the same moment
        take turns (SQLite's write lock; a row lock elsewhere) and none slips past the count.
        A stranger elsewhere locks only their own source, never the member of staff's.
        """
        try:
            return self._take_attempt(user_name, source, limit, base, cap)
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            # Two first attempts at once both inserted the counter: the second now updates it.
            return self._take_attempt(user_name, source, limit, base, cap)

    def _take_attempt(
        self, user_name: str, source: str, limit: int, base: timedelta, cap: timedelta
    ) -> timedelta | None:
        now = utc_now()
        key = (user_name[:100], source[:64])
        with self._tx("count a login attempt") as s:
            counted = s.execute(
                update(LoginFailureModel)
                .where(LoginFailureModel.user_name == key[0], LoginFailureModel.source == key[1])
                .values(failures=LoginFailureModel.failures + 1)
                .execution_options(synchronize_session=False)
            )
            if counted.rowcount == 0:  # type: ignore[attr-defined]
                # The first attempt. Decided by what the UPDATE counted, never by a read after
                # it: a row another first attempt committed in between would be seen but not
                # counted (PostgreSQL reads each statement afresh). If it exists, the insert
                # fails here and take_attempt counts this attempt again, as an update.
                s.add(LoginFailureModel(user_name=key[0], source=key[1], failures=1, locks=0))
                s.flush()
                return None
            row = s.get(LoginFailureModel, key)
            assert row is not None  # the UPDATE just counted it, and holds its lock
            if row.locked_until is not None:
                if as_utc(row.locked_until) > now:
                    row.failures -= 1  # attempts while locked are refused, not counted
                    return as_utc(row.locked_until) - now
                row.locked_until, row.failures = None, limit  # ran out: this one try
            if row.failures > limit:
                row.locks += 1
                row.failures = limit
                row.locked_until = now + min(base * 2 ** (row.locks - 1), cap)
                s.add(event_model("anonymous", "login.locked", {"name": key[0]}))
                return as_utc(row.locked_until) - now
            return None

    def attempt_succeeded(self, user_name: str, source: str) -> None:
        """A right password: this source starts afresh, and is known for this name from now
        on (a row with no failures under `ok:<source>`), so the account-wide back-off that
        strangers trigger never keeps the member of staff out from where they log in."""
        known = (user_name[:100], f"{KNOWN}{source}"[:64])
        with self._tx("record a login") as s:
            for counter in (source, ANY_SOURCE):
                row = s.get(LoginFailureModel, (user_name[:100], counter[:64]))
                if row is not None:
                    s.delete(row)
            if s.get(LoginFailureModel, known) is None:
                s.add(LoginFailureModel(user_name=known[0], source=known[1], failures=0, locks=0))

    def known_source(self, user_name: str, source: str) -> bool:
        """Whether the name has logged in from this source before (since its last password)."""
        with self._tx("read a login source") as s:
            key = (user_name[:100], f"{KNOWN}{source}"[:64])
            return s.get(LoginFailureModel, key) is not None

    def clear_failures(self, user_name: str) -> None:
        """A new password clears every source's count for the name."""
        with self._tx(f"clear failed logins of '{user_name}'") as s:
            for row in s.scalars(
                select(LoginFailureModel).where(LoginFailureModel.user_name == user_name)
            ):
                s.delete(row)

    def add_export_ticket(self, ticket_hash: str, ticket: ExportTicket, seconds: int) -> None:
        """Keep a one-time download (its hash only), valid for `seconds`."""
        with self._tx("prepare an export") as s:
            s.add(ExportTicketModel(
                ticket_hash=ticket_hash, login_hash=ticket.login_hash, session_id=ticket.session_id,
                role_id=ticket.role_id, fmt=ticket.fmt, source=ticket.source[:64],
                expires_at=utc_now() + timedelta(seconds=seconds),
            ))  # fmt: skip

    def use_export_ticket(self, ticket_hash: str, source: str) -> ExportTicket | None:
        """The ticket, marked used in the same write; None if unknown, used, expired or asked
        for from another address."""
        now = utc_now()
        with self._tx("use an export download") as s:
            done = s.execute(
                update(ExportTicketModel)
                .where(ExportTicketModel.ticket_hash == ticket_hash,
                       ExportTicketModel.used_at.is_(None), ExportTicketModel.expires_at > now,
                       ExportTicketModel.source == source[:64])
                .values(used_at=now)
            ).rowcount  # type: ignore[attr-defined]  # fmt: skip
            if done != 1:
                return None
            m = s.get(ExportTicketModel, ticket_hash)
            assert m is not None
            return ExportTicket(m.login_hash, m.session_id, m.role_id, m.fmt, m.source)
