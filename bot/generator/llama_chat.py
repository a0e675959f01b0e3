"""A LangChain chat model over llama.cpp in this process (`llama-cpp-python`, GGUF read natively).

Why llama.cpp: on two CPU cores the quantised Qwen2.5-Coder-0.5B decodes 44 tokens a second
(its Q4_K_M weights are 0.49 GB to read per token: the memory bandwidth allows 84), where
transformers in float32 manages ~5. The chat template is the one in the GGUF's metadata.
One llama.cpp context serves one generation at a time, so calls are serialised here. Each
prompt kind (`slot`: probe, acknowledge, ...) gets its own context over the same memory-mapped
weights: a context keeps the tokens it last read, so the long fixed start of its prompt (the
instructions and worked examples) is read once, not on every call. Each context costs about
100 MB beyond the shared weights. No token streaming: every text is guarded whole before a
candidate sees it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, PrivateAttr

from bot.core.errors import ModelBusy, ModelError

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def _as_dicts(messages: Sequence[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]


class LlamaCppChat(BaseChatModel):
    """`model_path` a GGUF file; deterministic (greedy) unless `temperature` > 0."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    model_name: str
    n_ctx: int = 2048
    n_threads: int = 2
    max_tokens: int = 60
    temperature: float = 0.0
    wait_s: float = 0.0  # > 0: ModelBusy when other calls hold the model longer than this
    _contexts: dict[str, Any] = PrivateAttr(default_factory=dict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def model_post_init(self, context: Any) -> None:
        if not Path(self.model_path).is_file():
            raise ModelError(f"GGUF file {self.model_path} does not exist")
        # Fail at start-up, not at a candidate's first answer; the context every turn uses.
        self._context("acknowledge")

    def _context(self, slot: str) -> Any:
        if slot in self._contexts:
            return self._contexts[slot]
        try:
            from llama_cpp import Llama
        except ImportError as error:
            raise ModelError(
                "the llama.cpp engine needs llama-cpp-python; run `make setup` (it builds it "
                "once), or set INTERVIEWER_GENERATOR_ENGINE=transformers"
            ) from error
        try:
            llama = Llama(
                model_path=self.model_path,
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                n_batch=512,
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError) as error:
            raise ModelError(f"llama.cpp could not load {self.model_path}: {error}") from error
        self._contexts[slot] = llama
        return llama

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """The model, once the calls before this one are done (or ModelBusy past wait_s)."""
        if not self._lock.acquire(timeout=self.wait_s if self.wait_s > 0 else -1):
            raise ModelBusy(f"the model was still busy after {self.wait_s:g}s")
        try:
            yield
        finally:
            self._lock.release()

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-in-process"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "n_ctx": self.n_ctx, "n_threads": self.n_threads}

    def _options(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {
            "max_tokens": int(kwargs.get("max_tokens", self.max_tokens)),
            "temperature": float(kwargs.get("temperature", self.temperature)),
            "top_k": 1 if float(kwargs.get("temperature", self.temperature)) == 0 else 40,
            "stop": list(stop or kwargs.get("stop") or []),
            "seed": 0,
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        slot = str(kwargs.pop("slot", "default"))
        with self._turn():
            reply = self._context(slot).create_chat_completion(
                messages=_as_dicts(messages), **self._options(stop, kwargs)
            )
        text = reply["choices"][0]["message"].get("content") or ""
        usage = reply.get("usage", {})
        message = AIMessage(content=text, response_metadata={"usage": usage})
        return ChatResult(generations=[ChatGeneration(message=message)])
