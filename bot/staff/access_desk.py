"""Logins and invites: who a member of staff is, and the links candidates open."""

from __future__ import annotations

from bot.staff.access import Action, Actor, Invite, invite_for, invite_url
from bot.staff.staff_desk import StaffDesk


class AccessDesk(StaffDesk):
    """Logging in and out, and making single-candidate invite links."""

    def login(self, name: str, password: str, source: str = "local") -> str:
        """A login token for a right name and password; AccessDenied otherwise (and logged).
        `source` is the client's address: wrong passwords lock that source, not the name."""
        return self.accounts.login(name, password, source=source)

    def logout(self, token: str) -> None:
        """End this login everywhere: a copy of the token stops working too."""
        self.accounts.logout(token)

    def whoami(self, token: str) -> Actor:
        """The member of staff a token belongs to; AccessDenied if it is not valid now."""
        return self.accounts.actor(token)

    def create_invite(self, token: str, role_id: str, email: str | None = None) -> Invite:
        """A single-candidate invite link for an open role; logged with who made it."""
        actor = self._allow(token, Action.CREATE_INVITE)
        return invite_for(self.store, self.catalog, self.settings, actor, role_id, email)

    def invite_url(self, invite: Invite) -> str:
        """The full link a candidate opens."""
        return invite_url(self.settings, invite)
