"""The interview as a pure state machine: (state, event) -> (state, actions).

Structured interviews are the product's spine: every candidate of a role version hears the same
core questions, in the template's order, worded as HR wrote them. This module decides *what*
happens next; the service carries the actions out (scoring, phrasing probes, retrieval, storing).
Standard library only: no models, no database, no UI, and no file format. It reads a role
through the two small protocols below, which the validated templates (bot/roles/) fill.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal, Protocol, assert_never

from bot.core.messages import read_message


class AskedQuestion(Protocol):
    """What the machine reads of one core question: its id and HR's words."""

    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...


class InterviewPlan(Protocol):
    """What the machine reads of a role version: its core questions in order and how many
    probes a question may get (bot.roles.schema.RoleTemplate, validated from HR's file)."""

    @property
    def questions(self) -> Sequence[AskedQuestion]: ...

    @property
    def max_probes(self) -> int: ...


Phase = Literal["consent", "answering", "scoring", "closed", "declined"]


@dataclass(frozen=True)
class InterviewState:
    """Where one candidate's interview stands. Stored as JSON after every turn."""

    phase: Phase = "consent"
    question_index: int = 0
    probes_asked: int = 0  # for the current question
    reasked: bool = False  # the current prompt was already re-asked once after an empty reply
    answers: tuple[str, ...] = ()  # the candidate's answers to the current question (+ probes)
    asked: tuple[str, ...] = ()  # everything the interviewer asked, so nothing is asked twice
    consent_prompts: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> InterviewState:
        data = dict(data)
        data["answers"] = tuple(data.get("answers", ()))
        data["asked"] = tuple(data.get("asked", ()))
        return cls(**data)

    @property
    def finished(self) -> bool:
        return self.phase in ("closed", "declined")


# Events: what happened.
@dataclass(frozen=True)
class Started:
    """The candidate opened the interview."""


@dataclass(frozen=True)
class CandidateSaid:
    """The candidate sent a message: consent, an answer, or a question of their own."""

    text: str


@dataclass(frozen=True)
class Scored:
    """The evaluator scored the current answer; these key points are still missing."""

    missing: tuple[str, ...]


@dataclass(frozen=True)
class ProbeSent:
    """The service sent this follow-up (the model's words or HR's): never ask it again."""

    text: str


Event = Started | CandidateSaid | Scored | ProbeSent


# Actions: what the service must do, in order.
SayKind = Literal[
    "disclosure", "consent_request", "question", "reask", "skip", "closing", "declined",
    "reminder", "set_aside",
]  # fmt: skip


@dataclass(frozen=True)
class Say:
    """Say fixed text: HR's core question as written, or the product's own script."""

    kind: SayKind
    text: str
    question_id: str | None = None


@dataclass(frozen=True)
class Heard:
    """What the candidate's message was, when it is neither an answer nor a question: their
    reply to the consent request, or an empty message. Stored with that kind."""

    kind: Literal["consent", "empty"]


@dataclass(frozen=True)
class RecordConsent:
    given: bool


@dataclass(frozen=True)
class ScoreAnswer:
    """Score everything the candidate said to this question so far."""

    question_id: str
    answer: str


@dataclass(frozen=True)
class Probe:
    """Ask one follow-up aimed at key points the answer missed."""

    question_id: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Acknowledge:
    """A short neutral acknowledgement before the next question, of the answer just given
    (the state has moved on to the next question by the time it is carried out)."""

    question_id: str
    answer: str = ""


@dataclass(frozen=True)
class AnswerCandidate:
    """The candidate asked about the role or company: answer from knowledge, or defer."""

    question: str


@dataclass(frozen=True)
class SetAside:
    """The candidate said something about a protected characteristic: keep it out of every
    score, tell them it plays no part, and mark it for the recruiter as not to be considered."""

    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Finish:
    status: Literal["completed", "declined"]


Action = (
    Heard | Say | RecordConsent | ScoreAnswer | Probe | Acknowledge | AnswerCandidate | SetAside
    | Finish
)  # fmt: skip


@dataclass(frozen=True)
class Script:
    """The product's own words around HR's questions (from prompts/system/script.yaml)."""

    disclosure: str
    consent_request: str
    consent_unclear: str
    declined: str
    reask: str
    skip: str
    reminder: str
    closing: str
    set_aside: str  # after a protected characteristic was mentioned
    # Said between questions, one per core question in turn: neutral, never about the answer.
    acknowledgements: tuple[str, ...] = ()

    def acknowledgement(self, number: int) -> str:
        """The line said after core question `number` (0-based); the same for everyone."""
        lines = self.acknowledgements or ("Thank you. Let's move on.",)
        return lines[number % len(lines)]


_YES = re.compile(
    r"^\s*(yes|y|yeah|yep|sure|ok|okay|i agree|agree|i consent|i do"
    r"|let'?s (go|start|begin)|start|continue)\b",
    re.I,
)
_NO = re.compile(r"^\s*(no|n|nope|i decline|decline|i do not|i don'?t|not now|stop)\b", re.I)


def consent_reply(text: str) -> bool | None:
    """True for a clear yes, False for a clear no, None when unclear."""
    if _NO.match(text):
        return False
    if _YES.match(text):
        return True
    return None


def step(
    state: InterviewState, event: Event, role: InterviewPlan, script: Script
) -> tuple[InterviewState, list[Action]]:
    """Advance the interview by one event. Pure: same input, same output."""
    if state.finished:
        return state, []
    match event:
        case Started():
            return _start(state, script)
        case CandidateSaid(text=text):
            if state.phase == "consent":
                moved, actions = _on_consent(state, text, role, script)
                return moved, [Heard("consent"), *actions]
            if state.phase == "answering":
                return _on_message(state, text, role, script)
            return state, []  # "scoring": the service feeds Scored before more text
        case Scored(missing=missing):
            if state.phase != "scoring":
                return state, []
            return _on_scored(state, missing, role, script)
        case ProbeSent(text=text):
            return replace(state, asked=(*state.asked, text)), []
        case _:
            assert_never(event)


def _start(state: InterviewState, script: Script) -> tuple[InterviewState, list[Action]]:
    return replace(state, consent_prompts=1), [
        Say("disclosure", script.disclosure),
        Say("consent_request", script.consent_request),
    ]


def _on_consent(
    state: InterviewState, text: str, role: InterviewPlan, script: Script
) -> tuple[InterviewState, list[Action]]:
    given = consent_reply(text)
    if given is None:
        return replace(state, consent_prompts=state.consent_prompts + 1), [
            Say("consent_request", script.consent_unclear)
        ]
    if not given:
        return replace(state, phase="declined"), [
            RecordConsent(False),
            Say("declined", script.declined),
            Finish("declined"),
        ]
    first = role.questions[0]
    return replace(state, phase="answering", asked=(first.text,)), [
        RecordConsent(True),
        Say("question", first.text, first.id),
    ]


def _on_message(
    state: InterviewState, text: str, role: InterviewPlan, script: Script
) -> tuple[InterviewState, list[Action]]:
    question = role.questions[state.question_index]
    if not text.strip():
        if state.reasked:
            # Asked twice with no answer: move on rather than trap the candidate.
            moved, then = _next_question(state, role, script)
            return moved, [Heard("empty"), Say("skip", script.skip, question.id), *then]
        prompt = state.asked[-1] if state.asked else question.text
        return replace(state, reasked=True), [
            Heard("empty"),
            Say("reask", f"{script.reask}\n\n{prompt}", question.id),
        ]
    reading = read_message(text)
    prompt = state.asked[-1] if state.asked else question.text
    actions: list[Action] = []
    if reading.set_aside:
        actions += [SetAside(reading.set_aside), Say("set_aside", script.set_aside, question.id)]
    if reading.question:
        actions.append(AnswerCandidate(reading.question))
    if not reading.answer:  # nothing to score: ask again, in HR's words
        return state, [*actions, Say("reminder", f"{script.reminder}\n\n{prompt}", question.id)]
    answers = (*state.answers, reading.answer)
    return replace(state, phase="scoring", answers=answers, reasked=False), [
        *actions,
        ScoreAnswer(question.id, "\n".join(answers)),
    ]


def _on_scored(
    state: InterviewState, missing: tuple[str, ...], role: InterviewPlan, script: Script
) -> tuple[InterviewState, list[Action]]:
    question = role.questions[state.question_index]
    if missing and state.probes_asked < role.max_probes:
        return replace(state, phase="answering", probes_asked=state.probes_asked + 1), [
            Probe(question.id, missing)
        ]
    moved, actions = _next_question(state, role, script)
    if moved.phase == "closed":
        return moved, actions
    return moved, [Acknowledge(question.id, "\n".join(state.answers)), *actions]


def _next_question(
    state: InterviewState, role: InterviewPlan, script: Script
) -> tuple[InterviewState, list[Action]]:
    index = state.question_index + 1
    if index >= len(role.questions):
        closed = replace(state, phase="closed", answers=(), probes_asked=0, reasked=False)
        return closed, [Say("closing", script.closing), Finish("completed")]
    nxt = role.questions[index]
    moved = replace(
        state,
        phase="answering",
        question_index=index,
        probes_asked=0,
        reasked=False,
        answers=(),
        asked=(*state.asked, nxt.text),
    )
    return moved, [Say("question", nxt.text, nxt.id)]


@dataclass(frozen=True)
class Stage:
    """What the candidate's page shows: where the interview is, and how far along."""

    phase: Phase
    question_number: int  # 1-based number of the core question being answered (0 before)
    questions: int  # core questions in this role version

    @property
    def progress(self) -> str:
        """'Question 3 of 6' while answering; probes do not count."""
        if self.phase in ("answering", "scoring") and self.question_number:
            return f"Question {self.question_number} of {self.questions}"
        return ""


def stage(state: InterviewState, role: InterviewPlan) -> Stage:
    """The stage the UI shows for a state (it never re-derives it from messages)."""
    number = state.question_index + 1 if state.phase in ("answering", "scoring") else 0
    return Stage(state.phase, number, len(role.questions))
