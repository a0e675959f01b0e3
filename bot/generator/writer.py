"""LangChain chains over a local causal LM: what the interviewer says between core questions.

The model phrases and probes; it never invents criteria, never decides, never evaluates an
answer to the candidate. Every text passes bot.generator.guards before anyone sees it; a text
that fails, or a model error, falls back to HR's own words (Question.probe_for) or a fixed
neutral sentence, and is logged. The prompt files are read in bot/generator/prompts.py, and
the model's time is shared out in bot/generator/chains.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.core.policy import ACKNOWLEDGEMENT, DEFERRAL
from bot.generator import guards
from bot.generator.chains import MEMORY_SIZE, ModelChains
from bot.generator.prompts import (
    PROMPT_VARIABLES,
    Example,
    Prompt,
    PromptFile,
    load_prompt,
    load_prompts,
)
from bot.ports import Written
from bot.roles.schema import KeyPoint, Question

if TYPE_CHECKING:
    from bot.settings import Settings

# Importable from here as before the prompts and the chains had modules of their own.
__all__ = [
    "ACKNOWLEDGEMENT",
    "ACK_ANSWER_CHARS",
    "ANSWER_CHARS",
    "DEFERRAL",
    "DRAFT_INPUT_CHARS",
    "GENERAL_PROBE",
    "MEMORY_SIZE",
    "PROMPT_VARIABLES",
    "Example",
    "ModelWriter",
    "Prompt",
    "PromptFile",
    "clip",
    "load_prompt",
    "load_prompts",
    "load_writer",
    "tidy",
]

log = logging.getLogger(__name__)

GENERAL_PROBE = "Could you say a little more about that?"
# SmolLM2-135M has a small context: the model sees at most this much of an answer.
ANSWER_CHARS = 1000
# An acknowledgement names what the answer was about: its start says that, and every
# character more is prompt the model must read before it writes a word.
ACK_ANSWER_CHARS = 300
DRAFT_INPUT_CHARS = 1500  # what a small model's context holds with room to answer

# --- cleaning what a small model writes ------------------------------------------------------

_ROLE_MARKER = re.compile(
    r"<\|im_(?:start|end)\|>|<\|endoftext\|>|</s>|\n\s*(?:user|assistant|system|human|candidate|interviewer)\s*:",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?:follow-?up(?: question)?|question|probe|interviewer|assistant|answer|response|reply)"
    r"\s*:\s*",
    re.I,
)
_QUOTES = "\"'“”‘’`"


def tidy(raw: str, *, one_question: bool = False) -> str:
    """Cut a generation at role markers or its first blank line; drop labels and wrapping quotes."""
    text = _ROLE_MARKER.split(raw, maxsplit=1)[0].strip()
    text = re.split(r"\n\s*\n", text, maxsplit=1)[0]
    text = " ".join(text.split())
    text = _LABEL.sub("", text).strip()
    if len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    if one_question and "?" in text:
        text = text[: text.index("?") + 1]
    return text


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


# --- the writer ----------------------------------------------------------------------------


class ModelWriter(ModelChains):
    """A QuestionWriter over any LangChain chat model (its chains: ModelChains), with guards
    and HR fallbacks."""

    def _written(self, name: str, text: str, **extra: Any) -> Written:
        return Written(text, "model", f"{self.version}+{self.prompts[name].label}", **extra)

    def _fallback(self, name: str, text: str, reason: str, **extra: Any) -> Written:
        # The reason's kind only: its detail quotes model text that may quote the candidate,
        # and logs outlive an erasure (the detail is kept with the turn, and erased with it).
        kind = re.sub(r":\s*['\"].*$", "", reason, flags=re.S)  # without the quoted text
        log.warning("%s: model text refused (%s); HR's words used", name, kind)
        return Written(
            text, "fallback", f"{self.version}+{self.prompts[name].label}", rejected=reason, **extra
        )

    def probe(
        self, question: Question, answer: str, missing: Sequence[KeyPoint], asked: Sequence[str]
    ) -> Written:
        """One short follow-up on the first missing key point; HR's probe if the model's fails."""
        point, hr_probe = _target(question, missing, asked)
        if point is None:
            return self._fallback("probe", hr_probe, "no missing key point to probe")
        values = {
            "question": question.text,
            "answer": clip(answer, ANSWER_CHARS),
            "topic": point.text,
            "example": hr_probe,
        }
        raw, error = self._attempt("probe", values)
        if raw is None:
            return self._fallback("probe", hr_probe, error or "model error")
        whole = tidy(raw, one_question=True)
        text = guards.question_only(whole)  # a lead-in the candidate should not hear goes
        verdict = guards.check(text, [*asked, question.text], min_questions=1, max_questions=1)
        if verdict.ok and guards.evaluates(whole):  # a verdict in the lead-in refuses it all
            verdict = guards.GuardResult(False, "evaluates the answer")
        if verdict.ok and (topic := guards.forbidden_topic(whole)):
            verdict = guards.GuardResult(False, f"protected topic: {topic}")
        if verdict.ok and (
            re.search(r"\b(?:I|my|me)\b", text)
            or guards.gives_away(text, point.text, [hr_probe, question.text, answer])
        ):
            verdict = guards.GuardResult(False, "speaks as the candidate or recites the rubric")
        if verdict.ok and not guards.on_topic(text, [point.text, hr_probe]):
            verdict = guards.GuardResult(False, "strays from the missing key point")
        covered = [
            (k.text, question.probe_for(k))
            for k in question.key_points
            if k.id not in {m.id for m in missing}
        ]
        if verdict.ok and guards.asks_for_covered(
            text, [point.text, hr_probe], covered, f"{answer} {question.text}"
        ):
            verdict = guards.GuardResult(False, "asks for a key point the answer covered")
        if not verdict.ok:
            return self._fallback("probe", hr_probe, f"{verdict.reason}: {text[:80]!r}")
        return self._written("probe", text)

    def acknowledge(self, question: Question, answer: str, asked: Sequence[str]) -> Written:
        """A short neutral acknowledgement (no judgement, no question) between core questions."""
        values = {"question": question.text, "answer": clip(answer, ACK_ANSWER_CHARS)}
        raw, error = self._attempt("acknowledge", values)
        if raw is None:
            return self._fallback("acknowledge", ACKNOWLEDGEMENT, error or "model error")
        text = tidy(raw)
        verdict = guards.check(text, [*asked, question.text], max_questions=0, max_chars=160)
        if not verdict.ok:
            return self._fallback(
                "acknowledge", ACKNOWLEDGEMENT, f"{verdict.reason}: {text[:80]!r}"
            )
        return self._written("acknowledge", text)

    def draft_questions(self, title: str, job_description: str, count: int) -> Written:
        """A raw proposal of questions, key points and anchors for HR to edit; never published."""
        values = {
            "role": title,
            "job_description": clip(job_description, DRAFT_INPUT_CHARS),
            "count": str(count),
        }
        raw, error = self._attempt("draft_questions", values)
        if raw is None:
            return self._fallback("draft_questions", "", error or "model error")
        text = raw.strip()
        if not re.search(r"^\s*Q\d*[:.]", text, re.M):
            return self._fallback(
                "draft_questions", "", f"no questions in the draft: {text[:80]!r}"
            )
        topic = guards.forbidden_topic(text)
        if topic:
            return self._fallback("draft_questions", "", f"protected topic in the draft: {topic}")
        return self._written("draft_questions", text)


def _target(
    question: Question, missing: Sequence[KeyPoint], asked: Sequence[str]
) -> tuple[KeyPoint | None, str]:
    """The missing point to probe and HR's probe for it: the first whose probe was not asked yet."""
    if not missing:
        return None, question.probes[0] if question.probes else GENERAL_PROBE
    for point in missing:
        hr_probe = question.probe_for(point)
        if not any(guards.is_near_duplicate(hr_probe, earlier) for earlier in asked):
            return point, hr_probe
    return missing[0], question.probe_for(missing[0])


def load_writer(settings: Settings) -> ModelWriter:
    """The QuestionWriter for the configured backend (bot/generator/backends.py)."""
    from bot.generator.backends import open_backend

    prompts = load_prompts(settings.system_prompts_dir)
    backend = open_backend(settings)
    return ModelWriter(
        backend.chat,
        prompts,
        backend.version,
        backend.options,
        remember=not settings.generator_do_sample,
        serial=backend.engine != "openai",
        wait_s=settings.generator_wait_s,
        child=backend.child,
        budgets={"probe": settings.probe_budget_s} if backend.engine != "transformers" else {},
    )
