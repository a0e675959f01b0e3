"""Past one machine: two `interviewer serve` processes on one PostgreSQL server, one Chroma
server and one OpenAI-compatible model server. A candidate's turns alternate between the
processes and stay consistent; a staff login made on one works on the other; a template
published through one is used by the other.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.bench.load import post  # the same client the load bench uses
from bot.catalog import RoleCatalog
from bot.staff.access import hash_token
from bot.store import Store
from tests.e2e.pages import login
from tests.live import (
    BIN,
    REPO,
    STAFF,
    Visit,
    _copy_roles,
    _environment,
    _free_port,
    _wait_until_up,
    open_context,
)
from tests.model_server import MODEL_NAME
from tests.pg import fresh_database

pytestmark = pytest.mark.e2e


@pytest.fixture
def cluster(tmp_path, postgres, chroma_server, model_server):
    knowledge = shutil.copytree(REPO / "knowledge", tmp_path / "knowledge")
    env = _environment(tmp_path / "home", _copy_roles(tmp_path / "roles"), knowledge)
    env.update(INTERVIEWER_DATABASE_URL=fresh_database(postgres),
               INTERVIEWER_CHROMA_URL=chroma_server,
               # one model server for both processes, through the openai backend
               INTERVIEWER_GENERATOR_BACKEND="openai", INTERVIEWER_GENERATOR_BASE_URL=model_server,
               INTERVIEWER_GENERATOR_MODEL=MODEL_NAME)  # fmt: skip

    def cli(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run([str(BIN / "interviewer"), *args], env=env, cwd=REPO, input=stdin,
                              capture_output=True, text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("prepare")
    for name, (role, password) in STAFF.items():
        cli("users", "add", name, "--role", role, "--password-stdin", stdin=password + "\n")
    procs, urls = [], []
    for _ in range(2):
        port = _free_port()
        log = tmp_path / f"serve-{port}.log"
        with log.open("w") as out:
            command = [str(BIN / "interviewer"), "serve", "--port", str(port)]
            procs.append(subprocess.Popen(command, env=env, cwd=REPO, stdout=out,
                                          stderr=subprocess.STDOUT))  # fmt: skip
        urls.append(f"http://127.0.0.1:{port}")
        _wait_until_up(urls[-1], procs[-1], log)
    try:
        yield urls, cli, env
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=60)


def test_two_processes_share_turns_logins_and_templates(cluster, browser):
    (a, b), cli, env = cluster
    token = re.search(r"\?invite=([\w-]+)", cli("invite", "--role", "customer-support"))[1]
    status, state = post(f"{a}/api/interview/open", {"invite": token})
    assert status == 200 and state["phase"] == "consent"
    texts = [
        "yes",
        "I apologised, fixed the invoice the same day and told her when the refund would arrive.",
        "I would ask for the error message and check for an incident.",
    ]
    for i, text in enumerate(texts):  # alternate: A, B, A
        url = (a, b)[i % 2]
        status, state = post(f"{url}/api/interview/reply",
                             {"invite": token, "text": text, "seen": state["version"]})  # fmt: skip
        assert status == 200, state
    assert state["progress"] == "Question 3 of 6"
    status, state_b = post(f"{b}/api/interview/open", {"invite": token})
    assert state_b["version"] == state["version"]
    said = [m["text"] for m in state_b["messages"] if m["speaker"] == "candidate"]
    assert said == texts  # each stored once, in order, whichever process took it
    store = Store(env["INTERVIEWER_DATABASE_URL"])
    try:
        session_id = store.invite(hash_token(token)).session_id  # type: ignore[union-attr]
        between = [t for t in store.turns(session_id) if t.kind == "acknowledgement"]
    finally:
        store.close()
    # Both processes spoke through the one model server (or HR's words, had it failed).
    assert between and all(t.model_version.startswith("openai:") for t in between)

    # A recruiter's login made through A opens the workspace on B.
    context = open_context(browser, Visit())
    page = context.new_page()
    try:
        login(page, f"{a}/recruiter", "rita", STAFF["rita"][1])
        saved = page.evaluate("localStorage.getItem('interviewer-login-recruiter')")
        page.goto(f"{b}/recruiter")
        page.evaluate(f"localStorage.setItem('interviewer-login-recruiter', {json.dumps(saved)})")
        page.reload()
        expect(page.locator("#who")).to_contain_text("rita", timeout=60_000)
    finally:
        context.close()

    # A template version published to the shared database is what B interviews with next.
    folder = Path(env["INTERVIEWER_ROLES_DIR"])
    path = folder / "customer-support.yaml"
    path.write_text(re.sub(r"(?m)^version: *\d+", "version: 99", path.read_text()))
    cli("templates", "check", str(folder))
    store = Store(env["INTERVIEWER_DATABASE_URL"])
    try:
        RoleCatalog(store, folder).publish_role_files()  # as HR's publish does, elsewhere
    finally:
        store.close()
    fresh = re.search(r"\?invite=([\w-]+)", cli("invite", "--role", "customer-support"))[1]
    status, opened = post(f"{b}/api/interview/open", {"invite": fresh})
    assert status == 200
    store = Store(env["INTERVIEWER_DATABASE_URL"])
    try:
        session = store.invite(hash_token(fresh)).session_id  # type: ignore[union-attr]
        assert store.load_session(session).template_version == 99
    finally:
        store.close()
