"""InterviewService: the interviews as the pages and tools use them, in two rooms.

The turn runner (bot/turns.py) takes a message to a session and owns the turn; the candidate
desk (bot/desk.py, `service.desk`) is what a candidate does through their invite link, each
request checked against the token. Staff work lives in bot/staff/.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.desk import CandidateDesk
from bot.rights import Rights
from bot.turns import MOVED_ON, TurnResult, TurnRunner, message_key

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.ports import QuestionWriter, Retriever, Scorer
    from bot.settings import Settings
    from bot.store import Store

__all__ = ["MOVED_ON", "InterviewService", "TurnResult", "message_key"]


class InterviewService(TurnRunner):
    """The turn runner, with the candidate desk in front of it."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        scorer: Scorer,
        writer: QuestionWriter,
        retriever: Retriever,
        catalog: RoleCatalog | None = None,
    ) -> None:
        super().__init__(settings, store, scorer, writer, retriever, catalog)
        self.rights = Rights(store, self.catalog, settings)
        self.desk = CandidateDesk(self, self.rights)
