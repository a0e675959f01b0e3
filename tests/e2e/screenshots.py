"""Retake the README's screenshots, docs/screenshots/{candidate,hr,recruiter}.png.

    .venv/bin/python -m pytest -q tests/e2e/screenshots.py

The real `interviewer serve` in a fresh home, driven by Debian's Chromium, as the browser tests
do (tests/live.py). Not part of the suite: pytest collects it only when named, as above.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROLE, STAFF
from tests.e2e.pages import (
    answer,
    choose,
    consent,
    login,
    open_interview,
    question_texts,
    set_editor,
)
from tests.live import REPO

pytestmark = pytest.mark.e2e
DOCS = REPO / "docs" / "screenshots"
FIRST_ANSWER = (
    "A customer was upset because her order arrived broken. I said sorry, listened, sent a "
    "replacement the same day and called her when it shipped. She stayed with us."
)


def _window(page: Page, name: str, width: int, height: int, top: str | None = None) -> None:
    """What a window of that size shows, from the top of the page or of the element `top`."""
    page.set_viewport_size({"width": width, "height": height})
    if top is None:
        page.evaluate("window.scrollTo(0, 0)")
    else:
        page.evaluate(f"document.querySelector('{top}').scrollIntoView({{block: 'start'}})")
    page.wait_for_timeout(500)  # let the layout settle after the resize
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"))


def test_candidate(server, page):
    questions = question_texts(server.roles_dir, ROLE)
    open_interview(page, server.page_url(f"/?invite={server.invite('ada@example.com')}"))
    consent(page, questions[0])
    answer(page, FIRST_ANSWER, questions[1])
    page.evaluate("document.querySelector('#answer-box textarea').focus()")
    _window(page, "candidate", 1280, 900)


def test_hr(server, page):
    login(page, server.page_url("/hr"), "hana", STAFF["hana"][1])
    choose(page, "template-role", re.compile("Data Analyst"))
    page.get_by_role("button", name="Open in the editor").click()
    expect(page.locator("#template-outcome")).to_contain_text("Opened")
    good = (server.roles_dir / "data-analyst.yaml").read_text(encoding="utf-8")
    set_editor(page, "template-editor", good.replace("title:", "titel:", 1))
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#template-problems")).to_contain_text("unknown key 'titel'")
    page.locator("#template-editor .cm-scroller").evaluate("(e) => { e.scrollTop = 0; }")
    _window(page, "hr", 1280, 1250)


def test_recruiter(server, page, answered):
    login(page, server.page_url("/recruiter"), "rita", STAFF["rita"][1])
    choose(page, "session-pick", re.compile(re.escape(answered.email)))
    expect(page.locator("#transcript")).to_contain_text("q1-frustrated-customer")
    choose(page, "override-question", re.compile("q1-frustrated-customer"))
    page.locator("#override-score input[type=number]").fill("0.85")
    page.locator("#override-score input[type=number]").press("Tab")
    page.locator("#override-level").get_by_label("4").check()
    page.get_by_label("Reason (required)").fill(
        "The candidate owned the fix and the follow-up; the model missed the apology."
    )
    page.get_by_role("button", name="Save override").click()
    expect(page.locator("#transcript")).to_contain_text("override by recruiter:rita")
    page.locator("#decision").get_by_label("Hold").check()
    page.get_by_label("Note").fill("Ask about escalation in the call.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator("#transcript")).to_contain_text("hold by recruiter:rita")
    _window(page, "recruiter", 1280, 1150, top="#transcript")
