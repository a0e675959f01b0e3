"""The one composition root: Settings -> store, catalog, accounts, models -> both services.

Entry points (the CLI, the web app, tests that want the real thing) build the application
here and nowhere else; the services receive their parts and never build them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog import RoleCatalog
from bot.service import InterviewService
from bot.settings import Settings
from bot.staff.access import Accounts
from bot.staff.service import StaffService
from bot.store import Store


@dataclass(frozen=True)
class Application:
    """Everything one process serves with: shared by every visitor, holding no one's state."""

    settings: Settings
    store: Store
    catalog: RoleCatalog
    interviews: InterviewService
    staff: StaffService

    def close(self) -> None:
        """Stop what this process started beside itself (the model's own process)."""
        close = getattr(self.interviews.writer, "close", None)
        if close is not None:
            close()


def build(settings: Settings) -> Application:
    """Wire the real parts: store, evaluator, generator, knowledge base, both services."""
    from bot.evaluator import load_scorer
    from bot.generator.writer import load_writer
    from bot.knowledge.base import KnowledgeBase
    from bot.resumes.matching import ResumeMatcher

    settings.home.mkdir(parents=True, exist_ok=True)
    store = Store(settings.db_url)
    catalog = RoleCatalog(store, settings.roles_dir)
    catalog.publish_role_files()
    writer, knowledge = load_writer(settings), KnowledgeBase(settings)
    scorer = load_scorer(settings)
    interviews = InterviewService(settings, store, scorer, writer, knowledge, catalog=catalog)
    accounts = Accounts(store)
    # Resumes are judged by the evaluator's own judge: one model in memory, one batching queue.
    judge = getattr(scorer, "judge", None)
    matcher = ResumeMatcher(judge) if judge else None
    staff = StaffService(settings, store, catalog, writer, knowledge, accounts, matcher)
    return Application(settings, store, catalog, interviews, staff)
