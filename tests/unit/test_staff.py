"""StaffService: every method checks the token and the permission on the server; what staff do."""

from __future__ import annotations

import html
import inspect
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.core.errors import AccessDenied, BotError, InputError, KnowledgeError
from bot.ports import Snippet
from bot.service import InterviewService
from bot.settings import Settings
from bot.staff.access import Accounts, Action, allowed
from bot.staff.service import StaffService
from bot.store import Store
from tests.unit.fakes import FakeRetriever, FakeScorer, FakeWriter
from tests.unit.test_access import PASSWORD, fast_hasher
from tests.unit.test_service import ROOT, write_role

GOOD = "Lists are mutable and Tuples work as keys."
PARTIAL = "Tuples work as keys."  # misses "Lists are mutable"


class FakeKnowledge(FakeRetriever):
    """Retrieval plus the one-file ingest the upload calls; remembers what it ingested."""

    def __init__(self) -> None:
        super().__init__([Snippet("Northwind is remote-first.", "company/about.md", "About")])
        self.ingested: list[Path] = []
        self.chunks: dict[str, int] = {}  # source -> chunks, as the index would hold them

    def ingest_file(self, path, progress=None):
        from bot.knowledge.base import IngestReport

        path = Path(path)
        source = "/".join(path.parts[-2:])  # knowledge/KIND/NAME
        if not path.exists():
            self.chunks.pop(source)
            return IngestReport(removed=1)
        if path.read_bytes().startswith(b"BROKEN"):
            raise KnowledgeError("company/broken.md: cannot be parsed")
        if progress is not None:
            progress(1, 2)
            progress(2, 2)
        self.ingested.append(path)
        self.chunks[source] = 2
        return IngestReport(added=1, chunks=2)

    def chunk_counts(self) -> dict[str, int]:
        return dict(self.chunks)


@dataclass
class Parts:
    settings: Settings
    store: Store
    service: InterviewService
    staff: StaffService
    writer: FakeWriter
    knowledge: FakeKnowledge
    recruiter: str  # login tokens
    hr: str


def make_parts(tmp_path: Path, database_url: str = "") -> Parts:
    """A service with fake models, a real store (SQLite, or the URL given), and one recruiter
    and one HR login."""
    write_role(tmp_path / "roles")
    (tmp_path / "knowledge" / "jobs").mkdir(parents=True)
    (tmp_path / "knowledge" / "jobs" / "test.md").write_text("# Test Engineer\n")
    settings = Settings(
        home=tmp_path,
        roles_dir=tmp_path / "roles",
        system_prompts_dir=ROOT / "prompts/system",
        knowledge_dir=tmp_path / "knowledge",
        database_url=database_url,
    )
    store = Store(settings.db_url)
    writer, knowledge = FakeWriter(), FakeKnowledge()
    service = InterviewService(settings, store, FakeScorer(), writer, knowledge)
    accounts = Accounts(store, fast_hasher())
    staff = StaffService(settings, store, service.catalog, writer, knowledge, accounts)
    accounts.add_user("rita", "recruiter", PASSWORD)
    accounts.add_user("hana", "hr", PASSWORD)
    return Parts(
        settings,
        store,
        service,
        staff,
        writer,
        knowledge,
        staff.login("rita", PASSWORD),
        staff.login("hana", PASSWORD),
    )


def interview(parts: Parts, answers=(GOOD,) * 5, email: str | None = None) -> str:
    """A finished interview started from an invite; returns its session id."""
    invite = parts.staff.create_invite(parts.recruiter, "test-role", email)
    sid = parts.service.desk.open_invite(invite.token)
    parts.service.desk.reply(invite.token, "yes")
    for answer in answers:
        said = parts.service.desk.reply(invite.token, answer).messages
        if said and said[-1].kind == "probe":
            parts.service.desk.reply(invite.token, "I have nothing to add.")
    return sid


@pytest.fixture
def parts(tmp_path, database_url) -> Parts:
    return make_parts(tmp_path, database_url)


@pytest.fixture
def sid(parts) -> str:
    return interview(parts, answers=(PARTIAL, GOOD, GOOD, GOOD, GOOD), email="ana@example.com")


def template(parts: Parts) -> str:
    return parts.store.latest_template("test-role").yaml_text  # type: ignore[union-attr]


def an_example(p: Parts) -> int:
    """A graded example's id, made once per test (the first, refused, call makes it)."""
    if not hasattr(p.staff, "_example_for_tests"):
        made = p.store.add_example("test-role", "q1", "Lists are mutable, tuples not.", 3, "t")
        p.staff._example_for_tests = made.id  # type: ignore[attr-defined]
    return p.staff._example_for_tests  # type: ignore[attr-defined]


# Each public method, the action it needs, and a valid call once the token is filled in.
CALLS = {
    "sessions": (Action.VIEW_SESSIONS, lambda p, t, sid: p.staff.sessions(t)),
    "transcript": (Action.VIEW_TRANSCRIPT, lambda p, t, sid: p.staff.transcript(t, sid)),
    "graded_examples": (
        Action.EDIT_TEMPLATE, lambda p, t, sid: p.staff.graded_examples(t, "test-role")
    ),
    "set_example_enabled": (
        Action.EDIT_TEMPLATE,
        lambda p, t, sid: p.staff.set_example_enabled(t, an_example(p), False),
    ),
    "delete_example": (
        Action.EDIT_TEMPLATE, lambda p, t, sid: p.staff.delete_example(t, an_example(p))
    ),
    "question_agreement": (
        Action.VIEW_SESSIONS, lambda p, t, sid: p.staff.question_agreement(t, "test-role")
    ),
    "confirm": (
        Action.OVERRIDE_SCORE,
        lambda p, t, sid: p.staff.confirm(t, sid, "q1"),
    ),
    "override": (
        Action.OVERRIDE_SCORE,
        lambda p, t, sid: p.staff.override(t, sid, "q1", 0.8, 4, "Covered it in other words."),
    ),
    "decide": (Action.DECIDE, lambda p, t, sid: p.staff.decide(t, sid, "hold", "wait")),
    "export": (Action.EXPORT, lambda p, t, sid: p.staff.export(t, session_id=sid)),
    "export_link": (Action.EXPORT, lambda p, t, sid: p.staff.export_link(t, session_id=sid)),
    "create_invite": (
        Action.CREATE_INVITE,
        lambda p, t, sid: p.staff.create_invite(t, "test-role"),
    ),
    "score_distribution": (
        Action.VIEW_CHART,
        lambda p, t, sid: p.staff.score_distribution(t, "test-role"),
    ),
    "events": (Action.VIEW_EVENTS, lambda p, t, sid: p.staff.events(t)),
    "impact_report": (Action.VIEW_AUDIT, lambda p, t, sid: p.staff.impact_report(t, "test-role")),
    "templates": (Action.LIST_TEMPLATES, lambda p, t, sid: p.staff.templates(t)),
    "template_text": (
        Action.LIST_TEMPLATES,
        lambda p, t, sid: p.staff.template_text(t, "test-role"),
    ),
    "validate_template": (
        Action.EDIT_TEMPLATE,
        lambda p, t, sid: p.staff.validate_template(t, template(p)),
    ),
    "publish_template": (
        Action.PUBLISH_TEMPLATE,
        lambda p, t, sid: p.staff.publish_template(t, template(p).replace("number 1", "one")),
    ),
    "retire_template": (
        Action.RETIRE_TEMPLATE,
        lambda p, t, sid: p.staff.retire_template(t, "test-role"),
    ),
    "preview_template": (
        Action.PREVIEW_TEMPLATE,
        lambda p, t, sid: p.staff.preview_template(t, template(p)),
    ),
    "indexing_status": (
        Action.UPLOAD_DOCUMENT,
        lambda p, t, sid: p.staff.indexing_status(t, "company/faq.md"),
    ),
    "upload_document": (
        Action.UPLOAD_DOCUMENT,
        lambda p, t, sid: p.staff.upload_document(t, "faq.md", b"# FAQ\nRemote.", "company"),
    ),
    "documents": (Action.UPLOAD_DOCUMENT, lambda p, t, sid: p.staff.documents(t)),
    "remove_document": (Action.UPLOAD_DOCUMENT, lambda p, t, sid: remove_old(p, t)),
    "screen_resumes": (
        Action.SCREEN_RESUMES,
        lambda p, t, sid: no_requirements(p.staff.screen_resumes, t, "test-role", []),
    ),
    "role_resumes": (
        Action.SCREEN_RESUMES, lambda p, t, sid: p.staff.role_resumes(t, "test-role")
    ),
    "other_roles": (
        Action.SCREEN_RESUMES, lambda p, t, sid: missing_resume(p.staff.other_roles, t)
    ),
    "draft_questions": (
        Action.DRAFT_QUESTIONS,
        lambda p, t, sid: p.staff.draft_questions(t, JOB),
    ),
}


def no_requirements(call, *args):
    """The call, past the permission check: the test role lists no requirements to match."""
    with pytest.raises(InputError, match="lists no requirements"):
        call(*args)


def missing_resume(call, token):
    """The call, past the permission check: no resume has that id."""
    with pytest.raises(InputError, match="no such resume"):
        call(token, 10**6)


def remove_old(parts: Parts, token: str) -> int:
    """Remove a document an operator copied into knowledge/jobs/ (copied again each time)."""
    (parts.settings.knowledge_dir / "jobs" / "old.md").write_text("# Old\n")
    return parts.staff.remove_document(token, "jobs/old.md")


JOB = """# Support Specialist

## Requirements
- Two years answering customer tickets by email and chat.
- Clear written English.
"""
# No token to check, only the token itself read, or (redeem_export) a one-time link checked
# against the login that made it (tested below).
OPEN = {"login", "logout", "whoami", "invite_url", "redeem_export"}


def test_every_public_method_is_in_the_enforcement_table():
    public = {n for n, _ in inspect.getmembers(StaffService, inspect.isfunction)}
    assert {n for n in public if not n.startswith("_")} == set(CALLS) | OPEN


@pytest.mark.parametrize("method", sorted(CALLS))
def test_each_method_checks_the_token_and_the_role_on_the_server(parts, sid, method):
    action, call = CALLS[method]
    expired = parts.staff.accounts.login("hana", PASSWORD, hours=-1)
    forged = parts.hr[:-3] + ("AAA" if not parts.hr.endswith("AAA") else "BBB")
    for token in ("", "not-a-token", forged, expired):
        with pytest.raises(AccessDenied, match="log in again"):
            call(parts, token, sid)
    for role, token in (("recruiter", parts.recruiter), ("hr", parts.hr)):
        if allowed(role, action):
            call(parts, token, sid)  # the permitted role gets through
        else:
            before = len(parts.store.events())
            with pytest.raises(AccessDenied, match=f"\\({role}\\) may not"):
                call(parts, token, sid)
            assert len(parts.store.events()) == before  # refused before anything happened


def test_an_override_sits_beside_the_model_score_and_needs_a_reason(parts, sid):
    staff, token = parts.staff, parts.recruiter
    before = staff.transcript(token, sid).answers[0]
    assert before.model_score is not None and before.override is None
    with pytest.raises(BotError, match="needs a reason of at least 10 characters"):
        staff.override(token, sid, "q1", 1.0, 5, "  ok  ")
    with pytest.raises(BotError, match="no question 'q9'"):
        staff.override(token, sid, "q9", 1.0, 5, "A reason long enough.")
    after = staff.override(token, sid, "q1", 1.0, 5, "Mutability was explained in the example.")
    q1 = after.answers[0]
    assert q1.model_score == before.model_score  # the model's score is kept as it was
    assert (q1.final_score, q1.final_level, q1.override.actor) == (1.0, 5, "recruiter:rita")
    assert after.summary.overall > before_overall(before, after)
    event, learned = parts.store.events(sid)[-2:]
    assert event.kind == "score.overridden" and event.actor == "recruiter:rita"
    assert event.payload["reason"] == "Mutability was explained in the example."
    # The graded answer became an example for q1, at the recruiter's level.
    assert learned.kind == "example.added" and learned.payload["level"] == 5
    (example,) = parts.store.examples("test-role", "q1")
    assert example.level == 5 and example.session_id == sid and example.text
    assert example.base_score == before.model_score.score


def test_graded_answers_reach_the_next_candidates_scoring_and_go_with_an_erasure(parts, sid):
    staff, token = parts.staff, parts.recruiter
    staff.confirm(token, sid, "q2")
    (kept,) = parts.store.examples("test-role", "q2")
    assert kept.level == staff.transcript(token, sid).answers[1].model_score.level
    interview(parts)  # the next candidate's q2 is scored with the recruiter's example
    assert parts.service.scorer.examples["q2"] == [(kept.text, kept.level)]
    parts.store.erase_session(sid, "candidate", "candidate request")
    assert parts.store.examples("test-role", "q2") == []


def before_overall(before, after) -> float:
    """The overall with q1 at the model's score instead of the override."""
    others = [a.final_score for a in after.answers[1:]]
    return (before.model_score.score + sum(others)) / len(after.answers)


def test_the_session_list_filters_sorts_and_shows_email_scores_and_decision(parts, sid):
    low = interview(parts, answers=(PARTIAL,) * 5)
    staff, token = parts.staff, parts.recruiter
    parts.staff.decide(token, sid, "advance", "Strong answers")
    rows = staff.sessions(token, sort_by="score")
    assert [r.id for r in rows] == [sid, low]
    assert [r.id for r in staff.sessions(token, sort_by="score", descending=False)] == [low, sid]
    top = rows[0]
    assert top.candidate_email == "ana@example.com" and top.decision.decision == "advance"
    assert top.competencies[0].name == "Python" and top.answered == top.questions == 5
    assert top == staff.transcript(token, sid).summary  # the list agrees with the transcript
    assert staff.sessions(token, role_id="other-role") == []
    assert staff.sessions(token, status="declined") == []
    assert {r.id for r in staff.sessions(token, status=rows[0].status)} >= {sid}


def test_the_transcript_shows_key_points_evidence_probes_and_versions(parts, sid):
    view = parts.staff.transcript(parts.hr, sid)  # HR may read, read-only
    q1 = view.answers[0]
    assert q1.answers[0] == PARTIAL and q1.probes  # the partial answer was probed
    missing = [k for k in q1.key_points if not k.covered]
    assert missing and missing[0].text  # key points come with HR's text, not just ids
    assert q1.model_version == "fake-scorer@1" and view.transcript.template_version == 1
    read = parts.staff.store.events(sid)[-1]
    assert (read.kind, read.actor) == ("transcript.viewed", "hr:hana")  # who read it is logged


def test_decisions_keep_history_and_refuse_unknown_values(parts, sid):
    staff, token = parts.staff, parts.recruiter
    with pytest.raises(BotError, match="choose advance, hold, reject"):
        staff.decide(token, sid, "maybe", "")
    staff.decide(token, sid, "hold", "Need a second look")
    view = staff.decide(token, sid, "reject", "Not enough depth")
    assert [d.decision for d in view.decisions] == ["hold", "reject"]
    assert view.summary.decision.note == "Not enough depth"


def test_exports_are_logged_with_who_and_what(parts, sid):
    name, data = parts.staff.export(parts.recruiter, role_id="test-role", fmt="json")
    assert name.startswith("role-test-role-") and name.endswith(".json") and sid.encode() in data
    event = parts.store.events()[-1]
    assert (event.kind, event.actor, event.payload["sessions"]) == (
        "export",
        "recruiter:rita",
        [sid],
    )
    with pytest.raises(BotError, match="either a session or a role"):
        parts.staff.export(parts.recruiter)


def test_the_chart_gets_final_scores_per_competency(parts, sid):
    parts.staff.override(parts.recruiter, sid, "q1", 1.0, 5, "Fully covered on reflection.")
    dist = parts.staff.score_distribution(parts.recruiter, "test-role")
    assert dist == {"Python": [1.0], "Overall": [1.0]}


def test_validation_names_the_line_and_publishing_refuses_until_fixed(parts):
    staff, token = parts.staff, parts.hr
    broken = template(parts).replace("competency: python", "competency: pyton", 1)
    problems = staff.validate_template(token, broken)
    assert len(problems) == 1 and problems[0].file == "template.yaml"
    assert broken.splitlines()[problems[0].line - 1].strip() == "competency: pyton"
    said = problems[0].message
    assert "'pyton' is not declared" in said and "did you mean 'python'" in said
    with pytest.raises(BotError, match="pyton"):
        staff.publish_template(token, broken)
    assert parts.store.latest_template("test-role").version == 1  # nothing was published
    assert staff.validate_template(token, template(parts)) == []
    with pytest.raises(BotError, match="nothing changed since v1"):
        staff.publish_template(token, template(parts))
    fixed = template(parts).replace("Core question number 1", "The first question", 1)
    role = staff.publish_template(token, fixed)  # still says `version: 1`
    assert role.version == 2  # the version is always latest + 1
    assert "version: 2" in staff.template_text(token, "test-role")
    assert role.questions[0].text.startswith("The first question")
    assert parts.store.events()[-1].actor == "hr:hana"


def test_sessions_keep_their_version_and_retired_roles_take_no_new_candidates(parts, sid):
    staff, token = parts.staff, parts.hr
    text = template(parts).replace("Core question number 1", "First question", 1)
    staff.publish_template(token, text)
    invite = staff.create_invite(parts.recruiter, "test-role")
    retired = staff.retire_template(token, "test-role")
    assert retired.retired and retired.version == 3
    assert staff.templates(token)[0].retired
    assert parts.staff.transcript(token, sid).transcript.template_version == 1
    with pytest.raises(BotError, match="retired"):
        staff.create_invite(parts.recruiter, "test-role")
    with pytest.raises(AccessDenied, match="no longer open"):
        parts.service.desk.open_invite(invite.token)
    with pytest.raises(BotError, match="already retired"):
        staff.retire_template(token, "test-role")


def test_a_session_without_an_email_is_named_by_its_invite_and_its_date(parts):
    from bot.staff.review import candidate_label

    invited = interview(parts)  # an invite with no email, as `serve --invite-links` makes
    parts.service.start("test-role")  # a terminal interview: no invite at all
    labels = {s.id: candidate_label(s) for s in parts.staff.sessions(parts.recruiter)}
    day = f"{parts.store.invites()[0].created_at:%Y-%m-%d}"
    assert labels[invited].startswith(f"no email (invited {day} ")
    assert labels[invited].endswith(" by recruiter:rita)")
    (other,) = set(labels) - {invited}
    assert labels[other].startswith("no email (terminal interview, ")


def test_the_candidates_page_is_titled_with_the_role_and_company_of_its_own_version(parts):
    invite = parts.staff.create_invite(parts.recruiter, "test-role")
    parts.service.desk.open_invite(invite.token)
    renamed = template(parts).replace("title: Test Engineer", "title: Staff Engineer", 1)
    parts.staff.publish_template(parts.hr, renamed)  # after the interview began
    assert parts.service.desk.open(invite.token).heading == "Test Engineer at Northwind Labs"
    with pytest.raises(AccessDenied):
        parts.service.desk.open("not-an-invite")


def test_preview_shows_what_a_candidate_reads_and_stores_nothing(parts):
    said = parts.staff.preview_template(parts.hr, template(parts))
    assert [m.kind for m in said][:2] == ["disclosure", "consent_request"]
    assert [m.text for m in said if m.kind == "question"][0].startswith("Core question number 1")
    assert parts.store.sessions() == []


@pytest.mark.parametrize(
    ("filename", "data", "problem"),
    [
        ("notes.exe", b"x", "Markdown, text or PDF"),
        ("../../etc/passwd", b"x", "Markdown, text or PDF"),
        (".md", b"x", "cannot be used as a file name"),
        ("big.md", b"x" * (5 * 2**20 + 1), "over 5 MB"),
        ("empty.txt", b"", "empty"),
        ("fake.pdf", b"hello", "not a PDF"),
        ("latin.txt", "caf\xe9".encode("latin-1"), "not UTF-8"),
    ],
)
def test_uploads_refuse_bad_files(parts, filename, data, problem):
    with pytest.raises(BotError, match=problem):
        parts.staff.upload_document(parts.hr, filename, data, "jobs")
    assert parts.knowledge.ingested == []


def test_an_upload_keeps_its_own_name_inside_its_folder_and_is_indexed(parts):
    job = parts.staff.upload_document(parts.hr, "..\\..\\Our_FAQ-v2.MD", b"# FAQ\n", "company",
                                      wait=True)  # fmt: skip
    path = parts.settings.knowledge_dir / "company" / "Our_FAQ-v2.MD"
    assert job == "company/Our_FAQ-v2.MD"
    assert path.read_bytes() == b"# FAQ\n" and parts.knowledge.ingested == [path]
    assert parts.staff.indexing_status(parts.hr, job).startswith("done:")
    kinds = [(e.kind, e.payload.get("path")) for e in parts.store.events()[-2:]]
    assert kinds == [("document.uploaded", job), ("document.indexed", job)]
    with pytest.raises(BotError, match="'secrets' is not a document kind"):
        parts.staff.upload_document(parts.hr, "a.md", b"x", "secrets")


@pytest.mark.parametrize(
    ("name", "suggested"),
    [("Our FAQ (v2).md", "Our-FAQ-v2.md"), ("CON.md", "CON-doc.md"), ("café.md", "caf.md")],
)
def test_an_upload_name_is_kept_or_refused_never_changed(parts, name, suggested):
    with pytest.raises(BotError, match=f"e.g. '{suggested}'"):
        parts.staff.upload_document(parts.hr, name, b"# x\n", "company")
    assert parts.knowledge.ingested == []


def test_a_failed_indexing_is_reported_and_puts_the_earlier_file_back(parts):
    parts.staff.upload_document(parts.hr, "broken.md", b"# first\n", "company", wait=True)
    job = parts.staff.upload_document(parts.hr, "broken.md", b"BROKEN", "company", wait=True)
    assert parts.staff.indexing_status(parts.hr, job).startswith("failed:")
    assert (parts.settings.knowledge_dir / job).read_bytes() == b"# first\n"


def test_a_draft_from_too_short_a_description_keeps_todos_and_is_never_published(parts):
    draft = parts.staff.draft_questions(parts.hr, JOB)
    assert "model gave nothing usable" in draft and "TODO" in draft  # two requirements only
    assert "two years answering customer tickets" in draft  # built from the requirements
    assert "# Validation found" in draft  # TODO markers are problems until replaced
    assert parts.store.template_role_ids() == ["test-role"]  # nothing published
    event = parts.store.events()[-1]
    assert (event.kind, event.payload["source"]) == ("questions.drafted", "skeleton")
    with pytest.raises(BotError, match="TODO"):
        parts.staff.publish_template(parts.hr, draft)


class FakeDrafter(FakeWriter):
    def draft_questions(self, title, job_description, count):
        from bot.ports import Written

        self.seen = (title, job_description, count)
        text = "\n".join(
            f"Q: How have you handled customer problem number {i} in a past support job?\n"
            f"Key points: names the customer's problem; explains the steps taken\n"
            f"Level 1: vague\nLevel 3: a real case\nLevel 5: a real case with the outcome"
            for i in range(1, 6)
        )
        return Written(text, "model", "fake-drafter@1")


def test_a_model_draft_is_parsed_with_retrieved_context_and_validated(parts):
    drafter = FakeDrafter()
    parts.staff.writer = drafter
    draft = parts.staff.draft_questions(parts.hr, JOB)
    assert drafter.seen[0] == "Support Specialist" and "remote-first" in drafter.seen[1]
    assert "proposed by the model" in draft
    assert "explains the steps taken" in draft and "a real case with the outcome" in draft
    assert parts.store.events()[-1].payload["model_version"] == "fake-drafter@1"


def test_an_export_link_works_once_for_its_own_login_only(parts, sid):
    link = parts.staff.export_link(parts.recruiter, session_id=sid, fmt="csv", source="10.0.0.1")
    ticket = link.rsplit("/", 1)[1]
    with pytest.raises(AccessDenied, match="expired or was used"):
        parts.staff.redeem_export(ticket, "10.0.0.2")  # a leaked link, opened elsewhere
    name, data = parts.staff.redeem_export(ticket, "10.0.0.1")
    assert name.endswith(".csv") and sid.encode() in data
    with pytest.raises(AccessDenied, match="expired or was used"):
        parts.staff.redeem_export(ticket, "10.0.0.1")  # once
    again = parts.staff.export_link(parts.recruiter, session_id=sid).rsplit("/", 1)[1]
    parts.staff.logout(parts.recruiter)
    with pytest.raises(AccessDenied, match="log in again"):
        parts.staff.redeem_export(again)  # the login that asked for it has ended
    with pytest.raises(AccessDenied):
        parts.staff.redeem_export("not-a-ticket-" * 3)


def test_publishing_the_same_template_with_only_spacing_or_comments_changed_is_refused(parts):
    text = template(parts)
    for same in (text + "\n\n", "# a note from HR\n" + text, text.replace(": ", ":  ", 1)):
        with pytest.raises(BotError, match="nothing changed since v1"):
            parts.staff.publish_template(parts.hr, same)
    assert parts.staff.publish_template(parts.hr, text.replace("number 1", "one")).version == 2


def test_a_turn_loads_its_session_once_and_the_page_opens_in_one_call(parts, monkeypatch):
    invite = parts.staff.create_invite(parts.recruiter, "test-role")
    loads = []
    real = parts.store.load_session
    monkeypatch.setattr(parts.store, "load_session", lambda sid: loads.append(sid) or real(sid))
    page = parts.service.desk.open(invite.token)  # started on first use
    assert page.now is not None and page.now.stage.phase == "consent"
    assert [m.kind for m in page.history][-1] == "consent_request"
    assert page.heading == "Test Engineer at Northwind Labs"
    loads.clear()
    parts.service.desk.reply(invite.token, "yes")
    assert loads == [page.session_id]
    loads.clear()
    again = parts.service.desk.open(invite.token)  # a reload: resumed, not started again
    assert loads == [page.session_id] and again.now.version == page.now.version + 1


def test_a_disclosure_inside_an_answer_is_marked_wherever_the_answer_is_read(parts):
    said = "I should mention I'm pregnant, due in March."
    sid = interview(parts, answers=(f"{GOOD} {said}",) + (GOOD,) * 4)
    mark = f"[set aside, not to be considered: {said}]"
    view = parts.staff.transcript(parts.recruiter, sid)
    assert mark in view.answers[0].answers[0]
    for fmt in ("csv", "html"):
        _, data = parts.staff.export(parts.recruiter, session_id=sid, fmt=fmt)
        text = html.unescape(data.decode("utf-8-sig"))
        assert said in text and said not in text.replace(mark, ""), fmt
    _, data = parts.staff.export(parts.recruiter, session_id=sid, fmt="json")
    (session,) = json.loads(data)["sessions"]
    texts = [t["text"] for t in session["transcript"]["turns"]]
    texts += [a for answer in session["answers"] for a in answer["answers"]]
    assert any(mark in t for t in texts)
    assert not any(said in t.replace(mark, "") for t in texts)
    copy = parts.service.rights.copy(sid)
    assert any(mark in t["text"] for t in copy["conversation"])
