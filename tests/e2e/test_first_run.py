"""A newcomer's first run, from a folder that is not the repository: a fresh home, the first
account made with `interviewer users add`, and a login at the address it printed."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import login
from tests.live import BIN, REPO, Visit, _free_port, open_context, running

pytestmark = pytest.mark.e2e
PASSWORD = "nora-first-run-2026"


def _fresh_environment(home: Path, port: int) -> dict[str, str]:
    """Only a home and a port: roles, prompts and documents come from the installation."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_")}
    env.update(INTERVIEWER_HOME=str(home), INTERVIEWER_PORT=str(port))
    converted = REPO / "var" / "models"  # the packaged model, joined once; not data
    if converted.is_dir():
        env["INTERVIEWER_MODELS_DIR"] = str(converted)
    return env


def test_the_first_account_logs_in_at_the_address_users_add_printed(browser, tmp_path):
    home, elsewhere, port = tmp_path / "home", tmp_path / "elsewhere", _free_port()
    elsewhere.mkdir()
    env = _fresh_environment(home, port)
    added = subprocess.run(
        [str(BIN / "interviewer"), "users", "add", "nora", "--role", "hr", "--password-stdin"],
        env=env, cwd=elsewhere, input=PASSWORD + "\n", capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    url = re.search(r"http://\S+", added.stdout)
    assert url and url[0] == f"http://127.0.0.1:{port}/hr", added.stdout

    visit = Visit()
    serve = [str(BIN / "interviewer"), "serve"]
    with running(serve, tmp_path / "serve.log", f"http://127.0.0.1:{port}/", env=env,
                 cwd=elsewhere):  # fmt: skip
        context = open_context(browser, visit)
        try:
            page = context.new_page()
            login(page, url[0], "nora", PASSWORD)
            expect(page.locator("#template-list")).to_contain_text("customer-support")
            page.get_by_role("tab", name="Documents").click()
            expect(page.locator("#document-list")).to_contain_text("company/about.md")
        finally:
            context.close()
    assert not visit.external, visit.external
    # Everything the installation keeps is under its home; nothing lands where it was started.
    assert (home / "knowledge" / "company" / "about.md").is_file()
    assert (home / "interviewer.db").is_file()
    assert list(elsewhere.iterdir()) == []
