"""The interview state machine through every path, with no models at all."""

import pytest

from bot.core.interview import (
    Acknowledge,
    AnswerCandidate,
    CandidateSaid,
    Finish,
    Heard,
    InterviewState,
    Probe,
    ProbeSent,
    RecordConsent,
    Say,
    ScoreAnswer,
    Scored,
    Started,
    consent_reply,
    step,
)
from tests.unit.roles import SCRIPT, make_role

ROLE = make_role()


def run(state, *events, role=ROLE):
    actions = []
    for event in events:
        state, new = step(state, event, role, SCRIPT)
        actions.extend(new)
    return state, actions


def consented():
    return run(InterviewState(), Started(), CandidateSaid("yes"))


def test_opening_discloses_the_ai_and_asks_for_consent():
    state, actions = run(InterviewState(), Started())
    assert [a.kind for a in actions] == ["disclosure", "consent_request"]
    assert "person decides" in actions[0].text
    assert state.phase == "consent"


def test_declining_consent_ends_politely_and_is_recorded():
    state, actions = run(InterviewState(), Started(), CandidateSaid("No, thanks"))
    assert RecordConsent(False) in actions
    assert Finish("declined") in actions
    assert state.phase == "declined" and state.finished
    assert not any(isinstance(a, ScoreAnswer) for a in actions)
    # Nothing more happens after the end.
    assert step(state, CandidateSaid("hello"), ROLE, SCRIPT) == (state, [])


def test_unclear_consent_is_asked_again():
    state, actions = run(InterviewState(), Started(), CandidateSaid("what is this?"))
    assert state.phase == "consent"
    assert actions[-1] == Say("consent_request", SCRIPT.consent_unclear)


def test_consent_leads_to_the_first_core_question_as_hr_wrote_it():
    state, actions = consented()
    assert RecordConsent(True) in actions
    assert actions[-1] == Say("question", ROLE.questions[0].text, "q1")
    assert state.phase == "answering"


def test_an_answer_is_scored_then_missing_points_are_probed():
    state, _ = consented()
    state, actions = run(state, CandidateSaid("Tuples are fixed."))
    assert actions == [ScoreAnswer("q1", "Tuples are fixed.")]
    state, actions = run(state, Scored(("kp-mutable",)))
    assert actions == [Probe("q1", ("kp-mutable",))]


def test_probe_limit_reached_moves_to_the_next_question():
    state, _ = consented()
    state, _ = run(state, CandidateSaid("Tuples are fixed."), Scored(("kp-mutable",)))
    state, nothing = run(state, ProbeSent("Can a list change?"))
    assert nothing == [] and state.asked[-1] == "Can a list change?"
    state, actions = run(state, CandidateSaid("Yes, lists change."))
    # The probe's answer is scored together with the first answer.
    assert actions == [ScoreAnswer("q1", "Tuples are fixed.\nYes, lists change.")]
    state, actions = run(state, Scored(("kp-hashable",)))
    assert not any(isinstance(a, Probe) for a in actions)
    # The acknowledgement carries the answer it follows (the state has moved on by then).
    said = "Tuples are fixed.\nYes, lists change."
    assert actions == [Acknowledge("q1", said), Say("question", ROLE.questions[1].text, "q2")]
    assert state.question_index == 1 and state.probes_asked == 0 and state.answers == ()


def test_no_probe_when_nothing_is_missing():
    state, _ = consented()
    state, _ = run(state, CandidateSaid("A full answer."))
    state, actions = run(state, Scored(()))
    assert actions == [
        Acknowledge("q1", "A full answer."),
        Say("question", ROLE.questions[1].text, "q2"),
    ]


@pytest.mark.parametrize("max_probes", [0, 2])
def test_max_probes_follows_the_template(max_probes):
    role = make_role(max_probes=max_probes)
    state, _ = run(InterviewState(), Started(), CandidateSaid("yes"), role=role)
    probes = 0
    for _ in range(4):
        state, actions = run(state, CandidateSaid("partial"), Scored(("kp-mutable",)), role=role)
        probes += sum(isinstance(a, Probe) for a in actions)
        if state.question_index > 0:
            break
    assert probes == max_probes


def test_empty_answer_is_reasked_once_and_never_scored():
    state, _ = consented()
    state, actions = run(state, CandidateSaid("   \n "))
    assert actions[0] == Heard("empty")  # the machine says what the message was, not the service
    assert [a.kind for a in actions[1:]] == ["reask"]
    assert ROLE.questions[0].text in actions[1].text
    assert state.phase == "answering" and state.answers == ()
    # A second empty reply moves on; still nothing scored.
    state, actions = run(state, CandidateSaid(""))
    assert not any(isinstance(a, ScoreAnswer) for a in actions)
    assert actions[0] == Heard("empty") and actions[1].kind == "skip"
    assert actions[-1] == Say("question", ROLE.questions[1].text, "q2")


def test_reask_after_an_answer_resets_for_the_next_empty_reply():
    state, _ = consented()
    state, _ = run(state, CandidateSaid(""), CandidateSaid("An answer."))
    assert state.reasked is False


def test_candidate_question_is_answered_and_the_question_repeated():
    state, _ = consented()
    before = state
    state, actions = run(state, CandidateSaid("Is this role remote?"))
    assert actions[0] == AnswerCandidate("Is this role remote?")
    assert actions[1].kind == "reminder" and ROLE.questions[0].text in actions[1].text
    assert state == before  # still waiting for the same answer; nothing scored


def test_closing_after_the_last_question():
    state, _ = consented()
    for _ in ROLE.questions:
        state, actions = run(state, CandidateSaid("answer"), Scored(()))
    assert actions[-2:] == [Say("closing", SCRIPT.closing), Finish("completed")]
    assert state.phase == "closed"


def test_every_candidate_hears_the_same_questions_in_the_same_order():
    def questions_heard(answers):
        state, heard = consented()
        for text in answers:
            state, actions = run(state, CandidateSaid(text), Scored(("kp-mutable",)))
            state, more = run(state, CandidateSaid("more"), Scored(()))
            heard += actions + more
        return [a.text for a in heard if isinstance(a, Say) and a.kind == "question"]

    first = questions_heard(["a"] * 5)
    second = questions_heard(["something quite different"] * 5)
    assert first == second == [q.text for q in ROLE.questions]


def test_state_survives_a_round_trip_through_json():
    state, _ = consented()
    state, _ = run(state, CandidateSaid("Tuples are fixed."))
    assert InterviewState.from_dict(state.to_dict()) == state


@pytest.mark.parametrize(
    "text,expected",
    [
        ("yes", True),
        ("Yes, I agree", True),
        ("ok let's start", True),
        ("no", False),
        ("I decline", False),
        ("I don't want to", False),
        ("maybe later?", None),
        ("hmm", None),
    ],
)
def test_consent_reply(text, expected):
    assert consent_reply(text) is expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Is the role remote?", True),
        ("What is the salary range?", True),
        ("Could you tell me about the team?", True),
        ("Lists are mutable, tuples are not.", False),
        ("I used Postgres. Why? Because it was reliable and well supported by the team.", False),
        ("", False),
    ],
)
def test_a_message_that_only_asks_is_never_scored(text, expected):
    from bot.core.messages import read_message

    reading = read_message(text)
    assert bool(reading.question) is expected
    assert bool(reading.answer) is (not expected and bool(text))


def test_a_question_after_an_answer_is_answered_and_the_answer_scored():
    state, _ = consented()
    state, actions = run(state, CandidateSaid("Tuples are immutable. Is the role remote?"))
    assert AnswerCandidate("Is the role remote?") in actions
    assert ScoreAnswer("q1", "Tuples are immutable.") in actions


@pytest.mark.parametrize("text,question,answer", [
    ("I built the API in Flask. By the way, which web framework and database do you use?",
     "By the way, which web framework and database do you use?", "I built the API in Flask."),
    ("The service took payments. Also, do you sponsor work visas? I am currently living in "
     "Canada.", "Also, do you sponsor work visas? I am currently living in Canada.",
     "The service took payments."),
    ("Which framework does the team use? I have used Django for five years.",
     "Which framework does the team use?", "I have used Django for five years."),
    ("How did I find the bug? I bisected the commits.", "",
     "How did I find the bug? I bisected the commits."),
    ("Do you know what I did? I rewrote it.", "", "Do you know what I did? I rewrote it."),
])  # fmt: skip
def test_a_question_anywhere_in_a_message_is_answered_and_never_scored(text, question, answer):
    state, _ = consented()
    state, actions = run(state, CandidateSaid(text))
    assert ScoreAnswer("q1", answer) in actions
    assert (AnswerCandidate(question) in actions) if question else not any(
        isinstance(a, AnswerCandidate) for a in actions
    )


def test_a_protected_disclosure_is_set_aside_answered_neutrally_and_never_scored():
    from bot.core.interview import SetAside

    state, _ = consented()
    said = "I am 52 years old, is that too old for this team?"
    state, actions = run(state, CandidateSaid(said))
    assert SetAside((said,)) in actions
    assert any(isinstance(a, Say) and a.kind == "set_aside" for a in actions)
    assert not any(isinstance(a, (ScoreAnswer, AnswerCandidate)) for a in actions)
    assert state.phase == "answering" and state.answers == ()
    state, actions = run(state, CandidateSaid("As a mother of two I plan well. Tuples are fixed."))
    assert ScoreAnswer("q1", "Tuples are fixed.") in actions


def test_the_stage_counts_core_questions_not_probes():
    from bot.core.interview import stage

    state, _ = consented()
    assert stage(state, ROLE).progress == f"Question 1 of {len(ROLE.questions)}"
    state, _ = run(state, CandidateSaid("Tuples are fixed."), Scored(("kp-mutable",)))
    assert stage(state, ROLE).progress == f"Question 1 of {len(ROLE.questions)}"
    state, _ = run(state, CandidateSaid("Lists change."), Scored(()))
    assert stage(state, ROLE).progress == f"Question 2 of {len(ROLE.questions)}"
    assert stage(InterviewState(), ROLE).progress == ""
