"""The generator's backends behind one port: a LangChain chat model, its version, its bounds.

- embedded / llama:        llama.cpp in this process over a GGUF (the packaged Qwen by default)
- embedded / transformers: any AutoModelForCausalLM folder or hub name (GPT-Neo, SmolLM2)
- openai:                  any OpenAI-compatible server (vLLM, llama.cpp server, Ollama)

Whatever the backend, the writer (bot/generator/writer.py) uses the same prompts and guards,
and falls back to HR's words when a call fails or times out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from bot.core.errors import ModelError
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
    return {
        "probe": {"max_tokens": min(cap, 48), "stop": ["\n\n"]},
        "acknowledge": {"max_tokens": min(cap, 32), "stop": ["\n"]},
        "draft_questions": {"max_tokens": max(cap, 700)},
    }


def open_backend(settings: Settings, progress: Progress | None = None) -> Backend:
    """The chat model settings ask for, loaded and ready."""
    if settings.generator_backend == "openai":
        return _openai(settings)
    if engine_for(settings) == "llama":
        from bot.generator.llama_chat import LlamaCppChat

        path = _gguf_path(settings, progress)
        version = _gguf_version(settings, path)
        llama = LlamaCppChat(
            model_path=str(path),
            model_name=version,
            n_threads=settings.generator_threads,
            max_tokens=settings.generator_max_new_tokens,
            temperature=0.7 if settings.generator_do_sample else 0.0,
            wait_s=settings.generator_wait_s,
        )
        # One llama.cpp context per prompt kind keeps each prompt's fixed start read once.
        options = {name: {**bound, "slot": name} for name, bound in chat_options(settings).items()}
        return Backend(llama, version, options, "llama")
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
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as error:  # pragma: no cover - a dependency of the project
        raise ModelError("the openai backend needs langchain-openai; run `make setup`") from error
    model = settings.generator_model.strip()
    chat = ChatOpenAI(
        base_url=url,
        model=model,
        api_key=settings.generator_api_key.get_secret_value() or "not-needed",  # type: ignore[arg-type]
        timeout=settings.generator_timeout_s,
        max_retries=settings.generator_retries,
        temperature=0.7 if settings.generator_do_sample else 0.0,
        max_tokens=settings.generator_max_new_tokens,  # type: ignore[call-arg]
    )
    return Backend(chat, f"openai:{model}@{parsed.netloc}", chat_options(settings), "openai")
