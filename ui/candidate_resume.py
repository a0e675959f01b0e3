"""The candidate's optional resume, attached after they agreed to the interview.

Read with their name and personal details masked, matched with the role's requirements, kept
with their invite; the recruiter reads it beside the answers. A file that cannot be read says
why, and the interview goes on either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from bot.core.errors import BotError
from bot.service import InterviewService

FILE_TYPES = [".pdf", ".docx", ".txt", ".md"]


def resume_box() -> dict[str, Any]:
    """Laid out where it is called (the interview's column)."""
    with gr.Accordion("Attach your resume (optional)", open=False, elem_id="resume-attach"):
        gr.Markdown(
            "If you like, attach your resume (PDF, DOCX, TXT or Markdown). Your name, contact "
            "details, age and other personal details are masked before anything reads it; a "
            "person reads it beside your answers. The interview is the same with or without it."
        )
        file = gr.File(label="Your resume", file_types=FILE_TYPES, elem_id="resume-file")
        send = gr.Button("Attach resume", elem_id="resume-send")
        note = gr.Markdown("", elem_id="resume-note")
    return {"file": file, "send": send, "note": note}


def wire_resume(service: InterviewService, invite: gr.State, box: dict[str, Any]) -> None:
    box["send"].click(lambda t, f: attach(service, t, f), [invite, box["file"]],
                      [box["note"], box["file"]])  # fmt: skip


def attach(service: InterviewService, token: str, file: str | None) -> tuple[str, Any]:
    """What to tell the candidate; the file field is emptied once the resume is kept."""
    if not file:
        return "Choose your resume file first.", gr.skip()
    try:
        said = service.desk.attach_resume(token, Path(file).name, Path(file).read_bytes())
    except BotError as exc:  # a refusal says what to do; the chosen file stays
        return f"Not attached: {exc.public()}", gr.skip()
    return said, None
