"""The web app: one process, three workspaces on three pages, behind our own HTTP layer.

`/` is the candidate's interview (opened from an invite link), `/hr` and `/recruiter` are the
staff workspaces behind a login. The pages talk to the two services of the Application
(bot/wiring.py) only. Gradio is mounted inside a FastAPI app of ours, which adds the one-time
export downloads (streamed from memory to the login that asked, never a public file route),
and the whole is wrapped in ui/guard.py: the client's real address, request sizes and rates
checked before a body is read, security headers on every response.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from bot.core.errors import BotError
from bot.staff.rates import SharedRateLimiter
from bot.staff.service import EXPORT_PATH
from bot.wiring import Application
from ui import candidate, hr, recruiter
from ui.api import add_routes
from ui.guard import Guard, Limits, trusted_networks

STATIC = Path(__file__).parent / "static"
# What every page may load: its own scripts and styles (Gradio inlines some, and runs the
# `js=` event handlers through `new Function`, hence 'unsafe-eval'), images only from itself
# (a remote image in a document is never fetched), nothing sent elsewhere, no framing.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
DOCS = Path(__file__).resolve().parents[1] / "docs"
ABOUT = {"model-card": DOCS / "model-card.md", "instructions": DOCS / "instructions-for-use.md"}


def build_app(app: Application) -> gr.Blocks:
    """The whole app as Blocks; built once per process, shared by every visitor."""
    # Uploaded files older than an hour are deleted every ten minutes.
    with gr.Blocks(title="Interviewer", analytics_enabled=False, delete_cache=(600, 3600)) as demo:
        gr.Navbar(visible="hidden")  # type: ignore[arg-type]
        candidate.build(demo, app.interviews)
    # Staff pages are reached by their address, never linked from the candidate's page.
    with demo.route("HR", "/hr", show_in_navbar=False):
        gr.Navbar(visible="hidden")  # type: ignore[arg-type]
        hr.build(demo, app.staff)
    with demo.route("Recruiter", "/recruiter", show_in_navbar=False):
        gr.Navbar(visible="hidden")  # type: ignore[arg-type]
        recruiter.build(demo, app.interviews, app.staff)
    return demo


def http_app(application: Application) -> Any:
    """Our FastAPI app with the Gradio pages mounted in it."""
    # (FastAPI and Request are imported at module level: with postponed annotations FastAPI
    # reads the route's `request: Request` by name from the module, not from this function.)
    settings = application.settings
    api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    rates = SharedRateLimiter(application.store)  # one budget per client for every process

    @api.get("/about/{page}")
    def about(page: str) -> Response:
        """The plain-language model card and the instructions for use, for anyone."""
        found = ABOUT.get(page)
        if found is None or not found.is_file():
            return JSONResponse({"error": "no such page; try /about/model-card"}, 404)
        return Response(found.read_text(encoding="utf-8"), media_type="text/plain; charset=utf-8")

    @api.get(EXPORT_PATH + "/{ticket}")
    def download(ticket: str, request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        try:
            filename, data = application.staff.redeem_export(ticket, client)
        except BotError as exc:
            return JSONResponse({"error": exc.public()}, 403)
        kinds = {"csv": "text/csv", "json": "application/json", "html": "text/html"}
        return Response(
            data,
            media_type=kinds.get(filename.rsplit(".", 1)[-1], "application/octet-stream"),
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )

    add_routes(api, application.interviews)
    demo = build_app(application)
    demo.queue(default_concurrency_limit=settings.concurrent_turns)
    mounted = gr.mount_gradio_app(
        api,
        demo,
        path="",
        css_paths=[STATIC / "app.css"],
        footer_links=[],
        # Gradio would otherwise keep every call's inputs and outputs in the browser: typed
        # passwords, answers and transcripts left behind on a shared computer.
        run_history=False,
        show_error=False,  # errors reach pages through ui/errors.py, with a code, no internals
        max_file_size=settings.upload_max_mb * 1024 * 1024,
        # Nothing the app keeps is ever a file a request may name.
        blocked_paths=[str(p.resolve()) for p in (settings.home, settings.model_cache_dir)],
    )
    # Gradio checks that a file named in a request was uploaded (lives in its upload folder)
    # only once the Blocks count as launched, which mounting never sets: without this, any
    # visitor could name /dev/zero or the database as an "uploaded" file.
    demo.has_launched = True
    limits = Limits(
        upload_bytes=settings.upload_max_mb * 1024 * 1024 + 64 * 1024,  # + multipart framing
        upload_files=settings.upload_max_files,
        api_bytes=max(64 * 1024, settings.answer_max_chars * 4 + 4096),
        other_bytes=settings.request_max_kb * 1024,
        requests_per_minute=settings.requests_per_minute,
        uploads_per_window=settings.uploads_per_window,
        upload_window_s=settings.upload_window_seconds,
    )
    trusted = trusted_networks(settings.trusted_proxies)
    return Guard(mounted, limits, HEADERS, trusted, rates)


def serve(application: Application, host: str, port: int) -> None:
    """Serve until stopped."""
    import uvicorn

    app = http_app(application)
    print(f"serving on http://{host}:{port}", flush=True)
    # Forwarded headers are read by ui/guard.py, from INTERVIEWER_TRUSTED_PROXIES only;
    # uvicorn's own reading would trust any local process that claims to be a proxy.
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=False, timeout_graceful_shutdown=2)  # fmt: skip
