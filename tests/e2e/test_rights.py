"""A candidate uses their rights from the invite link; a recruiter opens the impact report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF, shot
from tests.e2e.pages import choose, consent, login, open_interview, question_texts
from tests.live import ROLE

pytestmark = pytest.mark.e2e


def test_a_candidate_sees_corrects_and_erases_their_data(server, page):
    token = server.invite("rights@example.com")
    questions = question_texts(server.roles_dir, ROLE)
    open_interview(page, server.page_url(f"/?invite={token}"))
    consent(page, questions[0])
    page.get_by_role("button", name="Your data").click()
    page.get_by_role("button", name="Show my data").click()
    data = page.locator("#rights-data")
    expect(data).to_contain_text('"conversation"')
    expect(data).to_contain_text(questions[0][:40])
    page.get_by_label("A correction for the recruiter").fill("Please call me Sam.")
    page.get_by_role("button", name="Send the correction").click()
    expect(page.locator("#rights-outcome")).to_contain_text("correction is saved")
    shot(page, "candidate-your-data")

    page.get_by_role("button", name="Erase my data").click()  # not yet confirmed: refused
    expect(page.locator(".toast-body").first).to_contain_text("Tick the box first")
    page.get_by_label("I understand erasure removes my answers").check()
    page.get_by_role("button", name="Erase my data").click()
    expect(page.locator("#rights-outcome")).to_contain_text("has been erased")
    page.reload()
    expect(page.locator("#invite-refused")).to_contain_text("erased")
    session = server.session_of(token)
    from bot.store import Store

    store = Store(f"sqlite:///{server.home / 'interviewer.db'}")
    try:
        assert store.turns(session) == [] and store.load_session(session).status == "erased"
    finally:
        store.close()


def test_a_recruiter_opens_the_impact_report(server, page):
    login(page, server.page_url("/recruiter"), "rita", STAFF["rita"][1])
    page.get_by_role("tab", name="Impact ratios").click()
    choose(page, "impact-role", re.compile("Customer Support"))
    page.get_by_role("button", name="Show impact ratios").click()
    report = page.locator("#impact-report")
    expect(report).to_contain_text("Selection by sex")
    expect(report).to_contain_text("Scoring by race/ethnicity")
    expect(report).to_contain_text("Unknown")
    shot(page, "recruiter-impact-ratios")
