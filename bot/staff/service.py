"""StaffService: what HR and recruiters do, each call checked on the server.

Every public method takes the login token first, verifies it, and requires the action it
performs (bot.staff.access.PERMISSIONS), whatever the page shows or hides. Human actions are written
to the event log with who, when and what.

The work itself sits at small desks, one module per kind (access, review, graded examples,
exports, audit, templates, documents, drafting); this class only puts them together, so the
UI and the CLI still talk to one object.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from bot.staff.access import Accounts
from bot.staff.access_desk import AccessDesk
from bot.staff.audit_desk import AuditDesk
from bot.staff.documents_desk import DocumentIndex, DocumentsDesk
from bot.staff.drafting_desk import MAX_JOB_DESCRIPTION, DraftingDesk, QuestionDrafter
from bot.staff.exports_desk import EXPORT_PATH, EXPORT_SECONDS, ExportsDesk
from bot.staff.resumes_desk import ResumesDesk
from bot.staff.review_desk import DECISIONS, MIN_REASON, Decision, ReviewDesk
from bot.staff.teaching_desk import TeachingDesk
from bot.staff.templates_desk import EDITOR, TemplatesDesk, TemplateSummary

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.ports import QuestionWriter, Retriever
    from bot.resumes.matching import ResumeMatcher
    from bot.settings import Settings
    from bot.store import Store

# Names other modules imported from here before the desks were split out.
__all__ = [
    "DECISIONS",
    "EDITOR",
    "EXPORT_PATH",
    "EXPORT_SECONDS",
    "MAX_JOB_DESCRIPTION",
    "MIN_REASON",
    "Decision",
    "DocumentIndex",
    "QuestionDrafter",
    "StaffService",
    "TemplateSummary",
]


class StaffService(
    AccessDesk,
    ReviewDesk,
    TeachingDesk,
    ExportsDesk,
    AuditDesk,
    TemplatesDesk,
    DocumentsDesk,
    DraftingDesk,
    ResumesDesk,
):
    """HR's and recruiters' operations. Holds connections and models, never a person's state."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        catalog: RoleCatalog,
        writer: QuestionWriter,
        knowledge: Retriever,
        accounts: Accounts | None = None,
        matcher: ResumeMatcher | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.catalog = catalog
        self.writer = writer
        self.knowledge = knowledge
        self.accounts = accounts or Accounts(store)
        self.matcher = matcher  # None: loaded on the first resume
        self._jobs: dict[str, str] = {}  # upload path -> indexing status, this process
        self._jobs_lock = threading.Lock()
