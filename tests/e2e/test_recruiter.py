"""The recruiter's page: refused without a login; with one, evidence, overrides and exports."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF, shot
from tests.e2e.pages import choose, close_toasts, download, login

pytestmark = pytest.mark.e2e
REASON = "The candidate owned the fix and the follow-up; the model missed the apology."


def test_the_recruiter_page_without_a_login_shows_nothing(server, page, answered):
    page.goto(server.page_url("/recruiter"))
    expect(page.get_by_label("Password")).to_be_visible(timeout=60_000)
    expect(page.locator("#workspace")).to_be_hidden()
    expect(page.locator("#session-list")).to_be_hidden()
    assert answered.session_id not in page.content()
    assert answered.email not in page.content()

    page.get_by_label("Name", exact=True).fill("rita")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#login-notice")).to_contain_text("wrong name or password")
    expect(page.locator("#workspace")).to_be_hidden()

    page.get_by_label("Name", exact=True).fill("hana")  # an HR account is not a recruiter
    page.get_by_label("Password").fill(STAFF["hana"][1])
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#login-notice")).to_contain_text("this page is for Recruiter accounts")
    expect(page.locator("#workspace")).to_be_hidden()
    assert answered.session_id not in page.content()
    shot(page, "recruiter-refused")


def test_a_login_survives_a_reload_leaves_no_password_behind_and_logging_out_ends_it(server, page):
    password = STAFF["rita"][1]
    login(page, server.page_url("/recruiter"), "rita", password)
    page.reload()
    expect(page.locator("#who")).to_contain_text("rita", timeout=30_000)
    expect(page.locator("#session-list")).to_be_visible()
    kept = page.evaluate("() => JSON.stringify(localStorage)")
    assert password not in kept and "rita" not in kept  # only the encrypted login token

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Password")).to_be_visible(timeout=30_000)
    expect(page.locator("#workspace")).to_be_hidden()
    page.reload()
    expect(page.get_by_label("Password")).to_be_visible(timeout=30_000)
    expect(page.locator("#workspace")).to_be_hidden()


def test_recruiter_reads_evidence_overrides_with_a_reason_decides_and_exports(
    server, page, answered
):
    login(page, server.page_url("/recruiter"), "rita", STAFF["rita"][1])
    expect(page.locator("#session-list")).to_contain_text(answered.email)
    choose(page, "session-pick", re.compile(re.escape(answered.email)))
    view = page.locator("#transcript")
    expect(view).to_contain_text("q1-frustrated-customer")
    expect(view).to_contain_text("<script>alert(1)</script>")  # shown as text
    assert view.locator("script").count() == 0
    expect(view.locator("blockquote.answer mark").first).to_be_visible()  # evidence highlighted
    expect(view.locator("li.kp.covered").first).to_be_visible()
    expect(view).to_contain_text("model:")
    expect(view).to_contain_text("customer-support version 3")

    choose(page, "override-question", re.compile("q1-frustrated-customer"))
    expect(page.locator("#override-current")).to_contain_text("Model's score:")
    page.locator("#override-score input[type=number]").fill("0.85")
    page.locator("#override-score input[type=number]").press("Tab")
    page.locator("#override-level").get_by_label("4").check()
    page.get_by_role("button", name="Save override").click()  # no reason: refused
    # ... with a message beside the form; the reason box stays a box, with no "Error" badge.
    expect(page.locator("#review-outcome")).to_contain_text("needs a reason")
    expect(page.get_by_label("Reason (required)")).to_be_visible()
    expect(page.locator("#override-reason")).not_to_contain_text("Error")
    expect(view).not_to_contain_text("override by")
    close_toasts(page)

    page.get_by_label("Reason (required)").fill(REASON)
    page.get_by_role("button", name="Save override").click()
    override = view.locator(".answer-card[data-question='q1-frustrated-customer'] .override")
    expect(override).to_contain_text("override by recruiter:rita: 0.85, level 4/5")
    expect(override).to_contain_text(REASON)
    card = view.locator(".answer-card[data-question='q1-frustrated-customer']")
    expect(card.locator(".model-score")).to_contain_text("model:")  # kept beside, not replaced

    page.locator("#decision").get_by_label("Hold").check()
    page.get_by_label("Note").fill("Ask about escalation in the call.")
    page.get_by_role("button", name="Save decision").click()
    expect(view).to_contain_text("hold by recruiter:rita")
    shot(page, "recruiter-transcript")
    page.set_viewport_size({"width": 1280, "height": 1150})
    page.evaluate("document.querySelector('#transcript').scrollIntoView({block: 'start'})")
    shot(page, "recruiter-transcript-window", full_page=False)

    name, data = download(page, "Export this session")
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    first = next(r for r in rows if r["question_id"] == "q1-frustrated-customer")
    assert first["override_reason"] == REASON and first["override_score"].startswith("0.85")
    assert first["model_score"] and first["decision"] == "hold"

    page.locator("#export-format").get_by_label("Printable transcript (HTML)").check()
    name, data = download(page, "Export this session")
    assert name.endswith(".html")
    printable = data.decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in printable
    assert "<script>alert" not in printable

    # The role's sessions with a session open and the filter on "All roles": its role.
    expect(page.locator("#filter-role input")).to_have_value("All roles")
    page.locator("#export-format").get_by_label("JSON").check()
    name, data = download(page, "Export the role's sessions")
    assert name.startswith("role-customer-support-") and name.endswith(".json")
    exported = {s["transcript"]["session_id"] for s in json.loads(data)["sessions"]}
    assert answered.session_id in exported


def test_recruiter_exports_a_role_charts_it_and_invites_a_candidate(server, page, answered):
    login(page, server.page_url("/recruiter"), "rita", STAFF["rita"][1])
    choose(page, "filter-role", re.compile("Customer Support"))
    expect(page.locator("#session-list")).to_contain_text(answered.email)
    page.locator("#export-format").get_by_label("JSON").check()
    name, data = download(page, "Export the role's sessions")
    assert name.endswith(".json")
    exported = json.loads(data)
    assert answered.session_id in {s["transcript"]["session_id"] for s in exported["sessions"]}

    page.get_by_role("tab", name="Score distribution").click()
    choose(page, "chart-role", re.compile("Customer Support"))
    page.get_by_role("button", name="Show").click()
    chart = page.get_by_role("img", name=re.compile("Score distribution for customer-support"))
    expect(chart).to_be_visible()
    expect(page.locator("#chart table")).to_contain_text("Overall")
    shot(page, "recruiter-chart")

    page.get_by_role("tab", name="Invite a candidate").click()
    choose(page, "invite-role", re.compile("Customer Support"))
    page.get_by_label("Candidate's email (optional, kept with the session)").fill("kim@example.com")
    page.get_by_role("button", name="Invite candidate").click()
    link = page.locator("#invite-link textarea, #invite-link input").first
    expect(link).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/\?invite=[\w-]{40,}$"))
    page.goto(link.input_value())  # the new link opens a fresh interview
    expect(page.locator("#interview-chat")).to_contain_text(
        "I am an AI interviewer", timeout=60_000
    )
