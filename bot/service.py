"""InterviewService: the interviews as the pages and tools use them, in two rooms.

The turn runner (bot/turns.py) takes a message to a session and owns the turn; the candidate
desk (bot/desk.py, `service.desk`) is what a candidate does through their invite link, each
request checked against the token. Staff work lives in bot/staff/.
"""

from __future__ import annotations

from functools import cached_property

from bot.desk import CandidateDesk
from bot.rights import Rights
from bot.turns import MOVED_ON, TurnResult, TurnRunner, message_key

__all__ = ["MOVED_ON", "InterviewService", "TurnResult", "message_key"]


class InterviewService(TurnRunner):
    """The turn runner, with the candidate desk in front of it."""

    # Built on first use from the runner's own parts, so the runner's constructor is the only
    # one (both rooms hold references only: two threads racing here build equal twins).
    @cached_property
    def rights(self) -> Rights:
        return Rights(self.store, self.catalog, self.settings)

    @cached_property
    def desk(self) -> CandidateDesk:
        return CandidateDesk(self, self.rights)
