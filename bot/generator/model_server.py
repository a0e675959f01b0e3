"""The model server: a GGUF on llama.cpp behind an OpenAI-compatible HTTP API, in its own process.

    python -m bot.generator.model_server --model FILE.gguf [--port P] [--threads 1] ...

The web app starts this as a supervised child (bot/generator/child.py) and talks to it with
the same OpenAI client it uses for any remote server (vLLM, Ollama, llama.cpp's own server),
so embedded and remote serving are one code path. A native fault, a hang or a memory blow-up
in llama.cpp ends this process, never the interviews.

Why not llama-cpp-python's own server: each prompt kind (acknowledge, probe, ...) starts with
a long fixed text (instructions and worked examples) that should be read once, not on every
call. Its prompt cache does that by saving whole states with their score arrays, which grew
the process to 2.3 GB (measured, 256 MB cache setting); here one llama.cpp context serves
every kind and, when the kind changes, swaps in the few megabytes of attention cache that
kind last left (keyed by the system message), so each call reads only its new tokens.
One generation at a time: on a small CPU two at once only slow each other down.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

# At module level: with postponed annotations FastAPI reads `request: Request` by name here.
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from bot import commandline

SLOTS = 8  # prompt kinds whose attention cache is kept; the product uses three


@dataclass(frozen=True)
class Saved:
    """What a prompt kind left in the context: llama.cpp's state bytes and the tokens read."""

    state: bytes
    tokens: Any  # numpy array of token ids
    n_tokens: int


class SlotModel:
    """One llama.cpp context over a GGUF, switched between prompt kinds by saved state."""

    def __init__(self, path: Path, threads: int, batch_threads: int, n_ctx: int) -> None:
        from llama_cpp import Llama

        self.llama = Llama(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=threads,
            n_threads_batch=batch_threads,
            n_batch=512,
            seed=0,
            verbose=False,
        )
        self.lock = threading.Lock()
        self.current = ""
        self.saved: OrderedDict[str, Saved] = OrderedDict()

    def _save(self) -> Saved:
        import llama_cpp

        ctx = self.llama._ctx.ctx
        size = llama_cpp.llama_state_get_size(ctx)
        buffer = (ctypes.c_uint8 * size)()
        used = llama_cpp.llama_state_get_data(ctx, buffer, size)
        n = self.llama.n_tokens
        return Saved(bytes(buffer)[:used], self.llama.input_ids[:n].copy(), n)

    def _restore(self, saved: Saved) -> None:
        import llama_cpp

        data = (ctypes.c_uint8 * len(saved.state)).from_buffer_copy(saved.state)
        if llama_cpp.llama_state_set_data(self.llama._ctx.ctx, data, len(saved.state)) != len(
            saved.state
        ):
            raise RuntimeError("llama.cpp refused a saved state")
        self.llama.input_ids[: saved.n_tokens] = saved.tokens
        self.llama.n_tokens = saved.n_tokens
        # The restored logits are not the live decode's: the next prompt re-reads at least
        # its last token (llama-cpp-python's prefix match honours this flag).
        self.llama._requires_eval = True

    def _switch(self, slot: str) -> None:
        if slot == self.current:
            return
        if self.current and self.llama.n_tokens:
            self.saved[self.current] = self._save()
            self.saved.move_to_end(self.current)
            while len(self.saved) > SLOTS:
                self.saved.popitem(last=False)
        found = self.saved.get(slot)
        if found is not None:
            self._restore(found)
        self.current = slot

    def complete(self, request: dict[str, Any]) -> dict[str, Any]:
        messages = request["messages"]
        slot = hashlib.sha256(json.dumps(messages[:1], sort_keys=True).encode()).hexdigest()
        temperature = float(request.get("temperature") or 0.0)
        stop = request.get("stop") or []
        with self.lock:
            self._switch(slot)
            reply = self.llama.create_chat_completion(
                messages=messages,
                max_tokens=int(request.get("max_tokens") or 60),
                temperature=temperature,
                top_k=1 if temperature == 0 else 40,
                top_p=float(request.get("top_p") or 0.95),
                stop=[stop] if isinstance(stop, str) else list(stop),
                seed=int(request.get("seed") or 0),
            )
        assert isinstance(reply, dict)
        reply["id"] = f"chatcmpl-{uuid.uuid4().hex}"
        reply["model"] = request.get("model") or reply.get("model", "")
        return reply


def build_app(model: SlotModel, alias: str) -> Any:
    """The HTTP face: /v1/models, /v1/chat/completions (no streaming), /health."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    started = time.time()

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "model": alias, "up_s": round(time.time() - started, 1)}

    @app.get("/v1/models")
    def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": alias, "object": "model", "owned_by": "local"}]}

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Any:
        try:
            body = await request.json()
            messages = body["messages"]
            if not isinstance(messages, list) or not messages:
                raise ValueError("messages must be a non-empty list")
        except (ValueError, KeyError, TypeError) as error:
            return JSONResponse({"error": {"message": f"bad request: {error}"}}, 400)
        if body.get("stream"):
            return JSONResponse({"error": {"message": "streaming is not served here"}}, 400)
        return await run_in_threadpool(model.complete, body)

    return app


def command(default_model: Callable[[], tuple[Path, str]] | None = None) -> click.Command:
    """The model server's command. Run alone it needs --model; `interviewer model-server`
    passes `default_model`, the configured GGUF and its name, used when --model is not given."""
    model_help = "a GGUF file"
    if default_model is not None:
        model_help += " (default: the configured one, INTERVIEWER_GENERATOR_MODEL)"

    @click.command("model-server", help=__doc__)
    @click.option("--model", type=click.Path(path_type=Path), required=default_model is None,
                  metavar="FILE", help=model_help)  # fmt: skip
    @click.option("--alias", default="", help="the model name clients send")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", type=int, default=8000, show_default=True)
    @click.option("--threads", type=int, default=1, show_default=True,
                  help="threads writing tokens")  # fmt: skip
    @click.option("--batch-threads", type=int, default=2, show_default=True,
                  help="threads reading prompts")  # fmt: skip
    @click.option("--ctx", type=int, default=2048, show_default=True,
                  help="context length in tokens")  # fmt: skip
    def serve_model(
        model: Path | None, alias: str, host: str, port: int, threads: int, batch_threads: int,
        ctx: int,
    ) -> int:  # fmt: skip
        if model is None:
            assert default_model is not None  # --model is required without it
            model, configured = default_model()
            alias = alias or configured
        import uvicorn

        slot_model = SlotModel(model, threads, batch_threads, ctx)
        app = build_app(slot_model, alias or model.stem)
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
        return 0

    return serve_model


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.generator.model_server --model FILE.gguf ...` (the app's child)."""
    return commandline.run(command(), argv, "python -m bot.generator.model_server")


if __name__ == "__main__":
    raise SystemExit(main())
