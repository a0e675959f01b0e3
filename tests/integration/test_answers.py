"""Candidates' questions answered by quoting the documents, or passed to the recruiter,
judged with the packaged MiniLM's embeddings (as in the app)."""

from __future__ import annotations

import pytest

from bot.knowledge import answers
from bot.knowledge.answers import without_images
from bot.knowledge.asking import Nearness
from bot.ports import Snippet

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nearness() -> Nearness:
    from bot.knowledge.embeddings import load_embedder
    from tests.integration.conftest import ROOT

    return Nearness(lambda: load_embedder(cache_dir=ROOT / "var" / "models"))


@pytest.fixture
def answer_from(nearness):
    return lambda question, context: answers.answer_from(question, context, nearness)


REMOTE = Snippet(
    "The role is **remote-friendly**: you can work fully remotely from the Netherlands, "
    "Portugal, Spain, Germany or Ireland, or hybrid from our Amsterdam or Lisbon office. We "
    "cannot employ people outside those countries for this role.",
    "jobs/backend-python.md", "Backend Python Engineer > Location and remote work", 0.45,
)  # fmt: skip
SALARY = Snippet(
    "Pay bands are per country, for full-time work, before tax:\n\n| Location | Annual salary |\n"
    "|---|---|\n| Netherlands, Germany, Ireland | EUR 65,000 to EUR 85,000 |\n"
    "| Portugal, Spain | EUR 48,000 to EUR 62,000 |",
    "jobs/backend-python.md", "Backend Python Engineer > Salary range", 0.5)  # fmt: skip
BENEFITS = Snippet(
    "A monthly public-transport or cycling allowance for people who come to an office. A "
    "personal learning budget of EUR 1,200 a year for courses, books and conferences.",
    "company/benefits.md", "Benefits > Money and equipment", 0.6)  # fmt: skip


def test_the_passage_that_answers_is_quoted_whole_with_its_heading(answer_from):
    found = answer_from("Is this role remote?", [BENEFITS, REMOTE])
    assert found is not None and found.snippet == REMOTE
    assert "remote-friendly: you can work fully remotely" in found.text
    assert "(Location and remote work)" in found.text and "**" not in found.text


def test_a_table_is_quoted_as_a_table_under_its_lead_in(answer_from):
    found = answer_from("What is the salary range for this role?", [REMOTE, SALARY])
    assert found is not None and found.snippet == SALARY
    assert "| Netherlands, Germany, Ireland | EUR 65,000 to EUR 85,000 |" in found.text
    assert "\n> " not in found.text  # a table, not a blockquote of pipes


def test_a_question_the_documents_do_not_answer_is_deferred_not_answered_nearby(answer_from):
    for asked in ("Do you sponsor visas?", "Is there free lunch?", "Do you offer stock options?"):
        assert answer_from(asked, [REMOTE, SALARY, BENEFITS]) is None, asked


@pytest.mark.xfail(strict=True, reason="MiniLM puts 'pay' 0.46 from the salary table and the "
                   "synonym table is gone: deferred (README, Candidates' questions)")
def test_everyday_words_find_the_documents_own(answer_from):
    found = answer_from("How much does this role pay in Portugal?", [REMOTE, SALARY])
    assert found is not None and "48,000" in found.text


def test_no_image_in_a_document_reaches_the_candidate():
    text = 'See ![the office](https://tracker.example/p.png) and <img src="https://x.example/a">.'
    assert without_images(text) == "See the office and ."


TEAM = Snippet(
    "Customer Support is 14 specialists and 2 team leads across Lisbon and Amsterdam, part of "
    "the Customer group.", "jobs/customer-support.md", "Customer Support Specialist > Team", 0.5,
)  # fmt: skip
TOOLS = Snippet(
    "Zendesk for tickets, chat and the help centre; Jira for bugs handed to engineering.",
    "jobs/customer-support.md", "Customer Support Specialist > Tools", 0.5,
)  # fmt: skip
ALTERNATIVE = Snippet(
    "You never have to use the AI interviewer. If you would rather talk to a person, email\n"
    "**accessibility@northwind.example** with the role you applied for. We can, for example:\n\n"
    "- hold the pre-screen as a phone call with a recruiter instead of the AI chat;\n"
    "- give you the questions in writing in advance.",
    "company/hiring-process.md", "Hiring > An alternative to the AI interview", 0.6,
)  # fmt: skip


def test_which_x_is_answered_by_the_section_named_x_not_one_sharing_more_words(answer_from):
    found = answer_from("Which tools does the support team use?", [TEAM, TOOLS])
    assert found is not None and found.snippet == TOOLS and "Zendesk" in found.text


def test_a_list_item_is_quoted_with_the_words_that_introduce_its_list(answer_from):
    found = answer_from("Can I talk to a person instead of the AI?", [ALTERNATIVE])
    assert found is not None
    assert "email accessibility@northwind.example" in found.text  # how, not only what


def test_a_long_introduction_never_cuts_off_the_item_that_answers(answer_from):
    long_lead = Snippet(
        "Moving for a job is a big step, and we want it to go well for you and your family, "
        "so we plan it with you from the offer onwards, with a named person who helps you "
        "through every part of it, from finding a flat to registering with the local "
        "authorities, opening a bank account and getting to know the city, the office and "
        "the people you will work with, before and after your first day with us, and we "
        "keep in touch during the first months, the first year and for as long as you like "
        "afterwards, by phone, by video or over coffee in the office, to see how it is going "
        "for you, for your partner and for your children at their new schools. We offer, for "
        "example:\n\n- a relocation budget of EUR 3,000 for moving costs and temporary housing;\n"
        "- a language course.", "company/benefits.md", "Benefits > Relocation", 0.5,
    )  # fmt: skip
    found = answer_from("Is there a relocation budget?", [long_lead])
    assert found is not None and "EUR 3,000 for moving costs" in found.text


def test_a_chunk_that_starts_with_a_whole_list_item_keeps_it(answer_from):
    items = Snippet(
        "- hold the pre-screen as a phone call with a recruiter instead of the AI chat;\n"
        "- give you the questions in writing in advance.",
        "company/hiring-process.md", "Hiring > An alternative to the AI interview", 0.6,
    )  # fmt: skip
    found = answer_from("Can the pre-screen be a phone call instead of the AI chat?", [items])
    assert found is not None and "phone call with a recruiter" in found.text


@pytest.mark.xfail(strict=True, reason="'work from home' is 0.40 from 'remote-friendly' with "
                   "none of its words: deferred (README, Candidates' questions)")
def test_the_documents_own_word_is_found_for_an_everyday_one(answer_from):
    """No synonym table: the embeddings know "work from home" is "remote"."""
    found = answer_from("Can I work from home full time?", [BENEFITS, SALARY, REMOTE])
    assert found is not None and found.snippet == REMOTE


def test_either_option_of_an_or_question_is_met(answer_from):
    stack = Snippet("The API is written in Python 3.12 with FastAPI and SQLAlchemy.",
                    "jobs/backend-python.md", "Backend > Tech stack", 0.5)  # fmt: skip
    found = answer_from("Is the API written in FastAPI or Django?", [REMOTE, stack])
    assert found is not None and "FastAPI" in found.text


def test_a_near_passage_that_lacks_what_was_named_is_not_quoted(answer_from):
    office = Snippet("Our Lisbon office is in the city centre, next to the metro, and open from "
                     "8:00 to 19:00.", "company/about.md", "About > Offices", 0.4)  # fmt: skip
    assert answer_from("Is there parking at the Lisbon office?", [office, BENEFITS]) is None
    # "How many" is never answered by a passage without a number.
    assert answer_from("How many people work in the Lisbon office?", [office]) is None


HOURS = Snippet(
    "Full-time is 40 hours a week. The role is hybrid from our Lisbon office (two days a week in "
    "the office).", "jobs/customer-support.md", "Support > Working hours", 0.5,
)  # fmt: skip
GATHERING = Snippet("A company-wide gathering each June, with travel and accommodation paid.",
                    "company/benefits.md", "Benefits > Getting together", 0.5)  # fmt: skip


def test_the_answer_holds_the_kind_of_thing_asked_for(answer_from):
    found = answer_from("How many days a week must I be in the office?", [HOURS])
    assert found is not None and "two days a week" in found.text  # a number in words counts
    assert "40 hours" not in found.text  # a number of something else does not
    # "Where" is not answered by a month, nor "which" by a sentence that names nothing.
    assert answer_from("Where is the June gathering held?", [GATHERING]) is None
    assert answer_from("Which hotel do you book for the gathering?", [GATHERING]) is None
