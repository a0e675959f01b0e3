"""The recruiter's workspace: sessions, transcripts with evidence, overrides, decisions, exports.

The model proposes, a person decides: overrides need a reason and sit beside the model's score,
decisions carry a note, and both are logged by the server with who and when. Every call passes
the login token to StaffService, which checks it again; this page only arranges what it returns.
"""

from __future__ import annotations

import gradio as gr

from bot.service import InterviewService
from bot.staff.service import StaffService
from ui import review
from ui.login import Gate, build_gate
from ui.resumes import resumes_tab, wire_resumes

SESSION_COLUMNS = [
    "Candidate",
    "Role",
    "Status",
    "Overall",
    "Per competency",
    "Answered",
    "Needs a look",
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


def build(demo: gr.Blocks, service: InterviewService, staff: StaffService) -> None:
    """The recruiter page: login, then sessions, the chart and invites."""
    gate = build_gate(demo, staff, "recruiter")
    with gate.workspace, gr.Tabs():
        with gr.Tab("Sessions", id="sessions"):
            s = _sessions_tab()
        with gr.Tab("Score distribution", id="chart"):
            c = _chart_tab()
        with gr.Tab("Invite a candidate", id="invite"):
            i = _invite_tab()
        with gr.Tab("Resumes", id="resumes"):
            r = resumes_tab()
        with gr.Tab("Impact ratios", id="impact"):
            a = _impact_tab()
        with gr.Tab("Teach the evaluator", id="teach"):
            gr.Markdown(
                "Your grades teach the evaluator each question: an override or a confirmed "
                "level keeps the answer as a graded example. Per question, how the evaluator's "
                "scores agreed with your grades so far, and the sessions whose answer it was "
                "least sure of: grading those teaches it the most."
            )
            t_role = gr.Dropdown(label="Role", choices=[], elem_id="teach-role")
            t_show = gr.Button("Show", elem_id="teach-show")
            t_table = gr.Markdown("", elem_id="teach-table")

    def entered(tok: str):
        choices = review.role_choices(service)
        first = choices[0][1] if choices else None
        return (
            gr.update(choices=[("All roles", ""), *choices], value=""),
            gr.update(choices=choices, value=first),
            gr.update(choices=choices, value=first),
            gr.update(choices=choices, value=first),
            gr.update(choices=choices, value=None),
        )

    gate.on_enter(entered, [], [s["role"], c["role"], i["role"], a["role"], r["role"]])
    gate.on_enter(lambda tok: gr.update(choices=review.role_choices(service)), [], [t_role])
    t_show.click(lambda tok, r: review.teaching(staff, tok, r), [gate.token, t_role], t_table)
    a["show"].click(
        lambda tok, r, since, until: review.impact(staff, tok, r, since, until),
        [gate.token, a["role"], a["since"], a["until"]],
        a["report"],
    )
    _wire_sessions(gate, staff, s)
    _wire_judgement(gate.token, staff, s)
    _wire_chart_and_invites(gate, service, staff, c, i)
    wire_resumes(gate, staff, r)


def _list_io(token: gr.State, s: dict) -> tuple[list, list]:
    """What listing the sessions reads (token, filters, chosen session) and writes."""
    inputs = [token, s["role"], s["status"], s["sort"], s["descending"], s["session"]]
    return inputs, [s["table"], s["session"]]


def _wire_sessions(gate: Gate, staff: StaffService, s: dict) -> None:
    """The list follows the filters; choosing a row or a session opens its transcript."""
    filters, listing = _list_io(gate.token, s)
    gate.on_enter(lambda tok, *f: review.listed(staff, tok, *f), filters[1:], listing)
    for control in (s["role"], s["status"], s["sort"], s["descending"]):
        control.input(lambda *f: review.listed(staff, *f), filters, listing, show_progress="hidden")
    s["refresh"].click(lambda *f: review.listed(staff, *f), filters, listing)
    s["table"].select(review.picked, None, s["session"])
    s["session"].change(
        lambda tok, sid: review.opened(staff, tok, sid),
        [gate.token, s["session"]],
        [s["view"], s["question"], s["decision"], s["note"]],
    )


def _wire_judgement(token: gr.State, staff: StaffService, s: dict) -> None:
    """Overrides, decisions and exports of the open session (or the filtered role)."""
    filters, listing = _list_io(token, s)
    relist = dict(
        fn=lambda *f: review.listed(staff, *f),
        inputs=filters,
        outputs=listing,
        show_progress="hidden",
    )
    s["question"].change(
        lambda tok, sid, q: review.current_score(staff, tok, sid, q),
        [token, s["session"], s["question"]],
        [s["score"], s["level"], s["current"]],
    )
    s["save_override"].click(
        lambda tok, sid, q, sc, lv, why: review.override(staff, tok, sid, q, sc, lv, why),
        [token, s["session"], s["question"], s["score"], s["level"], s["reason"]],
        [s["view"], s["reason"], s["outcome"]],
    ).success(**relist)
    s["confirm"].click(
        lambda tok, sid, q: review.confirm(staff, tok, sid, q),
        [token, s["session"], s["question"]],
        [s["view"], s["outcome"]],
    ).success(**relist)
    s["save_decision"].click(
        lambda tok, sid, d, note: review.decide(staff, tok, sid, d, note),
        [token, s["session"], s["decision"], s["note"]],
        [s["view"], s["outcome"]],
    ).success(**relist)
    download = dict(fn=None, inputs=[s["link"]], outputs=None, js=review.DOWNLOAD_JS)
    def export_session(tok: str, sid: str, f: str, request: gr.Request):
        return review.export(staff, tok, f, session_id=sid, request=request)

    def export_role(tok: str, r: str, sid: str, f: str, request: gr.Request):
        return review.export(staff, tok, f, role_id=r, open_session=sid, request=request)

    s["export_session"].click(
        export_session,
        [token, s["session"], s["format"]],
        [s["file"], s["link"]],
    ).success(**download)
    s["export_role"].click(
        export_role,
        [token, s["role"], s["session"], s["format"]],
        [s["file"], s["link"]],
    ).success(**download)


def _wire_chart_and_invites(
    gate: Gate, service: InterviewService, staff: StaffService, c: dict, i: dict
) -> None:
    gate.on_enter(lambda tok: review.first_chart(service, staff, tok), [], [c["svg"]])
    for trigger in (c["role"].input, c["show"].click):
        trigger(lambda tok, r: review.chart(staff, tok, r), [gate.token, c["role"]], c["svg"])

    def invited(tok: str, role_id: str | None, email: str, request: gr.Request):
        return review.invite(staff, tok, role_id, email, request)

    i["create"].click(invited, [gate.token, i["role"], i["email"]], [i["link"], i["note"]])


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
        max_height=640,  # about a dozen sessions before the table scrolls
        column_widths=["14%", "13%", "8%", "6%", "22%", "7%", "8%", "7%", "8%", "7%"],
        elem_id="session-list",
    )
    c["session"] = gr.Dropdown(label="Session", choices=[], elem_id="session-pick")
    with gr.Row():
        with gr.Column(scale=3):
            c["view"] = gr.HTML("", elem_id="transcript")
        with gr.Column(scale=2, elem_id="review-actions"):
            c["outcome"] = gr.Markdown("", elem_id="review-outcome")
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
    gr.Markdown(
        "Or, if the level is right: confirming it (or saving an override) keeps the answer as "
        "a graded example, and the evaluator scores this question's next answers with it."
    )
    c["confirm"] = gr.Button("Confirm the level", elem_id="override-confirm")


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
    # A one-time link, made for this login and opened at once; the file never sits on disk.
    c["file"] = gr.HTML("", elem_id="export-file")
    c["link"] = gr.Textbox("", visible=False, elem_id="export-link")


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


def _impact_tab() -> dict:
    c: dict = {}
    gr.Markdown(
        "Selection and scoring rates by the sex and race/ethnicity candidates chose to give "
        "after their interview, in aggregate, with impact ratios (NYC Local Law 144 format). "
        "A ratio under 0.8 is a prompt to look closer, not a finding."
    )
    with gr.Row():
        c["role"] = gr.Dropdown(label="Role", choices=[], elem_id="impact-role")
        c["since"] = gr.Textbox(label="From (YYYY-MM-DD, optional)", elem_id="impact-since")
        c["until"] = gr.Textbox(label="Until (YYYY-MM-DD, optional)", elem_id="impact-until")
    c["show"] = gr.Button("Show impact ratios", variant="primary", elem_id="impact-show")
    c["report"] = gr.HTML("", elem_id="impact-report")
    return c
