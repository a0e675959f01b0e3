"""LangChain chains over a local causal LM: what the interviewer says between core questions.

The model phrases and probes; it never invents criteria, never decides, never evaluates an
answer to the candidate. Every text passes bot.generator.guards before anyone sees it; a text
that fails, or a model error, falls back to HR's own words (Question.probe_for) or a fixed
neutral sentence, and is logged.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.core.errors import ModelBusy, TemplateError
from bot.core.policy import ACKNOWLEDGEMENT, DEFERRAL
from bot.core.templates.schema import KeyPoint, Question, RoleTemplate
from bot.generator import guards
from bot.generator.child import ModelChild, SelfTest
from bot.knowledge.answers import answer_from
from bot.ports import Snippet, Written

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.prompts import ChatPromptTemplate

    from bot.settings import Settings

log = logging.getLogger(__name__)

GENERAL_PROBE = "Could you say a little more about that?"
# SmolLM2-135M has a small context: the model sees at most this much of an answer.
ANSWER_CHARS = 1000
# An acknowledgement names what the answer was about: its start says that, and every
# character more is prompt the model must read before it writes a word.
ACK_ANSWER_CHARS = 300

# Each prompt file and the variables the code fills in; a template naming any other is an error.
DRAFT_INPUT_CHARS = 1500  # what a small model's context holds with room to answer
MEMORY_SIZE = 4096  # remembered generations; a few hundred cover every sample role

PROMPT_VARIABLES: dict[str, frozenset[str]] = {
    "probe": frozenset({"question", "answer", "topic", "example"}),
    "acknowledge": frozenset({"question", "answer"}),
    "draft_questions": frozenset({"role", "job_description", "count"}),
}


class Example(BaseModel):
    """One worked exchange shown to the model before the real one (small models need them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str = Field(min_length=1)
    assistant: str = Field(min_length=1)


class PromptFile(BaseModel):
    """One prompts/system/<name>.yaml file, as HR or an engineer may edit it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    system: str = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)
    user: str = Field(min_length=1)


@dataclass(frozen=True)
class Prompt:
    """A validated prompt template and where it came from."""

    name: str
    path: Path
    version: int
    template: ChatPromptTemplate

    @property
    def label(self) -> str:
        return f"{self.name}.v{self.version}"


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def load_prompt(path: Path, allowed: frozenset[str]) -> Prompt:
    """Read and check one prompt file: known keys only, and only the variables the code fills in."""
    from langchain_core.prompts import ChatPromptTemplate

    try:
        raw = path.read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except OSError as error:
        raise TemplateError(
            f"{path}: cannot read ({error.strerror}); restore it from git"
        ) from error
    except yaml.YAMLError as error:
        raise TemplateError(f"{path}: not valid YAML: {error}") from error
    try:
        spec = PromptFile.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            key = ".".join(str(p) for p in item["loc"]) or "(file)"
            problems.append(
                f"{path}:{_line_of(raw, f'{key}:')}: {key}: {item['msg']} "
                f"(allowed keys: version, system, examples, user)"
            )
        raise TemplateError(problems) from error
    try:
        shots = [
            turn for ex in spec.examples for turn in (("human", ex.user), ("ai", ex.assistant))
        ]
        template = ChatPromptTemplate.from_messages(
            [("system", spec.system), *shots, ("human", spec.user)], template_format="f-string"
        )
    except (ValueError, KeyError) as error:
        raise TemplateError(
            f"{path}: cannot parse the template ({error}); write a literal brace as {{{{ or }}}}"
        ) from error
    unknown = sorted(set(template.input_variables) - allowed)
    if unknown:
        raise TemplateError(
            [
                f"{path}:{_line_of(raw, '{' + name + '}')}: undefined variable '{name}' "
                f"(allowed: {', '.join(sorted(allowed))})"
                for name in unknown
            ]
        )
    return Prompt(path.stem, path, spec.version, template)


def load_prompts(directory: Path) -> dict[str, Prompt]:
    """The generator's prompt templates from `directory` (settings.system_prompts_dir)."""
    prompts = {}
    for name, allowed in PROMPT_VARIABLES.items():
        path = directory / f"{name}.yaml"
        if not path.is_file():
            raise TemplateError(f"{path}: missing; restore prompts/system/{name}.yaml from git")
        prompts[name] = load_prompt(path, allowed)
    return prompts


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


class ModelWriter:
    """A QuestionWriter over any LangChain chat model, with guards and HR fallbacks."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompts: Mapping[str, Prompt],
        version: str,
        call_options: Mapping[str, Mapping[str, Any]] | None = None,
        remember: bool = True,
        serial: bool = True,
        wait_s: float = 0.0,
        child: ModelChild | None = None,
    ):
        """`call_options[name]` is bound to the chat model for that prompt (token budget, stops).

        With deterministic decoding the same prompt always yields the same text, so `remember`
        keeps each generation: HR's probes and questions repeat across candidates, and on two
        CPU cores a generation costs seconds.
        """
        from langchain_core.output_parsers import StrOutputParser

        missing = sorted(set(PROMPT_VARIABLES) - set(prompts))
        if missing:
            raise TemplateError(f"prompts missing for the writer: {missing}")
        self.version = version
        self.prompts = dict(prompts)
        options = call_options or {}
        self._chains = {
            name: p.template | chat_model.bind(**options.get(name, {})) | StrOutputParser()
            for name, p in prompts.items()
        }

        self._remember = remember
        self._memory: dict[str, str] = {}
        self._memory_lock = threading.Lock()
        # One generation at a time in this process (`serial`): two at once on a small CPU only
        # slow each other down. A model server batches concurrent requests itself: no lock.
        # A turn waits at most `wait_s` (> 0) for the model, then HR's words stand (ModelBusy).
        # Only one turn queues behind the one writing; a third gets HR's words at once rather
        # than wait for both (the model stays busy, and no candidate waits on phrasing).
        self._lock = threading.Lock() if serial else None
        self._wait_s = wait_s
        self._queued = threading.Semaphore(1)
        # The model's own process (llama.cpp engine): while it (re)starts, or after a failed
        # self-test, HR's words stand at once; a call that hangs ends it (it is restarted).
        self.child = child

    def self_test(self) -> SelfTest | None:
        """One long prompt through the model's process; a failure turns the model off in this
        process (HR's words from then on) and says why. None: no model process to test."""
        if self.child is None:
            return None
        result = self.child.self_test(self.version)
        if not result.ok:
            self.child.turn_off(result.detail)
        return result

    def close(self) -> None:
        """Stop the model's process, if this writer started one."""
        if self.child is not None:
            self.child.close()

    def _generate(self, name: str, values: dict[str, str]) -> str:
        # Keyed by a digest: the prompt holds a candidate's answer, which an erasure must not
        # leave readable in a long-running process's memory.
        prompt = f"{name}\x00{self.prompts[name].template.format(**values)}"
        key = hashlib.blake2b(prompt.encode("utf-8", "replace"), digest_size=16).hexdigest()
        if self._remember and key in self._memory:
            return self._memory[key]
        if self._lock is None:
            text = str(self._chains[name].invoke(values))
        else:
            self._take_turn()
            try:
                text = str(self._chains[name].invoke(values))
            finally:
                self._lock.release()
        if self._remember:
            with self._memory_lock:  # turns on a model server write here at the same time
                if len(self._memory) >= MEMORY_SIZE:
                    self._memory.pop(next(iter(self._memory)), None)
                self._memory[key] = text
        return text

    def warm(self, roles: Sequence[RoleTemplate], stop: threading.Event | None = None) -> int:
        """Read each turn prompt's fixed start (instructions, worked examples) once, before
        the first candidate: llama.cpp keeps what a prompt's context last read, so later turns
        read only the question and the answer. Returns the prompts warmed."""
        count = 0
        for name in ("acknowledge", "probe"):
            if stop is not None and stop.is_set():
                break
            self._attempt(name, {v: "-" for v in PROMPT_VARIABLES[name]})
            count += 1
        return count

    def _take_turn(self) -> None:
        """The model, free now or after the one writing (at most `wait_s`); else ModelBusy."""
        assert self._lock is not None
        if self._lock.acquire(blocking=False):
            return
        if self._wait_s > 0 and not self._queued.acquire(blocking=False):
            raise ModelBusy("the model was busy and another turn was already waiting for it")
        try:
            if not self._lock.acquire(timeout=self._wait_s if self._wait_s > 0 else -1):
                raise ModelBusy(f"the model was still busy after {self._wait_s:g}s")
        finally:
            if self._wait_s > 0:
                self._queued.release()

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

    def _attempt(self, name: str, values: dict[str, str]) -> tuple[str | None, str | None]:
        """(raw text, None) or (None, reason): any model failure becomes a reason to fall back."""
        down = self.child.unavailable() if self.child is not None else None
        if down is not None:
            return None, down
        try:
            return self._generate(name, values), None
        except ModelBusy as error:  # busy with other candidates: expected under load
            log.info("%s: %s; HR's words stand", name, error)
            return None, f"busy: {error}"
        except Exception as error:  # a model can fail in many ways; the interview must go on
            log.warning("%s: model error", name, exc_info=True)
            if self.child is not None and "Timeout" in type(error).__name__:
                self.child.recycle(f"no reply within the timeout ({name})")
            return None, f"model error: {type(error).__name__}: {error}"

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

    def answer_question(
        self, role: RoleTemplate, question: str, context: Sequence[Snippet]
    ) -> Written:
        return answer_from_documents(question, context)

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


def answer_from_documents(question: str, context: Sequence[Snippet]) -> Written:
    """Quote the documents' passage that answers the question, with its source; else defer
    to the recruiter. Facts never come from the model (bot/knowledge/answers.py)."""
    found = answer_from(question, context)
    if found is None:
        reason = "no passage answers the question"
        return Written(DEFERRAL, "fallback", "documents", rejected=reason)
    return Written(found.text, "documents", "documents", sources=(found.snippet,))


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
    )
