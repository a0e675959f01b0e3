"""What the recruiter's controls do: each callback asks StaffService, with the login token.

Errors from the service come back as the message the recruiter reads; nothing here decides
who may do what (the service does), and nothing is kept between calls.
"""

from __future__ import annotations

import gradio as gr

from bot.service import InterviewService
from bot.staff.review import SessionSummary, TranscriptView, candidate_label
from bot.staff.service import StaffService
from ui.chart import distribution_svg
from ui.errors import beside, shown
from ui.review_html import competencies_text, status_label, transcript_html
from ui.shown import e, score_text


def session_row(s: SessionSummary) -> list:
    """One line of the session list; the full id last, so a selected row names its session."""
    return [
        candidate_label(s),
        f"{s.role_title} (v{s.template_version})",
        status_label(s.status),
        score_text(s.overall),
        competencies_text(s),
        f"{s.answered}/{s.questions}",
        f"{s.needs_review} answer{'s' if s.needs_review != 1 else ''}" if s.needs_review else "—",
        s.decision.decision if s.decision else "—",
        f"{s.updated_at:%Y-%m-%d %H:%M}",
        s.id,
    ]


def role_choices(service: InterviewService) -> list[tuple[str, str]]:
    return [(f"{r.title} ({r.id})", r.id) for r in service.roles()]


@shown
def listed(
    staff: StaffService,
    token: str,
    role: str,
    status: str,
    sort: str,
    descending: bool,
    picked: str | None,
):
    rows = staff.sessions(token, role or None, status or None, sort, bool(descending))
    choices = [
        (f"{candidate_label(r)} · {r.role_title} · {status_label(r.status)}", r.id)
        for r in rows
    ]
    keep = picked if picked in {r.id for r in rows} else None
    return [session_row(r) for r in rows], gr.update(choices=choices, value=keep)


def picked(evt: gr.SelectData):
    row = evt.row_value or []
    return row[-1] if row else gr.skip()


@shown
def view_of(staff: StaffService, token: str, session_id: str | None) -> TranscriptView:
    if not session_id:
        raise gr.Error("Choose a session first.")
    return staff.transcript(token, session_id)


@shown
def opened(staff: StaffService, token: str, session_id: str | None):
    if not session_id:
        return "", gr.update(choices=[], value=None), None, ""
    view = view_of(staff, token, session_id)
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


@shown
def current_score(staff: StaffService, token: str, session_id: str, question_id: str | None):
    """Start the form from the question's current score, and say what the model gave."""
    if not (session_id and question_id):
        return gr.skip(), gr.skip(), ""
    for a in view_of(staff, token, session_id).answers:
        if a.question_id == question_id and a.model_score is not None:
            m = a.model_score
            said = f"Model's score: **{m.score:.2f}**, level {m.level}/5."
            if a.override is not None:
                said += f" Latest override: {a.override.score:.2f}, level {a.override.level}/5."
            return a.final_score, a.final_level, said
    return gr.skip(), gr.skip(), "Not scored yet."


@beside(3, 2)
def override(
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
    view = staff.override(
        token, session_id, question_id, float(score), int(level), reason or ""
    )
    return transcript_html(view), "", f"Override saved for {question_id}."


@beside(1, 0)
def teaching(staff: StaffService, token: str, role_id: str | None) -> str:
    from ui.examples import agreement_table

    if not role_id:
        raise gr.Error("Choose a role.")
    return agreement_table(staff.question_agreement(token, role_id))


@beside(2, 1)
def confirm(staff: StaffService, token: str, session_id: str, question_id: str | None):
    if not question_id:
        raise gr.Error("Choose the question whose level you are confirming.")
    view = staff.confirm(token, session_id, question_id)
    return transcript_html(view), f"Level confirmed for {question_id}; kept as an example."


@beside(2, 1)
def decide(staff: StaffService, token: str, session_id: str, decision: str | None, note: str):
    if not decision:
        raise gr.Error("Choose advance, hold or reject first.")
    view = staff.decide(token, session_id, decision, note or "")
    return transcript_html(view), f"Decision saved: {decision}."


# Opens a fresh one-time download link as soon as the server has made it, through a link with
# `download`: moving the window to it (location.assign) starts a navigation that can cut the
# page's live connection to the server, and Gradio then reloads the page, losing the tabs and
# fields the recruiter had open.
DOWNLOAD_JS = (
    "(u) => { if (u) { const a = document.createElement('a'); a.href = u; a.download = ''; "
    "document.body.appendChild(a); a.click(); a.remove(); } return []; }"
)


@beside(2, 0, as_html=True, cleared=(1,))
def export(
    staff: StaffService,
    token: str,
    fmt: str,
    session_id: str | None = None,
    role_id: str | None = None,
    open_session: str | None = None,
    request: gr.Request | None = None,
) -> tuple[str, str]:
    """A one-time download link for this login (HTML to show, and the path to open)."""
    if not role_id and open_session:  # "the role's sessions" with a session open: its role
        role_id = staff.transcript(token, open_session).summary.role_id
    if not (session_id or role_id):
        raise gr.Error("Choose a session, or a role in the filter, to export.")
    source = request.client.host if request is not None and request.client else "unknown"
    link = staff.export_link(
        token, session_id=session_id or None, role_id=role_id or None, fmt=fmt, source=source
    )
    shown_link = (
        f'<p>The download starts now. If it does not, <a href="{e(link)}" download>open the '
        "file</a> (the link works once, for two minutes, for your login only).</p>"
    )
    return shown_link, link


@beside(1, 0, as_html=True)
def chart(staff: StaffService, token: str, role_id: str | None) -> str:
    if not role_id:
        raise gr.Error("Choose a role.")
    return distribution_svg(role_id, staff.score_distribution(token, role_id))


@shown
def first_chart(service: InterviewService, staff: StaffService, token: str) -> str:
    """The chart of the first open role, so the tab is not empty on arrival."""
    roles = service.roles()
    return chart(staff, token, roles[0].id) if roles else ""


@beside(2, 1, cleared=(0,))
def invite(
    staff: StaffService, token: str, role_id: str | None, email: str, request: gr.Request | None
):
    if not role_id:
        raise gr.Error("Choose the role the candidate applied for.")
    invite = staff.create_invite(token, role_id, email or None)
    base = str(request.base_url).rstrip("/") if request is not None else ""
    link = base + invite.url_path if base else staff.invite_url(invite)
    return link, f"Expires {invite.expires_at:%Y-%m-%d %H:%M} UTC. It opens one interview only."


@beside(1, 0, as_html=True)
def impact(staff: StaffService, token: str, role_id: str | None, since: str, until: str) -> str:
    """The printable impact-ratio page for a role and date range."""
    from bot.staff.audit import to_html

    if not role_id:
        raise gr.Error("Choose a role.")
    report = staff.impact_report(token, role_id, _day(since, "From"), _day(until, "Until"))
    return f'<div class="review">{to_html(report)}</div>'


def _day(text: str, label: str):
    from datetime import UTC, datetime

    if not (text or "").strip():
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise gr.Error(f"{label}: write the date as YYYY-MM-DD, e.g. 2026-11-01.") from exc
