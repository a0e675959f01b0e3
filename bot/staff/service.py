"""StaffService: what HR and recruiters do, each call checked on the server.

Every public method takes the login token first, verifies it, and requires the action it
performs (bot.staff.access.PERMISSIONS), whatever the page shows or hides. Human actions are written
to the event log with who, when and what.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from bot.core.errors import AccessDenied, BotError, ConfigError, InputError, TemplateError
from bot.core.script import load_script
from bot.core.templates.files import load_role_text
from bot.core.templates.schema import RoleTemplate
from bot.staff import audit, documents, drafting, exports, teaching, uploads
from bot.staff.access import (
    Accounts,
    Action,
    Actor,
    Invite,
    hash_token,
    invite_for,
    invite_url,
    require,
)
from bot.staff.review import (
    SessionSummary,
    TranscriptView,
    invites_by_session,
    summaries,
    transcript_view,
)
from bot.store import ExportTicket, GradedExampleRow
from bot.transcript import Message

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.knowledge.base import IngestReport
    from bot.ports import QuestionWriter, Retriever, Written
    from bot.settings import Settings
    from bot.store import EventRow, Store

log = logging.getLogger(__name__)

Decision = Literal["advance", "hold", "reject"]
DECISIONS: tuple[str, ...] = ("advance", "hold", "reject")
MIN_REASON = 10
MAX_JOB_DESCRIPTION = 20_000
EDITOR = "template.yaml"
EXPORT_PATH = "/export"  # the app's download route (ui/app.py)
EXPORT_SECONDS = 120  # how validation problems name the text in the editor


@runtime_checkable
class DocumentIndex(Protocol):
    """The knowledge base's side that takes one new, changed or deleted file."""

    def ingest_file(
        self, path: Path | str, progress: Callable[[int, int], None] | None = None
    ) -> IngestReport: ...

    def chunk_counts(self) -> dict[str, int]: ...


@runtime_checkable
class QuestionDrafter(Protocol):
    """A writer that can propose draft questions (the generator's draft_questions chain)."""

    version: str

    def draft_questions(self, title: str, job_description: str, count: int) -> Written: ...


@dataclass(frozen=True)
class TemplateSummary:
    """One role in HR's template list."""

    role_id: str
    title: str
    latest_version: int
    versions: int
    retired: bool
    published_at: datetime
    published_by: str


class StaffService:
    """HR's and recruiters' operations. Holds connections and models, never a person's state."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        catalog: RoleCatalog,
        writer: QuestionWriter,
        knowledge: Retriever,
        accounts: Accounts | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.catalog = catalog
        self.writer = writer
        self.knowledge = knowledge
        self.accounts = accounts or Accounts(store)
        self._jobs: dict[str, str] = {}  # upload path -> indexing status, this process
        self._jobs_lock = threading.Lock()

    # Login -----------------------------------------------------------------------------------
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

    def _allow(self, token: str, action: Action) -> Actor:
        actor = self.accounts.actor(token)
        require(actor, action)
        return actor

    # Recruiters ------------------------------------------------------------------------------
    def sessions(
        self,
        token: str,
        role_id: str | None = None,
        status: str | None = None,
        sort_by: str = "updated",  # 'updated' or 'score'; checked here, as pages send strings
        descending: bool = True,
    ) -> list[SessionSummary]:
        """Sessions with status, scores and decision; filtered by role and status, sorted."""
        self._allow(token, Action.VIEW_SESSIONS)
        if sort_by not in ("updated", "score"):
            raise InputError(f"cannot sort by '{sort_by}'; use 'updated' or 'score'")
        rows = [
            r
            for r in summaries(self.store, self.catalog, role_id)
            if status is None or r.status == status
        ]
        if sort_by == "score":  # unscored sessions last, whichever the direction
            scored = sorted(
                (r for r in rows if r.overall is not None),
                key=lambda r: r.overall or 0.0,
                reverse=descending,
            )
            return scored + [r for r in rows if r.overall is None]
        return sorted(rows, key=lambda r: r.updated_at, reverse=descending)

    def transcript(self, token: str, session_id: str) -> TranscriptView:
        """One session with each answer's score, evidence, probes, versions and any overrides.

        Each reading is logged: a candidate may ask who has seen their interview."""
        actor = self._allow(token, Action.VIEW_TRANSCRIPT)
        view = self._view(session_id)
        self.store.append_event(actor.label, "transcript.viewed", {}, session_id)
        return view

    def _view(self, session_id: str) -> TranscriptView:
        invite = invites_by_session(self.store).get(session_id)
        return transcript_view(self.store, self.catalog, session_id, invite)

    def override(
        self, token: str, session_id: str, question_id: str, score: float, level: int, reason: str
    ) -> TranscriptView:
        """Keep a person's score for one answer beside the model's, with the reason; logged."""
        actor = self._allow(token, Action.OVERRIDE_SCORE)
        reason = (reason or "").strip()
        if len(reason) < MIN_REASON:
            raise InputError(
                f"an override needs a reason of at least {MIN_REASON} characters saying why "
                "the model's score is wrong; write one and save again"
            )
        if not 0.0 <= score <= 1.0 or not 1 <= level <= 5:
            raise InputError(f"score {score} / level {level} out of range; use 0..1 and 1..5")
        view = self._view(session_id)
        if question_id not in {a.question_id for a in view.answers}:
            known = ", ".join(a.question_id for a in view.answers)
            raise InputError(f"no question '{question_id}' in this session (questions: {known})")
        self.store.add_override(
            session_id, question_id, float(score), int(level), reason, actor.label
        )
        self._learn(view, question_id, int(level), actor.label)
        return self._view(session_id)

    def confirm(self, token: str, session_id: str, question_id: str) -> TranscriptView:
        """A recruiter agrees with the evaluator's level for an answer: the answer becomes a
        graded example at that level (the evaluator learns from agreement too)."""
        actor = self._allow(token, Action.OVERRIDE_SCORE)
        view = self._view(session_id)
        found = next((a for a in view.answers if a.question_id == question_id), None)
        if found is None or found.model_score is None:
            raise InputError(f"question '{question_id}' has no score in this session to confirm")
        level = found.override.level if found.override else found.model_score.level
        if not self._learn(view, question_id, level, actor.label):
            raise InputError("this role keeps recruiters' grades out of scoring "
                             "(learn_from_grades: false); nothing was kept")  # fmt: skip
        payload = {"question_id": question_id, "level": level}
        self.store.append_event(actor.label, "score.confirmed", payload, session_id)
        return self._view(session_id)

    def graded_examples(self, token: str, role_id: str) -> list[GradedExampleRow]:
        """The answers recruiters graded for a role's questions (disabled ones too)."""
        self._allow(token, Action.EDIT_TEMPLATE)
        self.catalog.role(role_id)  # an unknown role is refused here
        return teaching.examples_of(self.store, role_id)

    def set_example_enabled(self, token: str, example_id: int, enabled: bool) -> None:
        """Take a graded example out of scoring (or back in); it is kept."""
        actor = self._allow(token, Action.EDIT_TEMPLATE)
        self.store.set_example_enabled(example_id, enabled, actor.label)

    def delete_example(self, token: str, example_id: int) -> None:
        """Delete a graded example for good."""
        actor = self._allow(token, Action.EDIT_TEMPLATE)
        self.store.delete_example(example_id, actor.label)

    def question_agreement(self, token: str, role_id: str) -> list[teaching.QuestionAgreement]:
        """Per question: how the evaluator's scores agreed with the recruiters' grades."""
        self._allow(token, Action.VIEW_SESSIONS)
        return teaching.agreement_by_question(self.store, self.catalog, role_id)

    def _learn(self, view: TranscriptView, question_id: str, level: int, actor: str) -> bool:
        """Keep the graded answer as an example for its question (its role permitting)."""
        summary = view.summary
        role = self.catalog.role(summary.role_id, summary.template_version)
        found = next((a for a in view.answers if a.question_id == question_id), None)
        text = " ".join(found.answers).strip() if found else ""
        if not role.learn_from_grades or not text:
            return False
        base = found.model_score.score if found and found.model_score else None
        self.store.add_example(role.id, question_id, text, level, actor, summary.id, base)
        return True

    def decide(self, token: str, session_id: str, decision: str, note: str = "") -> TranscriptView:
        """Record advance, hold or reject with a note; earlier decisions stay in the history."""
        actor = self._allow(token, Action.DECIDE)
        if decision not in DECISIONS:
            raise InputError(f"'{decision}' is not a decision; choose {', '.join(DECISIONS)}")
        self.store.add_decision(session_id, decision, (note or "").strip(), actor.label)
        return self._view(session_id)

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

    def create_invite(self, token: str, role_id: str, email: str | None = None) -> Invite:
        """A single-candidate invite link for an open role; logged with who made it."""
        actor = self._allow(token, Action.CREATE_INVITE)
        return invite_for(self.store, self.catalog, self.settings, actor, role_id, email)

    def invite_url(self, invite: Invite) -> str:
        """The full link a candidate opens."""
        return invite_url(self.settings, invite)

    def impact_report(
        self,
        token: str,
        role_id: str,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> audit.ImpactReport:
        """LL144-style impact ratios for a role's sessions started in [since, until)."""
        actor = self._allow(token, Action.VIEW_AUDIT)
        report = audit.gather(
            self.store, self.catalog, role_id, since, until, self.settings.fairness_min_group
        )
        self.store.append_event(actor.label, "audit.impact", {"role": role_id})
        return report

    def score_distribution(self, token: str, role_id: str) -> dict[str, list[float]]:
        """Final scores of a role's sessions, per competency name and 'Overall', for a chart."""
        self._allow(token, Action.VIEW_CHART)
        out: dict[str, list[float]] = {}
        for summary in summaries(self.store, self.catalog, role_id):
            for c in summary.competencies:
                if c.score is not None:
                    out.setdefault(c.name, []).append(c.score)
            if summary.overall is not None:
                out.setdefault("Overall", []).append(summary.overall)
        return out

    def events(self, token: str, session_id: str | None = None) -> list[EventRow]:
        """The audit log, or one session's part of it."""
        self._allow(token, Action.VIEW_EVENTS)
        return self.store.events(session_id)

    # HR: templates ---------------------------------------------------------------------------
    def templates(self, token: str) -> list[TemplateSummary]:
        """Every role with its newest version, retired or not."""
        self._allow(token, Action.LIST_TEMPLATES)
        out = []
        for role_id in self.store.template_role_ids():
            versions = self.store.template_versions(role_id)
            latest = versions[-1]
            role = self.catalog.role(role_id, latest.version)
            out.append(
                TemplateSummary(
                    role_id,
                    role.title,
                    latest.version,
                    len(versions),
                    latest.retired or role.retired,
                    latest.published_at,
                    latest.published_by,
                )
            )
        return out

    def template_text(self, token: str, role_id: str, version: int | None = None) -> str:
        """The YAML of a published version (the newest by default), to edit."""
        self._allow(token, Action.LIST_TEMPLATES)
        row = (
            self.store.template(role_id, version)
            if version is not None
            else self.store.latest_template(role_id)
        )
        if row is None:
            raise InputError(f"no published template '{role_id}' v{version or 'latest'}")
        return row.yaml_text

    def validate_template(self, token: str, yaml_text: str) -> list[str]:
        """Every problem in a template text as 'template.yaml:LINE: ...'; [] when it can publish."""
        self._allow(token, Action.EDIT_TEMPLATE)
        return self._problems(yaml_text)[1]

    def _problems(self, yaml_text: str) -> tuple[RoleTemplate | None, list[str]]:
        """(parsed role, problems): the version is managed by publishing, so it is not judged."""
        text = drafting.with_top_level(yaml_text, "version", "1")
        knowledge = self.settings.knowledge_dir
        try:
            role = load_role_text(
                text, EDITOR, knowledge_dir=knowledge if knowledge.is_dir() else None
            )
        except TemplateError as exc:
            return None, exc.problems + drafting.todo_problems(yaml_text, EDITOR)
        todos = drafting.todo_problems(yaml_text, EDITOR)
        return (None, todos) if todos else (role, [])

    def publish_template(self, token: str, yaml_text: str) -> RoleTemplate:
        """Publish a valid text as the role's next version (its `version:` is set to that)."""
        actor = self._allow(token, Action.PUBLISH_TEMPLATE)
        role, problems = self._problems(yaml_text)
        if problems or role is None:
            raise TemplateError(problems)
        latest = self.store.latest_template(role.id)
        version = latest.version + 1 if latest else 1
        text = drafting.with_top_level(yaml_text, "version", str(version))
        # Compared as templates, not as text: a trailing newline or a comment is no change.
        if latest and _same_template(self.catalog.role(role.id, latest.version), role):
            raise InputError(f"nothing changed since v{latest.version}; edit it before publishing")
        self.store.publish_template(role.id, version, text, actor.label, retired=role.retired)
        return self.catalog.role(role.id, version)

    def retire_template(self, token: str, role_id: str) -> RoleTemplate:
        """Publish a retired version: new candidates cannot start it, open sessions carry on."""
        actor = self._allow(token, Action.RETIRE_TEMPLATE)
        latest = self.store.latest_template(role_id)
        if latest is None:
            raise InputError(f"no published template '{role_id}' to retire")
        if latest.retired or self.catalog.role(role_id, latest.version).retired:
            raise InputError(f"'{role_id}' is already retired; publish it again to reopen it")
        version = latest.version + 1
        text = drafting.with_top_level(latest.yaml_text, "version", str(version))
        text = drafting.with_top_level(text, "retired", "true")
        self.store.publish_template(role_id, version, text, actor.label, retired=True)
        return self.catalog.role(role_id, version)

    def preview_template(self, token: str, yaml_text: str) -> list[Message]:
        """What a candidate would read, in order, from a template text; nothing is stored."""
        self._allow(token, Action.PREVIEW_TEMPLATE)
        role, problems = self._problems(yaml_text)
        if role is None:
            raise TemplateError(problems)
        s = self.settings
        script = load_script(
            s.system_prompts_dir / "script.yaml", role, s.company_name, s.contact, s.retention_days
        )
        return [
            Message("interviewer", "disclosure", script.disclosure),
            Message("interviewer", "consent_request", script.consent_request),
            *(Message("interviewer", "question", q.text) for q in role.questions),
            Message("interviewer", "closing", script.closing),
        ]

    # HR: documents and drafts ----------------------------------------------------------------
    def upload_document(
        self, token: str, filename: str, data: bytes, kind: str = "jobs", wait: bool = False
    ) -> str:
        """Save a Markdown, text or PDF document under knowledge/KIND/ and index it.

        Indexing runs in the background (a large document takes minutes): the path returned
        names the job, and `indexing_status` reports its progress. With `wait`, it runs here.
        """
        actor = self._allow(token, Action.UPLOAD_DOCUMENT)
        self._document_index()
        name = uploads.safe_document_name(filename, kind, data)
        path = self.settings.knowledge_dir / kind / name
        source = f"{kind}/{name}"
        with self._jobs_lock:
            if self._jobs.get(source, "").startswith("indexing"):
                raise InputError(f"{source} is still being indexed; wait for it to finish")
            self._jobs[source] = "indexing: starting"
        replaced = path.is_file()
        previous = uploads.save(path, data)
        what = {"path": source, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                "replaced": replaced}  # fmt: skip
        self.store.append_event(actor.label, "document.uploaded", what)
        job = threading.Thread(
            target=self._index, args=(actor, source, path, previous), name=f"index {source}"
        )
        job.start()
        if wait:
            job.join()
        return source

    def indexing_status(self, token: str, source: str) -> str:
        """How indexing an upload goes: 'indexing: 40 of 120 parts', 'done: ...', 'failed: ...'."""
        self._allow(token, Action.UPLOAD_DOCUMENT)
        with self._jobs_lock:
            return self._jobs.get(source, "unknown: no upload of that name in this process")

    def documents(self, token: str) -> list[documents.DocumentEntry]:
        """The job and company documents: name, size, chunks indexed, and the latest upload."""
        self._allow(token, Action.UPLOAD_DOCUMENT)
        files = documents.on_disk(self.settings.knowledge_dir)
        chunks = self._document_index().chunk_counts()
        log_entries = self.store.events(kinds=(documents.UPLOADED, documents.REMOVED))
        return documents.listed(files, chunks, log_entries)

    def remove_document(self, token: str, source: str) -> int:
        """Delete a document and its chunks from the index; returns how many chunks went.

        Refused while it is being indexed, and while an open role lists it in `documents:`
        (its candidates would lose the answers it gives)."""
        actor = self._allow(token, Action.UPLOAD_DOCUMENT)
        index = self._document_index()
        path = documents.on_disk(self.settings.knowledge_dir).get(source)
        if path is None:
            raise InputError(f"no document '{source}'; refresh the list and choose one in it")
        users = [r.id for r in self.catalog.roles() if source in documents.named(r.documents)]
        if users:
            raise InputError(
                f"{source} is listed in the documents of role(s) {', '.join(users)}; remove it "
                "from their `documents:` and publish them first, or retire them"
            )
        with self._jobs_lock:
            if self._jobs.get(source, "").startswith("indexing"):
                raise InputError(f"{source} is still being indexed; wait for it to finish")
            self._jobs[source] = "indexing: removing"  # no upload of it starts meanwhile
        try:
            data = path.read_bytes()
            chunks = index.chunk_counts().get(source, 0)
            path.unlink()
            try:
                if chunks:
                    index.ingest_file(path)  # a deleted file's chunks are dropped
            except Exception:
                uploads.restore(path, data)  # knowledge/ keeps matching the index
                raise
        finally:
            with self._jobs_lock:
                self._jobs.pop(source, None)
        what = {"path": source, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                "chunks": chunks}  # fmt: skip
        self.store.append_event(actor.label, documents.REMOVED, what)
        return chunks

    def _document_index(self) -> DocumentIndex:
        if not isinstance(self.knowledge, DocumentIndex):
            raise ConfigError("the knowledge index is not loaded here; run `interviewer ingest`")
        return self.knowledge

    def _index(self, actor: Actor, source: str, path: Path, previous: bytes | None) -> None:
        def progress(done: int, total: int) -> None:
            with self._jobs_lock:
                self._jobs[source] = f"indexing: {done} of {total} parts"

        try:
            report = self.knowledge.ingest_file(path, progress)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - any failure is reported to HR and logged
            log.exception("indexing %s failed", source)
            uploads.restore(path, previous)  # knowledge/ keeps matching the index
            shown = exc.public() if isinstance(exc, BotError) else BotError().public()
            outcome = f"failed: {shown}; the earlier version (if any) is back"
            self.store.append_event(actor.label, "document.failed", {"path": source})
        else:
            outcome = f"done: {report}"
            self.store.append_event(actor.label, "document.indexed",
                                    {"path": source, "report": str(report)})  # fmt: skip
        with self._jobs_lock:
            self._jobs[source] = outcome

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
        problems = self._problems(draft.yaml)[1]
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


def _same_template(a: RoleTemplate, b: RoleTemplate) -> bool:
    """Whether two versions say the same thing to candidates and the evaluator."""
    skip = {"version"}
    return a.model_dump(exclude=skip) == b.model_dump(exclude=skip)
