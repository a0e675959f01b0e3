"""What every staff desk shares: the connections it works with and the login check.

StaffService (bot.staff.service) is composed of small desks, one per kind of staff work; each
desk is a mixin over this base, so the check that a login may do an action is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.staff.access import Accounts, Action, Actor, require
from bot.staff.review import TranscriptView, invites_by_session, transcript_view

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.ports import QuestionWriter, Retriever
    from bot.settings import Settings
    from bot.store import Store


class StaffDesk:
    """The parts every desk uses; StaffService sets them once, in its __init__."""

    settings: Settings
    store: Store
    catalog: RoleCatalog
    writer: QuestionWriter
    knowledge: Retriever
    accounts: Accounts

    def _allow(self, token: str, action: Action) -> Actor:
        actor = self.accounts.actor(token)
        require(actor, action)
        return actor

    def _view(self, session_id: str) -> TranscriptView:
        invite = invites_by_session(self.store).get(session_id)
        return transcript_view(self.store, self.catalog, session_id, invite)
