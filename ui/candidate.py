"""The candidate's workspace: disclosure and consent, then a calm, untimed chat.

Per-user state lives in the store: the page keeps only the session id (in gr.State and in the
URL, so a reload resumes exactly where the candidate was).
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator

import gradio as gr

from bot.errors import BotError
from bot.service import InterviewService, Message

SET_URL_JS = """(sid) => {
  if (sid) { const u = new URL(window.location); u.searchParams.set('session', sid);
             window.history.replaceState(null, '', u); }
  return [];
}"""


def bubble(m: Message) -> dict:
    """A chat bubble. Candidate text is escaped: whatever they type shows as text, never as HTML."""
    if m.speaker == "candidate":
        return {"role": "user", "content": html.escape(m.text) or "(no answer)"}
    text = m.text
    if m.sources:
        cites = "; ".join(
            f"{s.source}" + (f" § {s.heading}" if s.heading else "") for s in m.sources
        )
        text += f"\n\n*Sources: {html.escape(cites)}*"
    return {"role": "assistant", "content": text}


def build(demo: gr.Blocks, service: InterviewService) -> None:
    """Lay out the candidate workspace inside the current gr.Blocks."""
    roles = {r.title: r.id for r in service.roles()}
    session = gr.State("")
    sid_box = gr.Textbox(visible=False, elem_id="session-id")
    with gr.Column(visible=True) as picker:
        gr.Markdown("## Pre-screening interview\nChoose the role you applied for.")
        role = gr.Dropdown(choices=list(roles), label="Role", value=next(iter(roles), None))
        start = gr.Button("Start the interview", variant="primary")
    with gr.Column(visible=False) as chat_area:
        chat = gr.Chatbot(
            label="Interview",
            height=520,
            buttons=["copy"],
            feedback_options=None,
            elem_id="interview-chat",
        )
        with gr.Row(visible=False) as consent_row:
            agree = gr.Button("Yes, I agree to continue", variant="primary", elem_id="consent-yes")
            decline = gr.Button("No, I'd like another process", elem_id="consent-no")
        with gr.Row():
            box = gr.Textbox(
                label="Your answer",
                placeholder="Type your answer or a question about the role",
                lines=3,
                max_lines=12,
                scale=5,
                elem_id="answer-box",
                autofocus=True,
            )
            send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
        status = gr.Markdown("", elem_id="status")

    def views(sid: str, history: list[dict], finished: bool, consent: bool):
        return (
            sid,
            sid,
            gr.update(visible=not sid),
            gr.update(visible=bool(sid)),
            history,
            gr.update(visible=consent),
            gr.update(interactive=not finished),
            gr.update(interactive=not finished),
            "This interview is complete. You can close this page." if finished else "",
        )

    outputs = [session, sid_box, picker, chat_area, chat, consent_row, box, send, status]

    def load(request: gr.Request):
        sid = (request.query_params.get("session") or "") if request else ""
        if not sid:
            return views("", [], False, False)
        try:
            history = [bubble(m) for m in service.history(sid)]
        except BotError as exc:
            gr.Warning(str(exc))
            return views("", [], False, False)
        return views(sid, history, service.is_finished(sid), _awaiting_consent(service, sid))

    def begin(title: str):
        if title not in roles:
            raise gr.Error("Choose a role first.")
        sid = service.start(roles[title])
        return views(sid, [bubble(m) for m in service.history(sid)], False, True)

    def answer(sid: str, text: str, history: list[dict]) -> Iterator:
        if not sid:
            raise gr.Error("No interview is open; reload the page and start again.")
        history = [*history, bubble(Message("candidate", "answer", text))]
        yield history, "", gr.update(), "The interviewer is reading your answer..."
        try:
            replies = service.reply(sid, text)
        except BotError as exc:
            raise gr.Error(f"{exc}. Your answer was not lost; please send it again.") from exc
        for m in replies:
            history = [*history, {"role": "assistant", "content": ""}]
            full = bubble(m)["content"]
            for shown in _stream(full):
                history[-1] = {"role": "assistant", "content": shown}
                yield history, "", gr.update(), ""
        finished = service.is_finished(sid)
        yield (
            history,
            "",
            gr.update(visible=_awaiting_consent(service, sid)),
            "This interview is complete. You can close this page." if finished else "",
        )

    def lock_if_finished(sid: str):
        finished = bool(sid) and service.is_finished(sid)
        return gr.update(interactive=not finished), gr.update(interactive=not finished)

    demo.load(load, None, outputs).then(None, sid_box, None, js=SET_URL_JS)
    start.click(begin, role, outputs).then(None, sid_box, None, js=SET_URL_JS)
    chat_io = dict(inputs=[session, box, chat], outputs=[chat, box, consent_row, status])
    for trigger in (send.click, box.submit):
        trigger(answer, **chat_io).then(lock_if_finished, session, [box, send])
    agree.click(
        lambda s, h: (yield from answer(s, "Yes, I agree", h)),
        [session, chat],
        [chat, box, consent_row, status],
    ).then(lock_if_finished, session, [box, send])
    decline.click(
        lambda s, h: (yield from answer(s, "No, I decline", h)),
        [session, chat],
        [chat, box, consent_row, status],
    ).then(lock_if_finished, session, [box, send])


def _awaiting_consent(service: InterviewService, sid: str) -> bool:
    return service.store.load_session(sid).state.get("phase") == "consent"


def _stream(text: str, step: int = 12) -> Iterator[str]:
    """Reveal a stored reply a few words at a time: it reads as speech, and nothing unsaved shows."""
    words = text.split(" ")
    for i in range(step, len(words) + step, step):
        yield " ".join(words[:i])
        time.sleep(0.02)
