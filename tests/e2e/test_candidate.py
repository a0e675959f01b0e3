"""The candidate's page, from an invite link to "what happens next"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import OWN_WORDS, ROLE, shot
from tests.e2e.pages import answer, chat, consent, open_interview, question_texts

pytestmark = pytest.mark.e2e

ANSWERS = [
    "A customer was upset because her order arrived broken. I said sorry, listened, sent a "
    "replacement the same day and called her when it shipped. She stayed with us.",
    "I would ask for the exact error message, the browser and when it started, check whether "
    "other customers report the same, and check if the account is locked.",
    "I would handle the outage report first because many customers are affected, then work "
    "through the rest by response-time targets and send quick replies so people know when.",
    "I would be honest that we do not have that feature and not promise a date. I would ask "
    "what they want to achieve, suggest a workaround and pass the request to the product team.",
    "I escalated a bug where exports were empty. I wrote steps to reproduce, expected and actual "
    "results, how many customers it affected, and kept the customer updated until the fix.",
    "I once sent a customer the wrong reset link. I told my lead straight away, called the "
    "customer to fix it, and we added a checklist so it would not happen again.",
]
SCORE_LIKE = re.compile(r"\b(0\.\d\d|level \d/5)\b", re.I)


def test_candidate_finishes_an_interview_and_resumes_after_reload(server, page):
    questions = question_texts(server.roles_dir, ROLE)
    assert len(questions) == len(ANSWERS)
    open_interview(page, server.page_url(f"/?invite={server.invite('ada@example.com')}"))
    expect(page.get_by_role("button", name="Yes, I agree to continue")).to_be_visible()
    expect(page.get_by_role("button", name="No, I would like another process")).to_be_visible()
    expect(
        page.get_by_role("textbox", name=re.compile(r"^Your answer"))
    ).to_be_hidden()  # nothing is asked before consent
    shot(page, "candidate-consent")

    consent(page, questions[0], by_keyboard=True)
    answer(page, ANSWERS[0], questions[1])

    page.reload()  # a reload (or lost connection) resumes the same interview
    expect(chat(page)).to_contain_text(ANSWERS[0][:50], timeout=60_000)
    expect(chat(page)).to_contain_text(questions[1][:60])
    expect(page.get_by_role("button", name="Yes, I agree to continue")).to_be_hidden()
    shot(page, "candidate-resumed", full_page=False)

    for i in range(1, len(questions)):
        then = questions[i + 1] if i + 1 < len(questions) else "That was the last question"
        answer(page, ANSWERS[i], then)
    shot(page, "candidate-interview")
    shot(page, "candidate-interview-window", full_page=False)

    expect(page.locator("#ending")).to_be_visible()
    expect(page.locator("#ending")).to_contain_text("What happens next")
    # Focus lands on what comes next, not on the page body, when the answer box goes away.
    expect(page.get_by_role("heading", name="What happens next")).to_be_focused()
    assert page.title() == "Interview: Customer Support Specialist at Northwind Labs"
    expect(page.locator("#interview-title")).to_contain_text("Customer Support Specialist")
    expect(page.locator("#interview-chat")).to_contain_text("reads your full transcript")
    expect(page.locator("#next-steps")).to_contain_text("you can close this page")
    assert page.locator("body").inner_text().count("reads your full transcript") == 1
    expect(page.get_by_role("textbox", name=re.compile(r"^Your answer"))).to_be_hidden()
    assert not SCORE_LIKE.search(page.locator("body").inner_text()), "a score reached the page"

    # The rating is one tab stop: Tab goes from it to the comment, the arrow keys choose.
    page.locator("#feedback-rating").get_by_label("4").check()
    page.locator("#feedback-rating").get_by_label("4").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#feedback-rating").get_by_label("5 · very good")).to_be_checked()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#feedback-rating").get_by_label("4")).to_be_checked()
    page.keyboard.press("Tab")
    comment = page.get_by_label("Anything you would like us to know (optional)")
    expect(comment).to_be_focused()
    comment.fill("Clear questions.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#feedback-thanks")).to_be_visible()
    shot(page, "candidate-finished")


def test_a_page_without_a_valid_invite_shows_no_interview(server, page):
    for path in ("/", "/?invite=not-a-real-token"):
        page.goto(server.page_url(path))
        expect(page.locator("#invite-refused")).to_be_visible(timeout=60_000)
        expect(page.locator("#invite-refused")).to_contain_text("invite link")
        expect(chat(page)).to_be_hidden()
    shot(page, "candidate-no-invite")


def test_an_invite_cannot_open_another_candidates_session(server, page, answered):
    mine = server.invite("lee@example.com")
    open_interview(page, server.page_url(f"/?invite={mine}"))
    assert server.session_of(mine) != answered.session_id

    page.goto(server.page_url(f"/?invite={mine}&session={answered.session_id}"))
    expect(page.locator("#invite-refused")).to_contain_text("belongs to another interview")
    expect(chat(page)).to_be_hidden()
    assert "the wrong invoice" not in page.content()  # the other candidate's answer
    shot(page, "candidate-other-session-refused")

    page.goto(server.page_url(f"/?invite={answered.token}"))  # the owner still gets theirs
    expect(chat(page)).to_contain_text(OWN_WORDS, timeout=60_000)


def test_an_answer_with_a_script_tag_is_shown_as_text(server, page, answered, visit):
    page.goto(server.page_url(f"/?invite={answered.token}"))
    expect(chat(page)).to_contain_text("<script>alert(1)</script>")
    expect(chat(page)).to_contain_text(OWN_WORDS)
    assert page.locator("#interview-chat script").count() == 0
    assert not visit.dialogs
    shot(page, "candidate-script-as-text")
