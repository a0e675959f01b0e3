"""The writer over a fake chat model: guarded model text goes out, else HR's own words."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from bot.core.errors import TemplateError
from bot.generator.writer import (
    ACKNOWLEDGEMENT,
    PROMPT_VARIABLES,
    ModelWriter,
    load_prompt,
    load_prompts,
    tidy,
)
from bot.ports import Snippet
from bot.roles.schema import Question
from tests.unit.roles import make_role

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts" / "system"

QUESTION = Question.model_validate(
    {
        "id": "q-testing",
        "competency": "python",
        "text": "How do you test a Python web service before it goes to production?",
        "reference_answer": "Unit tests, integration tests against a real database, CI.",
        "key_points": [
            {"id": "kp-unit", "text": "Writes unit tests with pytest"},
            {
                "id": "kp-db",
                "text": "Tests against a real database",
                "probe": "How do you test the parts that talk to the database?",
            },
            {"id": "kp-ci", "text": "Runs the tests in CI on every change"},
        ],
        "anchors": {"1": "No tests.", "3": "Unit tests only.", "5": "Unit, database and CI."},
        "probes": ["Could you give an example?"],
    }
)
ANSWER = "I write unit tests with pytest for the views and mock the rest."
HR_PROBE = "How do you test the parts that talk to the database?"
SNIPPETS = (
    Snippet("Everyone gets 25 days of paid holiday a year.", "company/benefits.md", "Holiday"),
    Snippet("The team works from the Lyon office two days a week.", "jobs/test.md", "Where"),
)


class Exploding(FakeListChatModel):
    """A chat model that fails the way a real one can (out of memory, bad input, ...)."""

    def _call(self, *args, **kwargs):  # type: ignore[override]
        raise RuntimeError("model crashed")


def writer(*responses: str) -> ModelWriter:
    model = FakeListChatModel(responses=list(responses)) if responses else Exploding(responses=[])
    return ModelWriter(model, load_prompts(PROMPTS_DIR), "fake-model@1")


def test_a_guarded_model_probe_is_used():
    out = writer("Which of your tests talk to a real database?").probe(
        QUESTION, ANSWER, QUESTION.key_points[1:], [QUESTION.text]
    )
    assert (out.text, out.source, out.rejected) == (
        "Which of your tests talk to a real database?",
        "model",
        None,
    )
    assert out.model_version == "fake-model@1+probe.v2"


@pytest.mark.parametrize(
    ("model_text", "reason"),
    [
        ("Great answer! How do you test the database?", "evaluates the answer"),
        ("Do your kids ever help you test the database?", "forbidden topic: family"),
        ("How do you test a Python web service before it goes to production?", "repeats"),
        ("I think tests against a real database matter.", "is not a question"),
        ("How do you deploy the service to production servers?", "strays from the missing"),
        ("As an AI, how would you test the database?", "leaks prompt or role tokens"),
    ],
)
def test_a_probe_that_fails_a_guard_falls_back_to_hr_and_is_logged(model_text, reason, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.generator.writer"):
        out = writer(model_text).probe(QUESTION, ANSWER, QUESTION.key_points[1:], [QUESTION.text])
    assert (out.text, out.source) == (HR_PROBE, "fallback")
    assert out.rejected is not None and reason in out.rejected
    assert reason in caplog.text


def test_a_model_error_falls_back_to_hr_and_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.generator.writer"):
        out = writer().probe(QUESTION, ANSWER, QUESTION.key_points[1:], [QUESTION.text])
    assert (out.text, out.source) == (HR_PROBE, "fallback")
    assert out.rejected == "model error: RuntimeError: model crashed"
    assert "model crashed" in caplog.text


def test_the_probe_targets_a_point_whose_hr_probe_was_not_asked_yet():
    asked = [QUESTION.text, HR_PROBE]
    out = writer().probe(QUESTION, ANSWER, QUESTION.key_points[1:], asked)
    assert out.text == "Could you give an example?"  # kp-ci has no probe of its own


def test_junk_around_a_good_probe_is_trimmed_before_the_guards():
    raw = '"Which of your tests use a real database? And why?"\n\nUser: thanks'
    out = writer(raw).probe(QUESTION, ANSWER, QUESTION.key_points[1:], [QUESTION.text])
    assert (out.text, out.source) == ("Which of your tests use a real database?", "model")


def test_a_neutral_acknowledgement_is_used():
    out = writer("Thank you, let's go on to the next question.").acknowledge(QUESTION, ANSWER, [])
    assert (out.text, out.source) == ("Thank you, let's go on to the next question.", "model")


@pytest.mark.parametrize(
    "model_text",
    [
        "I'm glad to hear that you're using pytest.",
        "Thanks! What else do you test?",
        "Excellent, that covers it.",
    ],
)
def test_a_judging_or_questioning_acknowledgement_falls_back(model_text):
    out = writer(model_text).acknowledge(QUESTION, ANSWER, [])
    assert (out.text, out.source) == (ACKNOWLEDGEMENT, "fallback")


def test_an_acknowledgement_survives_a_model_error():
    out = writer().acknowledge(QUESTION, ANSWER, [])
    assert (out.text, out.source) == (ACKNOWLEDGEMENT, "fallback")


def test_tidy_cuts_role_markers_blank_lines_labels_and_quotes():
    assert tidy("Follow-up question: “How?”<|im_end|>junk") == "How?"
    assert tidy("How do you test it?\n\nAssistant: more") == "How do you test it?"
    assert tidy("How is it built? Why?", one_question=True) == "How is it built?"


def test_every_shipped_prompt_loads():
    prompts = load_prompts(PROMPTS_DIR)
    assert set(prompts) == set(PROMPT_VARIABLES)
    assert all(p.version >= 1 for p in prompts.values())


def test_an_undefined_variable_names_the_file_line_and_variable(tmp_path):
    path = tmp_path / "probe.yaml"
    path.write_text("version: 1\nsystem: Be brief.\nuser: |-\n  Ask about {topik}\n")
    with pytest.raises(TemplateError) as error:
        load_prompt(path, PROMPT_VARIABLES["probe"])
    assert f"{path}:4: undefined variable 'topik'" in str(error.value)


def test_an_unknown_key_names_the_file_line_and_key(tmp_path):
    path = tmp_path / "probe.yaml"
    path.write_text("version: 1\nsystem: Be brief.\nuser: Ask.\ntemprature: 0.2\n")
    with pytest.raises(TemplateError) as error:
        load_prompt(path, PROMPT_VARIABLES["probe"])
    assert f"{path}:4: temprature: Extra inputs are not permitted" in str(error.value)


def test_a_missing_prompt_file_says_how_to_restore_it(tmp_path):
    with pytest.raises(TemplateError, match="restore prompts/system/probe.yaml from git"):
        load_prompts(tmp_path)


class Counting(FakeListChatModel):
    """Counts the calls that reach the model."""

    calls: int = 0

    def _call(self, *args, **kwargs):  # type: ignore[override]
        object.__setattr__(self, "calls", self.calls + 1)
        return super()._call(*args, **kwargs)


def test_deterministic_generations_are_remembered_per_prompt():
    model = Counting(responses=["Thank you for explaining that."] * 5)
    w = ModelWriter(model, load_prompts(PROMPTS_DIR), "fake")
    role = make_role()
    first = w.acknowledge(role.questions[0], "an answer", ())
    again = w.acknowledge(role.questions[0], "an answer", ())  # a re-sent turn, a retry
    assert first.text == again.text and model.calls == 1
    w.acknowledge(role.questions[0], "a different answer", ())
    assert model.calls == 2  # the prompt reads the answer: another answer, another prompt
    w.acknowledge(role.questions[1], "an answer", ())
    assert model.calls == 3  # another question is another prompt


def test_sampling_turns_remembering_off():
    model = Counting(responses=["Thank you."] * 5)
    w = ModelWriter(model, load_prompts(PROMPTS_DIR), "fake", remember=False)
    q = make_role().questions[0]
    w.acknowledge(q, "a", ())
    w.acknowledge(q, "a", ())
    assert model.calls == 2


DRAFT = """Q: How have you designed a REST API for other teams?
Key points: versioning; error handling; documentation
Level 1: no design choices
Level 3: some choices
Level 5: clear trade-offs"""


def test_a_draft_with_questions_is_returned_for_hr_to_edit():
    out = writer(DRAFT).draft_questions("Backend Engineer", "We build APIs in Python.", 5)
    assert out.source == "model" and out.text.startswith("Q: How have you designed")


@pytest.mark.parametrize(
    "model_text,reason",
    [("I cannot help with that.", "no questions"),
     ("Q: How old are you and do you plan to start a family?", "protected topic")],
)
def test_an_unusable_draft_is_refused(model_text, reason):
    out = writer(model_text).draft_questions("Backend Engineer", "We build APIs.", 5)
    assert out.source == "fallback" and reason in out.rejected


def test_a_model_busy_past_the_wait_gives_hr_words_and_a_free_one_writes():
    model = FakeListChatModel(responses=["Thank you for walking me through it."])
    w = ModelWriter(model, load_prompts(PROMPTS_DIR), "fake", wait_s=0.05)
    w._lock.acquire()  # another candidate's generation holds the model
    try:
        busy = w.acknowledge(QUESTION, ANSWER, [QUESTION.text])
        started = time.perf_counter()
        again = w.acknowledge(QUESTION, "Another answer.", [QUESTION.text])
        waited = time.perf_counter() - started  # the first left the queue: this one waits too
    finally:
        w._lock.release()
    assert busy.source == "fallback" and busy.rejected.startswith("busy:")
    assert again.rejected.startswith("busy: the model was still busy") and waited >= 0.05
    assert w.acknowledge(QUESTION, ANSWER, [QUESTION.text]).source == "model"


def test_a_model_server_is_not_serialised_here():
    model = FakeListChatModel(responses=["Thank you for that."])
    w = ModelWriter(model, load_prompts(PROMPTS_DIR), "fake", serial=False)
    assert w._lock is None and w.acknowledge(QUESTION, ANSWER, [QUESTION.text]).source == "model"


def test_a_third_turn_does_not_queue_behind_two_it_gets_hr_words_at_once():
    model = FakeListChatModel(responses=["Thank you for that."])
    w = ModelWriter(model, load_prompts(PROMPTS_DIR), "fake", wait_s=5.0)
    w._lock.acquire()  # one turn writing
    w._queued.acquire()  # one turn waiting for it
    started = time.perf_counter()
    try:
        out = w.acknowledge(QUESTION, ANSWER, [QUESTION.text])
    finally:
        w._queued.release()
        w._lock.release()
    assert out.rejected.startswith("busy:") and time.perf_counter() - started < 1.0


class _SlowServer(FakeListChatModel):
    """A model server that did not answer within the request's timeout."""

    def _call(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        class APITimeoutError(Exception):
            pass

        raise APITimeoutError("Request timed out.")


def test_a_probe_over_its_budget_asks_hr_words_and_the_model_process_is_kept():
    recycled = []

    class Child:
        def unavailable(self):
            return None

        def recycle(self, why):
            recycled.append(why)

    w = ModelWriter(_SlowServer(responses=["x"]), load_prompts(PROMPTS_DIR), "fake",
                    child=Child(), budgets={"probe": 1.0})  # type: ignore[arg-type]  # fmt: skip
    out = w.probe(QUESTION, ANSWER, QUESTION.key_points[1:], [QUESTION.text])
    assert out.source == "fallback" and out.rejected == "over the 1s budget"
    assert out.text == QUESTION.probe_for(QUESTION.key_points[1])
    assert recycled == []  # a slow rephrasing is not a hung model
    w.acknowledge(QUESTION, ANSWER, [QUESTION.text])  # no budget: a timeout is a hang
    assert len(recycled) == 1


def test_with_no_probe_budget_the_model_is_not_asked():
    model = FakeListChatModel(responses=["Which of your tests talk to a real database?"])
    w = ModelWriter(model, load_prompts(PROMPTS_DIR), "fake", budgets={"probe": 0})
    out = w.probe(QUESTION, ANSWER, QUESTION.key_points[1:], [QUESTION.text])
    assert out.source == "fallback" and "budget is 0" in (out.rejected or "")
    assert model.i == 0


def test_a_machine_too_slow_for_the_probe_budget_stops_costing_candidates_the_wait():
    from bot.generator.chains import OVERRUNS, RETRY_EVERY

    calls = []

    class Slow(_SlowServer):
        def _call(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            return super()._call(*args, **kwargs)

    w = ModelWriter(Slow(responses=["x"]), load_prompts(PROMPTS_DIR), "fake",
                    budgets={"probe": 1.0})  # fmt: skip
    outs = [w.probe(QUESTION, ANSWER, QUESTION.key_points[1:], [QUESTION.text])
            for _ in range(OVERRUNS + RETRY_EVERY)]  # fmt: skip
    assert all(o.source == "fallback" for o in outs)
    assert len(calls) == OVERRUNS + 1  # then only every RETRY_EVERY-th is tried
    assert f"last {OVERRUNS} tries ran over" in (outs[OVERRUNS].rejected or "")
