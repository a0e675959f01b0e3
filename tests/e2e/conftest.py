"""Browser tests: the real `interviewer serve` (tests/live.py), driven by Debian's Chromium."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live import ROLE, SHOTS, STAFF, Server, Visit, open_context  # noqa: F401 (re-exported)


@pytest.fixture
def visit() -> Visit:
    return Visit()


@pytest.fixture
def page(browser, visit: Visit):
    """A page in a fresh profile; at the end, nothing may have been fetched from elsewhere."""
    context = open_context(browser, visit)
    page = context.new_page()
    page.on("dialog", lambda d: (visit.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()
    assert not visit.external, f"the page fetched from outside the machine: {visit.external}"
    assert not visit.dialogs, f"a dialog opened (script ran?): {visit.dialogs}"


def shot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot (the whole page, or what the window shows) under test-output/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# A candidate answer that is both markup and a strong answer: the escaping test reads it back as
# text, and the recruiter test finds the evidence the evaluator quotes from it.
SCRIPT_ANSWER = (
    "<script>alert(1)</script>\n"
    "I acknowledged the customer's frustration and apologised for the impact of the wrong "
    "invoice. I took concrete steps: I corrected the invoice the same day and set a realistic "
    "expectation for the refund. In the end the customer was satisfied and thanked me."
)
OWN_WORDS = "I acknowledged the customer's frustration"


@dataclass(frozen=True)
class Answered:
    """An interview opened from an invite, consented to and with one answer scored."""

    token: str
    email: str
    session_id: str
    answer: str


@pytest.fixture(scope="session")
def answered(server: Server, browser) -> Answered:
    """One candidate answers the first question (with a <script> in it) through the page."""
    from tests.e2e.pages import answer, consent, open_interview, question_texts

    email = "sam@example.com"
    token = server.invite(email)
    questions = question_texts(server.roles_dir, ROLE)
    visit = Visit()
    context = open_context(browser, visit)
    page = context.new_page()
    page.on("dialog", lambda d: (visit.dialogs.append(d.message), d.dismiss()))
    try:
        open_interview(page, server.page_url(f"/?invite={token}"))
        consent(page, questions[0])
        answer(page, SCRIPT_ANSWER, questions[1])
        shot(page, "candidate-script-answer")
    finally:
        context.close()
    assert not visit.dialogs, f"a dialog opened while answering: {visit.dialogs}"
    return Answered(token, email, server.session_of(token), SCRIPT_ANSWER)
