"""The real app for tests that need it: `interviewer serve` in a subprocess, and Chromium.

Once per run: a fresh INTERVIEWER_HOME, `interviewer prepare` (packaged models, knowledge index),
staff accounts made with `interviewer users add`, then the server on a free port. Invites come
from `interviewer invite`, exactly as an operator makes them. The sample roles are copied with
follow-up probes switched off for customer-support, so a whole interview is six answers long
and the suite stays within a few minutes on a laptop CPU. The browser and security tests share
this one server.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = REPO / "test-output" / "screenshots"
ROLE = "customer-support"
E2E_ROLES = (ROLE, "data-analyst")  # the candidate flows; HR's template edits
STAFF = {"rita": ("recruiter", "rita-recruits-2026"), "hana": ("hr", "hana-templates-2026")}
START_TIMEOUT = 240  # seconds: loading three models on a busy two-core machine


@dataclass
class Server:
    """The running app and the CLI that shares its database."""

    url: str
    env: dict[str, str]
    home: Path
    roles_dir: Path
    log: Path
    invites: dict[str, str] = field(default_factory=dict)  # email -> token
    pid: int = 0  # the serve process
    uploads: Path = Path()  # Gradio's upload folder for this server (GRADIO_TEMP_DIR)

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """Run `interviewer ARGS` against the server's home; its output, or the test fails."""
        done = subprocess.run(
            [str(BIN / "interviewer"), *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        assert done.returncode == 0, f"interviewer {' '.join(args)} failed:\n{done.stderr}"
        return done.stdout

    def invite(self, email: str, role: str = ROLE) -> str:
        """A fresh invite made with `interviewer invite`; returns its token."""
        out = self.cli("invite", "--role", role, "--email", email)
        token = re.search(r"\?invite=([\w-]+)", out)
        assert token, f"no invite link in: {out}"
        self.invites[email] = token[1]
        return token[1]

    def page_url(self, path: str = "/") -> str:
        return self.url + path

    def session_of(self, token: str) -> str:
        """The session an opened invite is bound to, read from the shared database."""
        from bot.staff.access import hash_token
        from bot.store import Store

        store = Store(f"sqlite:///{self.home / 'interviewer.db'}")
        try:
            invite = store.invite(hash_token(token))
        finally:
            store.close()
        assert invite and invite.session_id, "the invite has not been opened yet"
        return invite.session_id


# The upload rate window on the test server: short, so the rate test's flood lifts quickly.
UPLOAD_WINDOW_SECONDS = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_roles(target: Path) -> Path:
    """The roles the tests use; customer-support without probes: one answer per question.

    Fewer roles also means less for the server to warm up while the tests run.
    """
    target.mkdir()
    for name in E2E_ROLES:
        path = REPO / "prompts" / "roles" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        if path.stem == ROLE:
            text = re.sub(r"(?m)^max_probes:.*$", "max_probes: 0", text)
        (target / path.name).write_text(text, encoding="utf-8")
    return target


def _environment(home: Path, roles: Path, knowledge: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_")}
    env.update(
        INTERVIEWER_HOME=str(home),
        INTERVIEWER_ROLES_DIR=str(roles),
        INTERVIEWER_KNOWLEDGE_DIR=str(knowledge),
        INTERVIEWER_SYSTEM_PROMPTS_DIR=str(REPO / "prompts" / "system"),
        INTERVIEWER_GENERATOR_MAX_NEW_TOKENS="32",
        # The served app's tests drive the model through its acknowledgements (killed, shared
        # by two processes...); the script's neutral lines are the default and unit-tested.
        INTERVIEWER_ACKNOWLEDGEMENTS="model",
        INTERVIEWER_UPLOAD_WINDOW_SECONDS=str(UPLOAD_WINDOW_SECONDS),
        # Every test, browser and HTTP alike, comes from 127.0.0.1: one client to the server.
        INTERVIEWER_REQUESTS_PER_MINUTE="100000",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        GRADIO_ANALYTICS_ENABLED="False",
        ANONYMIZED_TELEMETRY="False",
        TOKENIZERS_PARALLELISM="false",
    )
    converted = REPO / "var" / "models"  # `make prepare` joins the packaged GGUF here once
    if converted.is_dir():
        env["INTERVIEWER_MODELS_DIR"] = str(converted)
    return env


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"the server did not answer within {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")


@contextmanager
def running(command: list[str], log: Path, ready: str, **popen: Any) -> Iterator[subprocess.Popen]:
    """A server for a test: started with its output in `log`, yielded once `ready` answers 200
    (the test fails with the log's end if it exits or never answers), and stopped, killed if it
    will not stop, however the block ends."""
    with log.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **popen)
    try:
        _wait_until_up(ready, proc, log)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The real app, prepared and serving on a free port, with one HR and one recruiter account."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test-deps` (apt-get install chromium)")
    root = tmp_path_factory.mktemp("e2e")
    knowledge = shutil.copytree(REPO / "knowledge", root / "knowledge")  # HR uploads land here
    env = _environment(root / "home", _copy_roles(root / "roles"), knowledge)
    env["GRADIO_TEMP_DIR"] = str(root / "gradio-uploads")  # its own, for the file-path tests
    port = _free_port()
    srv = Server(f"http://127.0.0.1:{port}", env, root / "home", root / "roles", root / "serve.log",
                 uploads=root / "gradio-uploads")  # fmt: skip
    srv.cli("prepare")
    for name, (role, password) in STAFF.items():
        srv.cli("users", "add", name, "--role", role, "--password-stdin", stdin=password + "\n")
    command = [str(BIN / "interviewer"), "serve", "--port", str(port)]
    with running(command, srv.log, srv.url, env=env, cwd=REPO) as proc:
        srv.pid = proc.pid
        yield srv


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless; Playwright's own browser downloads are not used."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """What one browser context saw besides the page: requests leaving the machine, dialogs."""

    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_context(browser, visit: Visit):
    """A fresh browser profile whose requests beyond 127.0.0.1 are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(30_000)

    def only_local(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            return route.continue_()
        visit.external.append(url)
        return route.abort()

    context.route("**/*", only_local)
    return context
