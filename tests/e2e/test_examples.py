"""A recruiter's grades teach the evaluator: five answers graded through the page change how
the next candidate's answer to that question is scored (the same answer, scored before and
after, differs), and the explanation says the recruiters' examples were used."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from bot.bench.load import post
from tests.e2e.pages import choose, login
from tests.live import STAFF, Server

QUESTION = "q1-frustrated-customer"
OTHER_QUESTION = "q6-own-mistake"
ANSWER = ("A client shouted about a double charge. I said sorry, refunded it the same hour, and "
          "wrote to her the next day to check she was happy.")  # fmt: skip
GRADED = [
    "I told him that is our policy and there is nothing I can do about it.",
    "I passed the customer to my manager because I did not want to deal with it.",
    "I just stayed calm and waited until she stopped being angry.",
    "Customers get upset all the time, I don't take it personally, I move on.",
    "I sent the standard apology macro and closed the ticket.",
]


def answer_first_question(server: Server, email: str, text: str) -> str:
    token = server.invite(email)
    status, opened = post(server.page_url("/api/interview/open"), {"invite": token})
    assert status == 200, opened
    status, state = post(server.page_url("/api/interview/reply"),
                         {"invite": token, "text": "yes", "seen": opened["version"]})  # fmt: skip
    assert status == 200, state
    status, state = post(server.page_url("/api/interview/reply"),
                         {"invite": token, "text": text, "seen": state["version"]})  # fmt: skip
    assert status == 200, state
    return server.session_of(token)


def scored(server: Server, session_id: str):
    from bot.store import Store

    store = Store(f"sqlite:///{server.home / 'interviewer.db'}")
    try:
        return next(t.score for t in store.turns(session_id)
                    if t.question_id == QUESTION and t.score is not None)  # fmt: skip
    finally:
        store.close()


def test_five_grades_through_the_page_change_the_next_candidates_score(server, page):
    before = scored(server, answer_first_question(server, "ex-before@example.com", ANSWER))
    graded = [answer_first_question(server, f"ex-graded-{i}@example.com", text)
              for i, text in enumerate(GRADED)]  # fmt: skip
    assert graded
    login(page, server.page_url("/recruiter"), "rita", STAFF["rita"][1])
    view = page.locator("#transcript")
    for i in range(len(GRADED)):
        email = f"ex-graded-{i}@example.com"
        choose(page, "session-pick", re.compile(re.escape(email)))
        expect(view).to_contain_text(email)
        choose(page, "override-question", re.compile(QUESTION))
        expect(page.locator("#override-current")).to_contain_text("Model's score:")
        page.locator("#override-score input[type=number]").fill("0.1")
        page.locator("#override-score input[type=number]").press("Tab")
        page.locator("#override-level").get_by_label("1").check()
        page.locator("#override-reason textarea").fill("No ownership: the customer was not helped.")
        page.get_by_role("button", name="Save override").click()
        card = view.locator(f".answer-card[data-question='{QUESTION}'] .override")
        expect(card).to_contain_text("level 1/5", timeout=30_000)
    after = scored(server, answer_first_question(server, "ex-after@example.com", ANSWER))
    assert after.score != before.score, (before.explanation, after.explanation)
    assert "a recruiter's" in after.explanation or "graded examples" in after.explanation
    count = int(re.search(r"With (\d+) graded examples", after.explanation)[1])
    was = int(re.search(r"With (\d+) graded examples", before.explanation)[1])
    assert count >= was + len(GRADED)
    # The recruiter sees, per question, how the evaluator agreed with the grades so far.
    page.get_by_role("tab", name="Teach the evaluator").click()
    choose(page, "teach-role", re.compile("Customer Support"))
    page.get_by_role("button", name="Show").click()
    row = page.locator("#teach-table tr", has_text=QUESTION)
    # Five at level 1 from this test; other tests on this server (any order) may grade the
    # question at other levels, and then the agreement itself is shown.
    from bot.store import Store

    store = Store(f"sqlite:///{server.home / 'interviewer.db'}")
    try:
        levels = {e.level for e in store.examples("customer-support", QUESTION)}
    finally:
        store.close()
    expect(row).to_contain_text("grade answers of other levels too" if levels == {1} else "r = ")


def test_hr_sees_the_graded_examples_with_the_agreement_and_takes_one_out(server, page):
    # Another question than the test above grades: the suite's order is random, and a level-4
    # example there would change what that test reads in the teach table.
    from bot.store import Store

    store = Store(f"sqlite:///{server.home / 'interviewer.db'}")
    try:
        text = "I refunded the customer and apologised for the delay."
        made = store.add_example("customer-support", OTHER_QUESTION, text, 4, "recruiter:rita",
                                 None, 0.5)  # fmt: skip
    finally:
        store.close()
    login(page, server.page_url("/hr"), "hana", STAFF["hana"][1])
    page.get_by_role("tab", name="Graded examples").click()
    choose(page, "examples-role", re.compile("Customer Support"))
    table = page.locator("#examples-table")
    expect(table).to_contain_text("I refunded the customer")
    expect(page.locator("#examples-agreement")).to_contain_text(OTHER_QUESTION)
    page.locator("#examples-pick input").fill(str(made.id))
    page.get_by_role("button", name="Take out of scoring").click()
    expect(page.locator("#examples-outcome")).to_contain_text("taken out of scoring")
    store = Store(f"sqlite:///{server.home / 'interviewer.db'}")
    try:
        assert made.id not in {x.id for x in store.examples("customer-support", OTHER_QUESTION)}
    finally:
        store.close()
