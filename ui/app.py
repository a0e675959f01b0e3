"""The Gradio app: one process, three workspaces on three pages.

`/` is the candidate's interview (opened from an invite link), `/hr` and `/recruiter` are the
staff workspaces behind a login. The app talks to the two services of the Application
(bot/wiring.py) only.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import gradio as gr

from bot.wiring import Application
from ui import candidate, hr, recruiter

STATIC = Path(__file__).parent / "static"


def build_app(app: Application) -> gr.Blocks:
    """The whole app as Blocks; built once per process, shared by every visitor."""
    # Encrypts saved logins in each browser; a new one per process means a restart logs
    # everyone out, which is the safe direction.
    secret = secrets.token_urlsafe(32)
    with gr.Blocks(title="Interviewer", analytics_enabled=False) as demo:
        gr.Navbar(visible="hidden")  # type: ignore[arg-type]
        candidate.build(demo, app.interviews)
    # Staff pages are reached by their address, never linked from the candidate's page.
    with demo.route("HR", "/hr", show_in_navbar=False):
        gr.Navbar(visible="hidden")  # type: ignore[arg-type]
        hr.build(demo, app.staff, secret)
    with demo.route("Recruiter", "/recruiter", show_in_navbar=False):
        gr.Navbar(visible="hidden")  # type: ignore[arg-type]
        recruiter.build(demo, app.interviews, app.staff, secret)
    return demo


def serve(application: Application, host: str, port: int) -> None:
    """Serve until stopped."""
    app = build_app(application)
    app.queue(default_concurrency_limit=2)
    print(f"serving on http://{host}:{port}", flush=True)
    app.launch(
        server_name=host,
        server_port=port,
        css_paths=[STATIC / "app.css"],
        footer_links=[],
        # Gradio would otherwise keep every call's inputs and outputs in the browser: typed
        # passwords, answers and transcripts left behind on a shared computer.
        run_history=False,
        show_error=True,
    )
