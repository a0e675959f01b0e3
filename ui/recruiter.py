"""The recruiter's workspace: sessions, transcripts with evidence, overrides, decisions, exports.

The model proposes, a person decides: overrides need a reason and sit beside the model's score,
decisions carry a note, and both are logged by the server with who and when. Every call passes
the login token to StaffService, which checks it again; this page only arranges what it returns.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from bot.errors import BotError
from bot.review import SessionSummary, TranscriptView
from bot.service import InterviewService
from bot.staff import StaffService
from ui.chart import distribution_svg
from ui.login import build_gate
from ui.review_html import competencies_text, status_label, transcript_html
from ui.shown import score_text

SESSION_COLUMNS = [
    "Candidate",
    "Role",
    "Status",
    "Overall",
    "Per competency",
    "Answered",
    "Decision",
    "Updated",
    "Session id",
]
STATUSES = [
    ("All", ""),
    ("In progress", "created"),
    ("Completed", "completed"),
    ("Declined", "declined"),
]
SORTS = [("Last activity", "updated"), ("Overall score", "score")]
FORMATS = [("CSV", "csv"), ("JSON", "json"), ("Printable transcript (HTML)", "html")]
DECISIONS = [("Advance", "advance"), ("Hold", "hold"), ("Reject", "reject")]


def session_row(s: SessionSummary) -> list:
    """One line of the session list; the full id last, so a selected row names its session."""
    return [
        s.candidate_email or "—",
        f"{s.role_title} (v{s.template_version})",
        status_label(s.status),
        score_text(s.overall),
        competencies_text(s),
        f"{s.answered}/{s.questions}",
        s.decision.decision if s.decision else "—",
        f"{s.updated_at:%Y-%m-%d %H:%M}",
        s.id,
    ]


def _role_choices(service: InterviewService) -> list[tuple[str, str]]:
    return [(f"{r.title} ({r.id})", r.id) for r in service.roles()]


def build(demo: gr.Blocks, service: InterviewService, secret: str) -> None:
    """The recruiter page: login, then sessions, the chart and invites."""
    staff = service.staff
    gate = build_gate(demo, staff, "recruiter", secret)
    with gate.workspace, gr.Tabs():
        with gr.Tab("Sessions", id="sessions"):
            s = _sessions_tab()
        with gr.Tab("Score distribution", id="chart"):
            c = _chart_tab()
        with gr.Tab("Invite a candidate", id="invite"):
            i = _invite_tab()
    token = gate.token
    roles = [s["role"], c["role"], i["role"]]

    def entered(tok: str):
        choices = _role_choices(service)
        first = choices[0][1] if choices else None
        return (
            gr.update(choices=[("All roles", ""), *choices], value=""),
            gr.update(choices=choices, value=first),
            gr.update(choices=choices, value=first),
        )

    filters = [token, s["role"], s["status"], s["sort"], s["descending"], s["session"]]
    listing = [s["table"], s["session"]]
    gate.on_enter(entered, [], roles)
    gate.on_enter(lambda tok, *f: _listed(staff, tok, *f), filters[1:], listing)
    quiet = dict(show_progress="hidden")
    for control in (s["role"], s["status"], s["sort"], s["descending"]):
        control.input(lambda *f: _listed(staff, *f), filters, listing, **quiet)
    s["refresh"].click(lambda *f: _listed(staff, *f), filters, listing)
    s["table"].select(_picked, None, s["session"])
    opened = [s["view"], s["question"], s["decision"], s["note"]]
    s["session"].change(lambda tok, sid: _opened(staff, tok, sid), [token, s["session"]], opened)
    s["question"].change(
        lambda tok, sid, q: _current_score(staff, tok, sid, q),
        [token, s["session"], s["question"]],
        [s["score"], s["level"], s["current"]],
    )
    s["save_override"].click(
        lambda tok, sid, q, sc, lv, why: _override(staff, tok, sid, q, sc, lv, why),
        [token, s["session"], s["question"], s["score"], s["level"], s["reason"]],
        [s["view"], s["reason"], s["outcome"]],
    ).success(lambda *f: _listed(staff, *f), filters, listing, **quiet)
    s["save_decision"].click(
        lambda tok, sid, d, note: _decide(staff, tok, sid, d, note),
        [token, s["session"], s["decision"], s["note"]],
        [s["view"], s["outcome"]],
    ).success(lambda *f: _listed(staff, *f), filters, listing, **quiet)
    s["export_session"].click(
        lambda tok, sid, f: _export(staff, tok, f, session_id=sid),
        [token, s["session"], s["format"]],
        s["file"],
    )
    s["export_role"].click(
        lambda tok, r, f: _export(staff, tok, f, role_id=r),
        [token, s["role"], s["format"]],
        s["file"],
    )
    gate.on_enter(lambda tok: _first_chart(service, staff, tok), [], [c["svg"]])
    for trigger in (c["role"].input, c["show"].click):
        trigger(lambda tok, r: _chart(staff, tok, r), [token, c["role"]], c["svg"])

    def invited(tok: str, role_id: str | None, email: str, request: gr.Request):
        return _invite(staff, tok, role_id, email, request)

    i["create"].click(invited, [token, i["role"], i["email"]], [i["link"], i["note"]])


def _sessions_tab() -> dict:
    c: dict = {}
    with gr.Row():
        c["role"] = gr.Dropdown(
            label="Role", choices=[("All roles", "")], value="", elem_id="filter-role"
        )
        c["status"] = gr.Dropdown(
            label="Status", choices=STATUSES, value="", elem_id="filter-status"
        )
        c["sort"] = gr.Dropdown(label="Sort by", choices=SORTS, value="updated", elem_id="sort-by")
        c["descending"] = gr.Checkbox(
            label="Highest / newest first", value=True, elem_id="sort-descending"
        )
        c["refresh"] = gr.Button("Refresh", elem_id="sessions-refresh", scale=0)
    c["table"] = gr.Dataframe(
        headers=SESSION_COLUMNS,
        interactive=False,
        wrap=True,
        label="Sessions (select a row to read it)",
        max_height=360,
        column_widths=["13%", "15%", "8%", "6%", "26%", "6%", "6%", "9%", "11%"],
        elem_id="session-list",
    )
    c["session"] = gr.Dropdown(label="Session", choices=[], elem_id="session-pick")
    with gr.Row():
        with gr.Column(scale=3):
            c["view"] = gr.HTML("", elem_id="transcript")
        with gr.Column(scale=2, elem_id="review-actions"):
            _override_form(c)
            _decision_form(c)
            _export_form(c)
    return c


def _override_form(c: dict) -> None:
    gr.Markdown("### Override a score\nYour score is kept beside the model's, with your reason.")
    c["question"] = gr.Dropdown(label="Question", choices=[], elem_id="override-question")
    c["current"] = gr.Markdown("", elem_id="override-current")
    c["score"] = gr.Slider(
        0, 1, value=0.5, step=0.05, label="Your score (0 to 1)", elem_id="override-score"
    )
    c["level"] = gr.Radio(
        [1, 2, 3, 4, 5], value=3, label="Your level (1 to 5)", elem_id="override-level"
    )
    c["reason"] = gr.Textbox(
        label="Reason (required)",
        lines=2,
        elem_id="override-reason",
        placeholder="What the model missed or got wrong",
    )
    c["save_override"] = gr.Button("Save override", variant="primary", elem_id="override-save")
    c["outcome"] = gr.Markdown("", elem_id="review-outcome")


def _decision_form(c: dict) -> None:
    gr.Markdown("### Decision")
    c["decision"] = gr.Radio(DECISIONS, label="Decision", elem_id="decision")
    c["note"] = gr.Textbox(label="Note", lines=2, elem_id="decision-note")
    c["save_decision"] = gr.Button("Save decision", variant="primary", elem_id="decision-save")


def _export_form(c: dict) -> None:
    gr.Markdown("### Export")
    c["format"] = gr.Radio(FORMATS, value="csv", label="Format", elem_id="export-format")
    with gr.Row():
        c["export_session"] = gr.Button("Export this session", elem_id="export-session")
        c["export_role"] = gr.Button("Export the role's sessions", elem_id="export-role")
    c["file"] = gr.File(label="Download", interactive=False, elem_id="export-file")


def _chart_tab() -> dict:
    c: dict = {}
    with gr.Row():
        c["role"] = gr.Dropdown(label="Role", choices=[], elem_id="chart-role")
        c["show"] = gr.Button("Show", elem_id="chart-show", scale=0)
    c["svg"] = gr.HTML("", elem_id="chart")
    return c


def _invite_tab() -> dict:
    c: dict = {}
    gr.Markdown(
        "An invite opens one interview for one candidate and expires; send the link "
        "to the candidate yourself."
    )
    c["role"] = gr.Dropdown(label="Role", choices=[], elem_id="invite-role")
    c["email"] = gr.Textbox(
        label="Candidate's email (optional, kept with the session)", elem_id="invite-email"
    )
    c["create"] = gr.Button("Invite candidate", variant="primary", elem_id="invite-create")
    c["link"] = gr.Textbox(
        label="Invite link", buttons=["copy"], interactive=False, elem_id="invite-link"
    )
    c["note"] = gr.Markdown("", elem_id="invite-note")
    return c


def _listed(
    staff: StaffService,
    token: str,
    role: str,
    status: str,
    sort: str,
    descending: bool,
    picked: str | None,
):
    try:
        rows = staff.sessions(token, role or None, status or None, sort, bool(descending))
    except BotError as exc:
        raise gr.Error(str(exc)) from exc
    choices = [
        (f"{r.candidate_email or r.id[:8]} · {r.role_title} · {status_label(r.status)}", r.id)
        for r in rows
    ]
    keep = picked if picked in {r.id for r in rows} else None
    return [session_row(r) for r in rows], gr.update(choices=choices, value=keep)


def _picked(evt: gr.SelectData):
    row = evt.row_value or []
    return row[-1] if row else gr.skip()


def _view(staff: StaffService, token: str, session_id: str | None) -> TranscriptView:
    if not session_id:
        raise gr.Error("Choose a session first.")
    try:
        return staff.transcript(token, session_id)
    except BotError as exc:
        raise gr.Error(str(exc)) from exc


def _opened(staff: StaffService, token: str, session_id: str | None):
    if not session_id:
        return "", gr.update(choices=[], value=None), None, ""
    view = _view(staff, token, session_id)
    questions = [
        (f"{a.question_id} · {a.competency}", a.question_id) for a in view.answers if a.answers
    ]
    latest = view.summary.decision
    return (
        transcript_html(view),
        gr.update(choices=questions, value=questions[0][1] if questions else None),
        latest.decision if latest else None,
        latest.note if latest else "",
    )


def _current_score(staff: StaffService, token: str, session_id: str, question_id: str | None):
    """Start the form from the question's current score, and say what the model gave."""
    if not (session_id and question_id):
        return gr.skip(), gr.skip(), ""
    for a in _view(staff, token, session_id).answers:
        if a.question_id == question_id and a.model_score is not None:
            m = a.model_score
            said = f"Model's score: **{m.score:.2f}**, level {m.level}/5."
            if a.override is not None:
                said += f" Latest override: {a.override.score:.2f}, level {a.override.level}/5."
            return a.final_score, a.final_level, said
    return gr.skip(), gr.skip(), "Not scored yet."


def _override(
    staff: StaffService,
    token: str,
    session_id: str,
    question_id: str | None,
    score: float,
    level: int,
    reason: str,
):
    if not question_id:
        raise gr.Error("Choose the question whose score you are overriding.")
    try:
        view = staff.override(
            token, session_id, question_id, float(score), int(level), reason or ""
        )
    except BotError as exc:
        raise gr.Error(str(exc)) from exc
    return transcript_html(view), "", f"Override saved for {question_id}."


def _decide(staff: StaffService, token: str, session_id: str, decision: str | None, note: str):
    if not decision:
        raise gr.Error("Choose advance, hold or reject first.")
    try:
        view = staff.decide(token, session_id, decision, note or "")
    except BotError as exc:
        raise gr.Error(str(exc)) from exc
    return transcript_html(view), f"Decision saved: {decision}."


def _export(
    staff: StaffService,
    token: str,
    fmt: str,
    session_id: str | None = None,
    role_id: str | None = None,
) -> str:
    if not (session_id or role_id):
        raise gr.Error("Choose a session, or a role in the filter, to export.")
    try:
        filename, data = staff.export(
            token, session_id=session_id or None, role_id=role_id or None, fmt=fmt
        )
    except BotError as exc:
        raise gr.Error(str(exc)) from exc
    path = Path(tempfile.mkdtemp(prefix="interviewer-export-")) / filename
    path.write_bytes(data)
    return str(path)


def _chart(staff: StaffService, token: str, role_id: str | None) -> str:
    if not role_id:
        raise gr.Error("Choose a role.")
    try:
        return distribution_svg(role_id, staff.score_distribution(token, role_id))
    except BotError as exc:
        raise gr.Error(str(exc)) from exc


def _first_chart(service: InterviewService, staff: StaffService, token: str) -> str:
    """The chart of the first open role, so the tab is not empty on arrival."""
    roles = service.roles()
    return _chart(staff, token, roles[0].id) if roles else ""


def _invite(
    staff: StaffService, token: str, role_id: str | None, email: str, request: gr.Request | None
):
    if not role_id:
        raise gr.Error("Choose the role the candidate applied for.")
    try:
        invite = staff.create_invite(token, role_id, email or None)
    except BotError as exc:
        raise gr.Error(str(exc)) from exc
    base = str(request.base_url).rstrip("/") if request is not None else ""
    link = base + invite.url_path if base else staff.invite_url(invite)
    return link, f"Expires {invite.expires_at:%Y-%m-%d %H:%M} UTC. It opens one interview only."
