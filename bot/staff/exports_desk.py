"""Recruiters' exports: a file made on request, or a one-time link that makes it when opened.

A link names a ticket, not a file: the store keeps only the ticket's hash, bound to the login
and the address that asked, so a copied link is useless elsewhere and after its login ends.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.core.errors import AccessDenied, InputError
from bot.staff import exports
from bot.staff.access import Action, Actor, hash_token, require
from bot.staff.staff_desk import StaffDesk
from bot.store import ExportTicket

EXPORT_PATH = "/export"  # the app's download route (ui/app.py)
EXPORT_SECONDS = 120  # how long a download link can be opened


class ExportsDesk(StaffDesk):
    """One session or a whole role as CSV, JSON or HTML; every export is logged."""

    def export(
        self,
        token: str,
        session_id: str | None = None,
        role_id: str | None = None,
        fmt: str = "csv",
    ) -> tuple[str, bytes]:
        """(file name, bytes) for one session or every session of a role, as CSV, JSON or HTML."""
        actor = self._allow(token, Action.EXPORT)
        self._check_export(session_id, role_id, fmt)
        return self._export(actor, session_id, role_id, fmt)

    def export_link(
        self,
        token: str,
        session_id: str | None = None,
        role_id: str | None = None,
        fmt: str = "csv",
        source: str = "local",
    ) -> str:
        """A one-time download path for an export, for this login and address only, valid
        two minutes.

        The file is made when the link is opened and streamed from memory: it never sits on
        disk or behind a public file route."""
        self._allow(token, Action.EXPORT)
        self._check_export(session_id, role_id, fmt)
        ticket = secrets.token_urlsafe(32)
        wanted = ExportTicket(hash_token(token), session_id, role_id, fmt, source)
        self.store.add_export_ticket(hash_token(ticket), wanted, EXPORT_SECONDS)
        return f"{EXPORT_PATH}/{ticket}"

    def redeem_export(self, ticket: str, source: str = "local") -> tuple[str, bytes]:
        """(file name, bytes) for a download link, once, from the address that asked for it,
        while its login is still current."""
        usable = isinstance(ticket, str) and 20 <= len(ticket) <= 200
        found = self.store.use_export_ticket(hash_token(ticket), source) if usable else None
        if found is None:
            raise AccessDenied("this download link has expired or was used; export again")
        actor = self.accounts.actor_of(found.login_hash)
        require(actor, Action.EXPORT)
        return self._export(actor, found.session_id, found.role_id, found.fmt)

    def _check_export(self, session_id: str | None, role_id: str | None, fmt: str) -> None:
        if (session_id is None) == (role_id is None):
            raise InputError("export needs either a session or a role, not both or neither")
        if fmt not in exports.FORMATS:
            choose = ", ".join(exports.FORMATS)
            raise InputError(f"cannot export as '{fmt}'; choose one of {choose}")
        if session_id is not None:
            self._view(session_id)  # an unknown session fails now, not when the link is opened

    def _export(
        self, actor: Actor, session_id: str | None, role_id: str | None, fmt: str
    ) -> tuple[str, bytes]:
        if session_id is not None:
            views, name = [self._view(session_id)], f"session-{session_id}"
        else:
            views = [self._view(s.id) for s in self.store.sessions(role_id)]
            name = f"role-{role_id}-{datetime.now():%Y%m%d-%H%M}"
        filename, data = exports.export(views, fmt, name)
        what = {"file": filename, "sessions": [v.transcript.session_id for v in views]}
        self.store.append_event(actor.label, "export", what, session_id)
        return filename, data
