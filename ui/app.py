"""The Gradio app. Talks to one InterviewService and nothing else."""

from __future__ import annotations

import gradio as gr

from bot.service import InterviewService
from ui import candidate

CSS = """
#interview-chat { font-size: 1.05rem; }
footer { display: none !important; }
"""


def build_app(service: InterviewService) -> gr.Blocks:
    """The whole app as Blocks; built once per process, shared by every visitor."""
    with gr.Blocks(title="Interviewer", analytics_enabled=False) as demo:
        candidate.build(demo, service)
    return demo


def serve(service: InterviewService, host: str, port: int) -> None:
    """Serve until stopped."""
    app = build_app(service)
    app.queue(default_concurrency_limit=2)
    print(f"serving on http://{host}:{port}", flush=True)
    app.launch(server_name=host, server_port=port, css=CSS, footer_links=[], show_error=True)
