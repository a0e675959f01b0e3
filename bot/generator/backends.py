"""The generator's backends behind one port: a LangChain chat model, its version, its bounds.

- embedded / llama:        llama.cpp over a GGUF (the packaged Qwen by default) in a child
                           process the app supervises (bot/generator/child.py), spoken to
                           through the same OpenAI client as a remote server
- embedded / transformers: any AutoModelForCausalLM folder or hub name (GPT-Neo, SmolLM2), in
                           this process
- openai:                  any OpenAI-compatible server (vLLM, llama.cpp server, Ollama, or
                           `interviewer model-server` on another machine)

Whatever the backend, the writer (bot/generator/writer.py) uses the same prompts and guards,
and falls back to HR's words when a call fails or times out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from bot.core.errors import ModelError
from bot.generator.child import ModelChild, SelfTest, python_command
from bot.generator.gguf import PACKAGED_QWEN, QWEN_VERSION, qwen_gguf
from bot.generator.models import PACKAGED_GENERATOR, SMOLLM2_VERSION, Progress, smollm2_gguf

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.settings import Settings


@dataclass(frozen=True)
class Backend:
    """A chat model and, per prompt name, the options bound for that prompt (length, stops)."""

    chat: BaseChatModel
    version: str
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    engine: str = ""
    child: ModelChild | None = None  # the supervised model process, for the llama engine


def engine_for(settings: Settings) -> str:
    """'llama' or 'transformers' for the embedded backend; refuses combinations that cannot run."""
    name = settings.generator_model.strip()
    wanted = settings.generator_engine
    if name == PACKAGED_QWEN or name.endswith(".gguf"):
        if wanted == "transformers":
            raise ModelError(
                f"generator model '{name}' is a GGUF file, which the transformers engine does "
                "not run here; set INTERVIEWER_GENERATOR_ENGINE=llama (or auto)"
            )
        return "llama"
    if wanted == "llama" and name != PACKAGED_GENERATOR:
        raise ModelError(
            f"the llama engine reads GGUF files; '{name}' is not one. Set "
            "INTERVIEWER_GENERATOR_MODEL to a .gguf file or 'qwen2.5-coder-0.5b', or "
            "INTERVIEWER_GENERATOR_ENGINE=transformers"
        )
    return "llama" if wanted == "llama" else "transformers"


def prepare_model(settings: Settings, progress: Progress | None = None) -> str:
    """Put the embedded model's files in place (assemble or convert once); says what it did."""
    if settings.generator_backend == "openai":
        return f"model server {settings.generator_base_url or '(no URL set)'}"
    if engine_for(settings) == "llama":
        return str(_gguf_path(settings, progress))
    from bot.generator.models import prepare_generator

    return str(prepare_generator(settings, progress))


def _gguf_path(settings: Settings, progress: Progress | None = None) -> Path:
    name = settings.generator_model.strip()
    if name == PACKAGED_QWEN:
        return qwen_gguf(settings.model_cache_dir, progress)
    if name == PACKAGED_GENERATOR:
        return smollm2_gguf()
    path = Path(name).expanduser()
    if not path.is_file():
        raise ModelError(
            f"GGUF file {path} does not exist; set INTERVIEWER_GENERATOR_MODEL to an existing "
            "file, or to 'qwen2.5-coder-0.5b' for the packaged default"
        )
    return path


def _gguf_version(settings: Settings, path: Path) -> str:
    name = settings.generator_model.strip()
    if name == PACKAGED_QWEN:
        return QWEN_VERSION
    if name == PACKAGED_GENERATOR:
        return SMOLLM2_VERSION + "+llama.cpp"
    return path.name


def chat_options(settings: Settings) -> dict[str, dict[str, Any]]:
    """Bounds per prompt for chat-completion engines (llama.cpp, OpenAI-compatible servers)."""
    cap = settings.generator_max_new_tokens
    probe: dict[str, Any] = {"max_tokens": min(cap, 48), "stop": ["\n\n"]}
    if settings.probe_budget_s > 0:  # per request: past it, HR's probe is asked
        probe["timeout"] = settings.probe_budget_s
    return {
        "probe": probe,
        "acknowledge": {"max_tokens": min(cap, 32), "stop": ["\n"]},
        "draft_questions": {"max_tokens": max(cap, 700)},
    }


def model_child(settings: Settings, path: Path, alias: str) -> ModelChild:
    """The model server over `path` as a supervised child (started, not yet ready)."""
    command = python_command(
        "bot.generator.model_server", "--model", str(path), "--alias", alias,
        "--port", "{port}", "--threads", str(settings.generator_threads),
        "--batch-threads", str(settings.generator_batch_threads), "--ctx", "2048",
    )  # fmt: skip
    log_path = settings.home / "logs" / "model-server.log"
    return ModelChild(command, log_path, memory_mb=settings.generator_memory_mb).start()


def self_test(settings: Settings) -> SelfTest | None:
    """The embedded llama.cpp engine, started in a child and given one long prompt (None for
    the other engines, which run no native code of ours)."""
    if settings.generator_backend == "openai" or engine_for(settings) != "llama":
        return None
    path = _gguf_path(settings)
    child = model_child(settings, path, _gguf_version(settings, path))
    try:
        return child.self_test(_gguf_version(settings, path))
    finally:
        child.close()


def open_backend(settings: Settings, progress: Progress | None = None) -> Backend:
    """The chat model settings ask for, loaded (or, for llama.cpp, starting in its child)."""
    if settings.generator_backend == "openai":
        return _openai(settings)
    if engine_for(settings) == "llama":
        path = _gguf_path(settings, progress)
        version = _gguf_version(settings, path)
        child = model_child(settings, path, version)
        # The child answers on its own port; a call while it (re)starts fails at once and
        # HR's words stand, so no retries, and a hang is cut at the timeout and recycled.
        chat = _openai_chat(settings, child.url, version, retries=0)
        return Backend(chat, version, chat_options(settings), "llama", child)
    from bot.generator.chat_model import build_chat_model, pipeline_options
    from bot.generator.models import load_causal_lm

    model, tokenizer, version = load_causal_lm(settings, progress)
    try:
        chat = build_chat_model(model, tokenizer, version, settings)
    except (ValueError, TypeError, ImportError) as error:
        raise ModelError(
            f"could not build the generator pipeline for {version}: {error}"
        ) from error
    return Backend(chat, version, pipeline_options(settings, tokenizer), "transformers")


def _openai(settings: Settings) -> Backend:
    url = settings.generator_base_url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ModelError(
            f"INTERVIEWER_GENERATOR_BASE_URL is {url!r}; the openai backend needs the server's "
            "address, e.g. http://127.0.0.1:8000/v1"
        )
    model = settings.generator_model.strip()
    chat = _openai_chat(settings, url, model, settings.generator_retries)
    return Backend(chat, f"openai:{model}@{parsed.netloc}", chat_options(settings), "openai")


def _openai_chat(settings: Settings, url: str, model: str, retries: int) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as error:  # pragma: no cover - a dependency of the project
        raise ModelError("the openai backend needs langchain-openai; run `make setup`") from error
    return ChatOpenAI(
        base_url=url,
        model=model,
        api_key=settings.generator_api_key.get_secret_value() or "not-needed",  # type: ignore[arg-type]
        timeout=settings.generator_timeout_s,
        max_retries=retries,
        temperature=0.7 if settings.generator_do_sample else 0.0,
        max_tokens=settings.generator_max_new_tokens,  # type: ignore[call-arg]
    )
