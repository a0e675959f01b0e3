"""HR's question drafts: an editable template from a job description, never published here.

The model proposes, with company context from the knowledge base; when it cannot, the draft is
a skeleton from the description itself. Either way it is checked as publishing would check it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.core.errors import BotError, InputError
from bot.roles.schema import RoleTemplate
from bot.staff import drafting
from bot.staff.access import Action
from bot.staff.staff_desk import StaffDesk
from bot.staff.templates_desk import template_problems

if TYPE_CHECKING:
    from bot.ports import Written

log = logging.getLogger(__name__)

MAX_JOB_DESCRIPTION = 20_000


@runtime_checkable
class QuestionDrafter(Protocol):
    """A writer that can propose draft questions (the generator's draft_questions chain)."""

    version: str

    def draft_questions(self, title: str, job_description: str, count: int) -> Written: ...


class DraftingDesk(StaffDesk):
    """Drafting a role's questions from a job description."""

    def draft_questions(self, token: str, job_description: str) -> str:
        """An editable YAML DRAFT of a role from a job description; validated, never published."""
        actor = self._allow(token, Action.DRAFT_QUESTIONS)
        text = (job_description or "").strip()
        if len(text) < 40:
            raise InputError("paste the whole job description (at least a few sentences) first")
        text = text[:MAX_JOB_DESCRIPTION]
        written = self._draft_with_model(text)
        document = self._document_of(text)
        draft = drafting.draft_role(text, written.text if written else None, document)
        problems = template_problems(draft.yaml, self.settings.knowledge_dir)[1]
        what = {"source": draft.source, "questions": draft.questions, "problems": len(problems)}
        if written is not None:
            what["model_version"] = written.model_version
        self.store.append_event(actor.label, "questions.drafted", what)
        return drafting.with_problems(draft.yaml, problems)

    def _document_of(self, job_description: str) -> str | None:
        """The job document under knowledge/jobs/ that holds this description, if one does."""
        wanted = " ".join(job_description.split())[:400]
        folder = self.settings.knowledge_dir / "jobs"
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if wanted and wanted in " ".join(path.read_text(encoding="utf-8").split()):
                return f"jobs/{path.name}"
        return None

    def _draft_with_model(self, job_description: str) -> Written | None:
        """The model's proposal with retrieved company context, or None if it cannot give one."""
        if not isinstance(self.writer, QuestionDrafter):
            return None
        title = drafting.job_title(job_description) or "the role"
        stand_in = RoleTemplate.model_construct(id="draft", title=title, documents=[])  # type: ignore[call-arg]
        try:
            context = self.knowledge.retrieve(stand_in, job_description[:500], k=3)
        except BotError as exc:
            log.warning("no context for the draft: %s", exc)
            context = []
        facts = "\n".join(f"- {s.text[:300]}" for s in context)
        prompt_text = job_description + (f"\n\nAbout the company:\n{facts}" if facts else "")
        try:
            written = self.writer.draft_questions(title, prompt_text, 5)
        except Exception:  # noqa: BLE001 - a model failure means the skeleton draft, logged
            log.exception("draft_questions failed; building the skeleton draft")
            return None
        return written if written.source == "model" else None
