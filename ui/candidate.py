"""The candidate's workspace: disclosure and consent, a calm untimed chat, then what happens next.

The invite token in the URL (`/?invite=TOKEN`) is the only thing that says whose interview this
is: every callback asks the service for the session bound to that token, so a reload or a lost
connection resumes the same interview, and no page can open another candidate's. The page
keeps nothing else; the conversation lives in the store.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from bot.core.errors import AccessDenied, BotError
from bot.core.interview import Stage
from bot.core.policy import PREFER_NOT, RACES, SEXES
from bot.service import InterviewService, TurnResult, message_key
from bot.transcript import Message
from ui.candidate_resume import resume_box, wire_resume
from ui.errors import shown
from ui.shown import as_markdown_text

log = logging.getLogger("interviewer.ui")
NO_INVITE = (
    "## This page opens an interview from an invite link\n"
    "Open the link from your invitation email. If it does not work, ask the recruiter who "
    "invited you for a new one."
)
AGREE, DECLINE = "Yes, I agree", "No, I decline"
ENDED = "The interview has ended and everything you said is saved; you can close this page."
THINKING = "The interviewer is reading your answer…"


def _script(name: str) -> str:
    """A page script kept in ui/static/ (a JavaScript file, not a Python string)."""
    return (Path(__file__).parent / "static" / name).read_text(encoding="utf-8").strip()


# Gradio gives each radio button a name of its own, so each was a tab stop and the arrow keys
# did nothing. Each group here is one tab stop (the chosen option, else the first) and the
# arrow keys move the choice, as a browser does for a named radio group.
RADIO_GROUPS_JS = _script("radio-groups.js")
# The window's title names the role and the company, so a tab (and a screen reader) says what
# this interview is.
TITLE_JS = "(t) => { if (t) { document.title = 'Interview: ' + t; } return []; }"
# After a turn, focus goes where the candidate continues: the answer box, or at the end the
# "What happens next" heading (the buttons and the box they used are gone by then).
FOCUS_JS = _script("focus.js")
RATINGS = [
    ("1 · poor", 1),
    ("2", 2),
    ("3 · fine", 3),
    ("4", 4),
    ("5 · very good", 5),
]


def bubble(m: Message) -> dict:
    """One chat bubble. The candidate's words are shown literally; nothing they type runs."""
    if m.speaker == "candidate":
        return {"role": "user", "content": as_markdown_text(m.text) or "(no answer)"}
    text = html.escape(m.text, quote=False)  # model-written text is not trusted as HTML either
    if m.sources:
        cites = "; ".join(s.source + (f" § {s.heading}" if s.heading else "") for s in m.sources)
        text += f"\n\n*Sources: {as_markdown_text(cites)}*"
    return {"role": "assistant", "content": text}


@dataclass(frozen=True)
class Page:
    """The components each callback may show, hide or fill, in output order."""

    refused: gr.Markdown
    title: gr.Markdown
    interview: gr.Column
    consent: gr.Row
    answer_row: gr.Row
    ending: gr.Column
    next_steps: gr.Markdown
    progress: gr.Markdown

    @property
    def panels(self) -> list:
        return [
            self.refused,
            self.interview,
            self.consent,
            self.answer_row,
            self.ending,
            self.next_steps,
            self.progress,
        ]


RIGHTS_ONLY = (
    "This invite link no longer opens the interview. For as long as your data is kept you "
    "can still see a copy of it, correct it, ask how a decision was reached, or erase it, "
    "below."
)


def rights_only_views() -> tuple:
    """After the link's time: the transcript and the rights, nothing to answer."""
    return (
        gr.update(visible=False),
        gr.update(visible=True),
        gr.update(visible=False),
        gr.update(visible=False),
        gr.update(visible=True),
        gr.update(value=RIGHTS_ONLY),
        gr.update(value=""),
    )


def views(stage: Stage | None, refusal: str = "") -> tuple:
    """Visibility of every panel for the stage the service gave; None: no interview shown."""
    if stage is None:
        return (
            gr.update(value=f"{NO_INVITE}\n\n**{as_markdown_text(refusal)}**", visible=True),
            *(gr.update(visible=False) for _ in range(6)),
        )
    finished = stage.phase in ("closed", "declined")
    return (
        gr.update(visible=False),
        gr.update(visible=True),
        gr.update(visible=stage.phase == "consent"),
        gr.update(visible=stage.phase in ("answering", "scoring")),
        gr.update(visible=finished),
        # The closing is in the chat already; the panel only says the page may be closed.
        gr.update(value=ENDED if finished else ""),
        gr.update(value=stage.progress),
    )


def build(demo: gr.Blocks, service: InterviewService) -> None:
    """Lay out the candidate workspace on the current page of the Blocks."""
    invite = gr.State("")
    seen = gr.State(-1)  # the state version this tab shows; sent back with every message
    page, w = _layout()
    with page.interview:  # below the chat, for the interview's whole length
        wire_resume(service, invite, resume_box())

    def opened(request: gr.Request):
        asked = request.query_params if request else {}
        token = asked.get("invite") or ""
        # An old or altered link may name a session: it must be the token's own, or nothing shows.
        claimed = asked.get("session") or None
        try:
            page = service.desk.open(token, claimed)
        except AccessDenied as exc:
            return token, -1, [], gr.skip(), "", *views(None, exc.public())
        title = f"## Pre-screening interview: {as_markdown_text(page.heading)}"
        shown = [bubble(m) for m in page.history]
        if page.now is None:  # past the link's time: the candidate's rights only
            return token, -1, shown, title, page.heading, *rights_only_views()
        return token, page.now.version, shown, title, page.heading, *views(page.now.stage)

    def said(text: str):
        return lambda t, v, h: (yield from _answer(service, t, v, text, h))

    heading = gr.Textbox("", visible=False, elem_id="page-heading")  # for the window's title
    demo.load(None, None, None, js=RADIO_GROUPS_JS)
    demo.load(opened, None, [invite, seen, w.chat, page.title, heading, *page.panels]).then(
        None, [heading], None, js=TITLE_JS
    )
    io: dict[str, Any] = dict(
        outputs=[seen, w.chat, w.box, w.status, *page.panels], show_progress="hidden"
    )
    for trigger in (w.send.click, w.box.submit):
        trigger(
            lambda t, v, text, h: (yield from _answer(service, t, v, text, h)),
            [invite, seen, w.box, w.chat],
            **io,
        ).then(None, None, None, js=FOCUS_JS)
    for button, text in ((w.agree, AGREE), (w.decline, DECLINE)):
        button.click(said(text), [invite, seen, w.chat], **io).then(None, None, None, js=FOCUS_JS)
    w.feedback_send.click(
        lambda t, rating, comment: _leave_feedback(service, t, rating, comment),
        [invite, w.rating, w.comment],
        [w.feedback, w.thanks],
    )
    form = w.self_id
    form["show_data"].click(lambda t: _my_data(service, t), [invite], form["data"])
    form["explain"].click(lambda t: _explain(service, t), [invite], form["data"])
    form["correct"].click(
        lambda t, note: _correct(service, t, note), [invite, form["note"]],
        [form["note"], form["rights_note"]],
    )  # fmt: skip
    form["erase"].click(
        lambda t, sure: _erase(service, t, sure), [invite, form["sure"]],
        [form["rights_note"], form["data"]],
    )  # fmt: skip
    form["send"].click(
        lambda t, sex, race: _self_identify(service, t, sex, race),
        [invite, form["sex"], form["race"]],
        [form["group"], form["thanks"]],
    )


@dataclass(frozen=True)
class Widgets:
    """The controls callbacks read from or write to."""

    chat: gr.Chatbot
    box: gr.Textbox
    send: gr.Button
    status: gr.Markdown
    agree: gr.Button
    decline: gr.Button
    feedback: gr.Group
    rating: gr.Radio
    comment: gr.Textbox
    feedback_send: gr.Button
    thanks: gr.Markdown
    self_id: dict  # the voluntary self-identification form's parts


def _layout() -> tuple[Page, Widgets]:
    refused = gr.Markdown(NO_INVITE, visible=False, elem_id="invite-refused")
    with gr.Column(visible=False, elem_id="interview") as interview:
        title = gr.Markdown("## Pre-screening interview", elem_id="interview-title")
        progress = gr.Markdown("", elem_id="progress")
        chat = gr.Chatbot(
            label="Interview",
            height=520,
            buttons=[],  # one copy button a message made tabbing through the chat long
            feedback_options=None,
            latex_delimiters=[],
            allow_tags=False,
            elem_id="interview-chat",
        )
        with gr.Row(visible=False, elem_id="consent") as consent:
            agree = gr.Button("Yes, I agree to continue", variant="primary", elem_id="consent-yes")
            decline = gr.Button("No, I would like another process", elem_id="consent-no")
        with gr.Row(visible=False, elem_id="answer-row") as answer_row:
            box = gr.Textbox(
                label="Your answer",
                info="Enter sends; Shift+Enter starts a new line. There is no time limit.",
                placeholder="Type your answer, or a question about the role",
                lines=1,
                max_lines=12,
                scale=5,
                elem_id="answer-box",
                autofocus=True,
            )
            send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
        status = gr.Markdown("", elem_id="status")
        with gr.Column(visible=False, elem_id="ending") as ending:
            gr.Markdown("## What happens next")
            next_steps = gr.Markdown("", elem_id="next-steps")
            feedback, rating, comment, feedback_send, thanks = _feedback_form()
            self_id = _self_id_form()
        self_id |= _rights_panel()  # any time, with the same invite link
    page = Page(refused, title, interview, consent, answer_row, ending, next_steps, progress)
    widgets = Widgets(
        chat, box, send, status, agree, decline, feedback, rating, comment, feedback_send, thanks,
        self_id,
    )  # fmt: skip
    return page, widgets


def _feedback_form():
    """The optional one-question feedback: a rating, and a comment if the candidate wishes."""
    with gr.Group(elem_id="feedback") as feedback:
        rating = gr.Radio(
            RATINGS,
            label="Optional: how was this interview for you?",
            elem_id="feedback-rating",
        )
        comment = gr.Textbox(
            label="Anything you would like us to know (optional)",
            lines=2,
            elem_id="feedback-comment",
        )
        send = gr.Button("Send feedback", elem_id="feedback-send")
    thanks = gr.Markdown("Thank you for your feedback.", visible=False, elem_id="feedback-thanks")
    return feedback, rating, comment, send, thanks


def _self_id_form() -> dict:
    """Voluntary self-identification, after the interview only, never required."""
    with gr.Group(elem_id="self-id") as group:
        gr.Markdown(
            "**Optional and voluntary.** To check that this process treats every group fairly, "
            "we count, in aggregate only, how candidates describe themselves. Your answers "
            "are stored apart from your interview, are never seen with it, and play no part in "
            "any decision about you. Skip this if you prefer."
        )
        sex = gr.Radio([*SEXES, PREFER_NOT], label="Sex (optional)", elem_id="self-id-sex")
        race = gr.Radio([*RACES, PREFER_NOT], label="Race or ethnicity (optional)",
                        elem_id="self-id-race")  # fmt: skip
        send = gr.Button("Send these answers", elem_id="self-id-send")
    thanks = gr.Markdown("Thank you.", visible=False, elem_id="self-id-thanks")
    return {"group": group, "sex": sex, "race": race, "send": send, "thanks": thanks}


def _rights_panel() -> dict:
    """The candidate's own data: a copy, a correction, erasure, and an explanation."""
    with gr.Accordion("Your data", open=False, elem_id="your-data"):
        gr.Markdown(
            "You can see everything kept about this interview, add a correction the recruiter "
            "will read, ask how a decision was reached once there is one, or erase your data."
        )
        with gr.Row():
            show = gr.Button("Show my data", elem_id="rights-show")
            explain = gr.Button("Explain the decision", elem_id="rights-explain")
        data = gr.Code(label="What is kept", language="json", interactive=False,
                       elem_id="rights-data")  # fmt: skip
        note = gr.Textbox(label="A correction for the recruiter", lines=2, elem_id="rights-note")
        correct = gr.Button("Send the correction", elem_id="rights-correct")
        sure = gr.Checkbox(label="I understand erasure removes my answers and cannot be undone",
                           elem_id="rights-sure")  # fmt: skip
        erase = gr.Button("Erase my data", variant="stop", elem_id="rights-erase")
        outcome = gr.Markdown("", elem_id="rights-outcome")
    return {"show_data": show, "explain": explain, "data": data, "note": note,
            "correct": correct, "sure": sure, "erase": erase, "rights_note": outcome}  # fmt: skip


@shown
def _my_data(service: InterviewService, token: str) -> str:
    import json

    return json.dumps(service.desk.copy(token), indent=2, ensure_ascii=False)


@shown
def _explain(service: InterviewService, token: str) -> str:
    return service.desk.explain(token)


@shown
def _correct(service: InterviewService, token: str, note: str):
    service.desk.correct(token, note or "")
    return "", "Your correction is saved; the recruiter reads it with your transcript."


@shown
def _erase(service: InterviewService, token: str, sure: bool):
    if not sure:
        raise gr.Error("Tick the box first: erasure cannot be undone.")
    service.desk.erase(token)
    return "Your data has been erased. The record keeps only that an erasure happened.", ""


@shown
def _self_identify(service: InterviewService, token: str, sex: str | None, race: str | None):
    service.desk.self_identify(token, sex or PREFER_NOT, race or PREFER_NOT)
    return gr.update(visible=False), gr.update(visible=True)


@shown
def _leave_feedback(service: InterviewService, token: str, rating: int | None, comment: str):
    service.desk.feedback(token, rating, comment or "")
    return gr.update(visible=False), gr.update(visible=True)


def _answer(
    service: InterviewService, token: str, seen: int, text: str, history: list[dict]
) -> Iterator:
    """Send one message and show the stored reply.

    The box is cleared once, when the message leaves; the reply's update leaves it alone, so a
    candidate may start typing while the interviewer is still reading. The status line says
    what is happening until the reply is shown. The reply is shown whole, as stored: nothing
    is played back word by word inside the request, holding a queue slot.
    """
    keep = tuple(gr.update() for _ in range(7))
    history = [*history, bubble(Message("candidate", "answer", text))]
    yield gr.update(), history, "", THINKING, *keep
    try:
        result: TurnResult = service.desk.reply(
            token, text, key=message_key(seen, text), seen=seen if seen >= 0 else None
        )
    except AccessDenied as exc:
        yield gr.update(), history[:-1], text, "", *views(None, exc.public())
        return
    except BotError as exc:  # the message goes back into the box: nothing typed is lost
        log.warning("a candidate's message was not taken: %s", exc, exc_info=True)
        gr.Warning(exc.public())
        yield gr.update(), history[:-1], text, "", *keep
        return
    except Exception:
        log.exception("a candidate's turn failed")
        gr.Warning(BotError().public())
        yield gr.update(), history[:-1], text, "", *keep
        return
    history = [*history, *(bubble(m) for m in result.messages)]
    yield result.version, history, gr.update(), "", *views(result.stage)
