"""Guards: every kind of text a candidate must never see is refused, and ordinary probes pass."""

from __future__ import annotations

import pytest

from bot.generator import guards

ASKED = ("Tell me about a backend service you built. What did it do?",)

CLEAN = [
    "Could you tell me more about how you tested the database layer?",
    "How did you handle retries when the payment API timed out?",
    "Which parts of that work did you do yourself?",
    "How would you find a race condition in that code?",  # "race" in engineering is fine
    "What did the health check endpoint report when the service degraded?",
    "How did you clean up child processes when a worker died?",
    "Thank you. Let's move on.",
]


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_interviewer_text_passes(text):
    assert guards.check(text, ASKED) == guards.GuardResult(True)


FORBIDDEN = [
    ("age", "How old are you, if you don't mind me asking?"),
    ("age", "What is your date of birth?"),
    ("family", "Are you married?"),
    ("family", "Do you have children who need care after school?"),
    ("pregnancy", "Are you pregnant or planning to be?"),
    ("health", "Do you have any medical conditions we should know about?"),
    ("health", "How often are you sick during the winter?"),
    ("disability", "Do you have a disability that affects your work?"),
    ("religion", "Which religious holidays do you observe?"),
    ("religion", "Do you go to church on Sundays?"),
    ("ethnicity", "What is your ethnic background?"),
    ("ethnicity", "Which race do you identify with?"),
    ("nationality", "Where are you from originally?"),
    ("nationality", "What is your citizenship?"),
    ("nationality", "Where were you born?"),
    ("sexuality", "What is your sexual orientation?"),
    ("sexuality", "What gender do you identify as?"),
    ("salary history", "What is your current salary?"),
    ("salary history", "How much did you earn at your last job?"),
]


@pytest.mark.parametrize(("kind", "text"), FORBIDDEN)
def test_protected_topics_are_refused(kind, text):
    result = guards.check(text, ASKED)
    assert not result.ok
    assert result.reason == f"forbidden topic: {kind}"


# Two lists, on purpose: HR's questions are checked for asking about the candidate (templates),
# generated text for touching a topic at all (guards). The guard must refuse whatever HR may not
# write, so a topic added to one list and forgotten in the other fails here.
HR_MAY_NOT_ASK = [text for _, text in FORBIDDEN] + [
    "Do you have kids?",
    "What is your mother tongue?",
    "Do you have a green card?",
    "What is your gender identity?",
    "Do you have a girlfriend?",
    "Are you planning to start a family soon?",
    "What year did you graduate from high school?",
]


@pytest.mark.parametrize("text", HR_MAY_NOT_ASK)
def test_the_guard_refuses_every_question_hr_may_not_ask(text):
    from bot.core.policy import protected_topics

    assert protected_topics(text), "the template check should flag this question too"
    assert guards.forbidden_topic(text) is not None


EVALUATIVE = [
    "Great answer! Could you say more about caching?",
    "Excellent. How did you deploy it?",
    "Perfect, and how did you test it?",
    "I'm sorry to hear that. What happened next?",
    "That's wrong. How does a tuple differ from a list?",
    "You're right about indexes; how would you choose one?",
    "Your answer didn't mention tests. How do you test it?",
    "You missed the part about retries. How would you add them?",
    "Thank you for the detailed answer.",
    "Unfortunately that is not enough. What else would you do?",
    "You have passed this stage. What next?",
    "I'm glad to hear that you're using pytest to write unit tests.",
    "I like how you handled the retries.",
]


@pytest.mark.parametrize("text", EVALUATIVE)
def test_judging_the_answer_is_refused(text):
    assert guards.check(text, ASKED) == guards.GuardResult(False, "evaluates the answer")


LEAKS = [
    "<|im_start|>assistant How do you test it?",
    "How do you test it?<|im_end|>",
    "Question: How do you test it?",
    "Candidate: I use pytest. How do you test it?",
    "As an AI language model, how would you test it?",
    "How do you test {topic} in your service?",
    "The candidate said they use pytest. How do they test it?",
]


@pytest.mark.parametrize("text", LEAKS)
def test_prompt_and_role_residue_is_refused(text):
    assert guards.check(text, ASKED) == guards.GuardResult(False, "leaks prompt or role tokens")


def test_more_than_one_question_is_refused():
    result = guards.check("How did you test it? And how did you deploy it?", ASKED)
    assert not result.ok and result.reason == "asks 2 questions (at most 1)"


def test_a_probe_must_be_a_question_when_asked_to_be():
    result = guards.check("I write tests for my code every day.", ASKED, min_questions=1)
    assert not result.ok and result.reason == "is not a question"


def test_an_acknowledgement_may_not_ask_anything():
    result = guards.check("Thanks. How are you today?", ASKED, max_questions=0)
    assert not result.ok and result.reason == "asks 1 questions (at most 0)"


def test_length_is_bounded():
    long = "Could you describe " + "the service and its parts " * 20 + "?"
    result = guards.check(long, ASKED)
    assert not result.ok and result.reason.startswith("too long")


@pytest.mark.parametrize("text", ["", "   ", "?", "Okay"])
def test_empty_or_one_word_is_refused(text):
    assert guards.check(text, ASKED) == guards.GuardResult(False, "empty or too short")


def test_looping_text_is_refused():
    result = guards.check("the the the the service service the the the the?", ASKED)
    assert result == guards.GuardResult(False, "repetitive text")


@pytest.mark.parametrize(
    "text",
    [
        "Tell me about a backend service you built. What did it do?",  # verbatim
        "Tell me about a backend service that you built. What did it do?",  # one word added
        "tell me about a backend service you built - what did it do",  # case and punctuation
    ],
)
def test_repeating_an_earlier_question_is_refused(text):
    result = guards.check(text, ASKED)
    assert not result.ok and result.reason.startswith("repeats an earlier question")


def test_a_different_question_on_the_same_subject_is_not_a_repeat():
    assert guards.check("Who used that service, and for what?", ASKED).ok


# --- probes from the answer -----------------------------------------------------------------


def test_a_probe_keeps_a_lead_in_that_speaks_to_the_candidate():
    text = "You restarted the servers; how did you find out what caused it?"
    assert guards.question_only(text) == text


def test_a_probe_loses_a_lead_in_spoken_as_the_candidate_or_from_the_rubric():
    said = "I designed the data model myself. Which parts did you write?"
    assert guards.question_only(said) == "Which parts did you write?"
    rubric = "Reconciles definitions with finance. why might the numbers differ?"
    assert guards.question_only(rubric) == "Why might the numbers differ?"


def test_a_probe_that_recites_the_key_point_gives_it_away():
    point = "A tuple of hashable items can be a dictionary key; a list cannot"
    hr = "Which of the two could you use as a dictionary key, and why?"
    assert guards.gives_away("Can a tuple of hashable items be a key, and why?", point, [hr])
    # Words HR's own probe uses are not a giveaway.
    assert not guards.gives_away("Which could you use as a dictionary key, and why?", point, [hr])


def test_a_probe_that_leans_to_a_covered_point_is_caught():
    missing = ["I set timeouts and decide how to handle a failing call"]
    covered = [["I run the calls concurrently with asyncio or a thread pool"]]
    answer = "I would just make it faster."
    assert guards.asks_for_covered("Would a thread pool let the calls run concurrently?",
                                   missing, covered, answer)  # fmt: skip
    assert not guards.asks_for_covered("What happens when one call is slow: what timeout?",
                                       missing, covered, answer)  # fmt: skip
    # Building on what the candidate said is not asking for the covered point again.
    said = "I run the calls concurrently with asyncio."
    assert not guards.asks_for_covered("With asyncio running them concurrently, what timeout?",
                                       missing, covered, said)  # fmt: skip
