"""The login in front of each staff workspace.

The page only hides: every StaffService call checks the login token again on the server, so a
hidden panel opened by hand shows nothing it was not allowed to load. The token is opaque and
its login lives on the server (logging out ends it everywhere); it lives in gr.State for this
tab's callbacks and in the browser's localStorage so a reload keeps the login. No key is sent
to the page: there is nothing to decrypt. The role always comes from the server's reading of
the token, never the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from bot.core.errors import AccessDenied, BotError
from bot.staff.service import StaffService

# The saved login moves between the page's script and the server through a hidden field.
READ_JS = "() => [localStorage.getItem('{key}') || '']"
KEEP_JS = "(t) => {{ if (t) localStorage.setItem('{key}', t); return []; }}"
FORGET_JS = "() => {{ localStorage.removeItem('{key}'); window.location.reload(); }}"
WORKSPACES = {"hr": ("HR", "/hr"), "recruiter": ("Recruiter", "/recruiter")}


@dataclass
class Gate:
    """A workspace's login: the verified token, and the events that fire on entering."""

    token: gr.State
    workspace: gr.Column
    entered: list[Any] = field(default_factory=list)

    def on_enter(self, fn: Callable, inputs: Sequence[Any], outputs: Sequence[Any]) -> None:
        """Run fn(token, *inputs) on entering: on load with a saved login, or on logging in.

        fn is skipped (outputs left as they are) when nobody is logged in.
        """

        def guarded(token: str, *values: Any):
            if not token:
                return gr.skip() if len(outputs) == 1 else tuple(gr.skip() for _ in outputs)
            return fn(token, *values)

        for event in self.entered:
            event.then(guarded, [self.token, *inputs], list(outputs))


def build_gate(demo: gr.Blocks, staff: StaffService, role: str) -> Gate:
    """The login panel and the (hidden) workspace column for one staff role on this page."""
    title, _ = WORKSPACES[role]
    token = gr.State("")
    key = f"interviewer-login-{role}"
    saved = gr.Textbox("", visible=False, elem_id=f"saved-login-{role}")
    with gr.Row(elem_id="staff-bar"):
        gr.Markdown(f"# {title} workspace", elem_id="workspace-title")
        who = gr.Markdown("", elem_id="who")
        logout = gr.Button("Log out", size="sm", visible=False, scale=0, elem_id="logout")
    with gr.Column(visible=True, elem_id="login") as login_panel:
        notice = gr.Markdown(
            f"Log in with your {title} account to see this workspace.", elem_id="login-notice"
        )
        name = gr.Textbox(label="Name", elem_id="login-name", autofocus=True)
        password = gr.Textbox(label="Password", type="password", elem_id="login-password")
        submit = gr.Button("Log in", variant="primary", elem_id="login-submit")
    with gr.Column(visible=False, elem_id="workspace") as workspace:
        pass
    shown = [token, saved, login_panel, workspace, who, logout, notice]

    def resumed(saved_token: str):
        return _enter(staff, role, saved_token, quiet=True)

    def logged_in(name_text: str, password_text: str, request: gr.Request):
        source = request.client.host if request and request.client else "unknown"
        try:
            fresh = staff.login(name_text.strip(), password_text, source=source)
        except AccessDenied as exc:
            return *_outside(role, exc.public()), ""
        return *_enter(staff, role, fresh, quiet=False), ""

    def logged_out(current: str):
        staff.logout(current)  # ended on the server: a copied token stops working too
        return "", ""

    gate = Gate(token, workspace)
    gate.entered.append(demo.load(resumed, saved, shown, js=READ_JS.format(key=key)))
    for trigger in (submit.click, password.submit):
        event = trigger(logged_in, [name, password], [*shown, password])
        event.then(None, [saved], None, js=KEEP_JS.format(key=key))
        gate.entered.append(event)
    logout.click(logged_out, [token], [token, saved]).then(
        None, None, None, js=FORGET_JS.format(key=key)
    )
    return gate


def _enter(staff: StaffService, role: str, token: str, quiet: bool) -> tuple:
    """Show the workspace when the server says this token belongs to someone of this role."""
    if not token:
        return _outside(role, "")
    try:
        actor = staff.whoami(token)
    except BotError as exc:
        return _outside(role, "" if quiet else exc.public())
    if actor.role != role:
        mine, path = WORKSPACES[actor.role]
        return _outside(
            role,
            f"You are logged in as {actor.name}, who has a {mine} account; this page is for "
            f"{WORKSPACES[role][0]} accounts. Open [{path}]({path}) instead.",
        )
    return (
        token,
        token,
        gr.update(visible=False),
        gr.update(visible=True),
        f"Logged in as **{actor.name}** ({WORKSPACES[actor.role][0]})",
        gr.update(visible=True),
        "",
    )


def _outside(role: str, message: str) -> tuple:
    """Nobody (allowed) is logged in: only the login form shows."""
    notice = message or f"Log in with your {WORKSPACES[role][0]} account to see this workspace."
    return (
        "",
        "",
        gr.update(visible=True),
        gr.update(visible=False),
        "",
        gr.update(visible=False),
        notice,
    )
