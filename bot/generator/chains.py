"""The writer's LangChain chains over a chat model, and how a turn gets the model's time.

One chain per prompt file. On a small CPU one generation runs at a time; a turn waits a bounded
while for the model, else HR's words stand; the same prompt is generated once; a call that
hangs recycles the model's process. Any failure comes back as a reason to fall back, never as
an exception: the interview goes on whatever the model does.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.core.errors import ModelBusy, TemplateError
from bot.generator.child import ModelChild, SelfTest
from bot.generator.prompts import PROMPT_VARIABLES, Prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.roles.schema import RoleTemplate

# The writer's log, whichever of its modules speaks: one name to follow and to filter on.
log = logging.getLogger("bot.generator.writer")

MEMORY_SIZE = 4096  # remembered generations; a few hundred cover every sample role
OVERRUNS, RETRY_EVERY = 3, 10  # a budgeted prompt, on a machine too slow for it


class ModelChains:
    """The prompts' chains over one chat model: serialised, remembered, failures as reasons."""

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
        budgets: Mapping[str, float] | None = None,
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
        # Seconds a prompt may take before HR's words stand ("probe": the candidate never
        # waits on phrasing). Enforced per request on chat-completion engines; 0: no model.
        self._budgets = dict(budgets or {})
        # On a machine too slow for the budget every try costs the candidate the whole budget
        # for nothing: after OVERRUNS tries in a row ran over, only every RETRY_EVERY-th is
        # tried (the machine may be less busy now), the rest are HR's words at once.
        self._overruns: dict[str, int] = {}
        self._skipped: dict[str, int] = {}

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

    def _generate(self, name: str, values: dict[str, str], budget: float | None = None) -> str:
        # Keyed by a digest: the prompt holds a candidate's answer, which an erasure must not
        # leave readable in a long-running process's memory.
        prompt = f"{name}\x00{self.prompts[name].template.format(**values)}"
        key = hashlib.blake2b(prompt.encode("utf-8", "replace"), digest_size=16).hexdigest()
        if self._remember and key in self._memory:
            return self._memory[key]
        if self._lock is None:
            text = str(self._chains[name].invoke(values))
        else:
            self._take_turn(budget)
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

    def _take_turn(self, budget: float | None = None) -> None:
        """The model, free now or after the one writing (at most `wait_s`, or the prompt's
        budget if shorter); else ModelBusy."""
        assert self._lock is not None
        if self._lock.acquire(blocking=False):
            return
        wait = self._wait_s if budget is None else min(self._wait_s or budget, budget)
        if wait > 0 and not self._queued.acquire(blocking=False):
            raise ModelBusy("the model was busy and another turn was already waiting for it")
        try:
            if not self._lock.acquire(timeout=wait if wait > 0 else -1):
                raise ModelBusy(f"the model was still busy after {wait:g}s")
        finally:
            if wait > 0:
                self._queued.release()

    def _attempt(self, name: str, values: dict[str, str]) -> tuple[str | None, str | None]:
        """(raw text, None) or (None, reason): any model failure becomes a reason to fall back."""
        down = self.child.unavailable() if self.child is not None else None
        if down is not None:
            return None, down
        budget = self._budgets.get(name)
        if budget == 0:
            return None, f"HR's words: the {name} budget is 0"
        if budget is not None and self._overruns.get(name, 0) >= OVERRUNS:
            self._skipped[name] = self._skipped.get(name, 0) + 1
            if self._skipped[name] % RETRY_EVERY:
                return None, f"HR's words: the last {OVERRUNS} tries ran over {budget:g}s"
        try:
            text = self._generate(name, values, budget)
            self._overruns[name] = 0
            return text, None
        except ModelBusy as error:  # busy with other candidates: expected under load
            log.info("%s: %s; HR's words stand", name, error)
            return None, f"busy: {error}"
        except Exception as error:  # a model can fail in many ways; the interview must go on
            if budget is not None and "Timeout" in type(error).__name__:
                log.info("%s: not written within %gs; HR's words stand", name, budget)
                self._overruns[name] = self._overruns.get(name, 0) + 1
                return None, f"over the {budget:g}s budget"
            log.warning("%s: model error", name, exc_info=True)
            if self.child is not None and "Timeout" in type(error).__name__:
                self.child.recycle(f"no reply within the timeout ({name})")
            return None, f"model error: {type(error).__name__}: {error}"
