"""Session-scoped models for integration tests: each is built or loaded once per run."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def packaged_env(monkeypatch, home: Path, **extra: str) -> dict[str, str]:
    """The CLI builds Settings from the environment, as in production: a fresh home over the
    packaged models, the shipped roles, prompts and documents, plus `extra`."""
    values = {
        "INTERVIEWER_HOME": str(home),
        "INTERVIEWER_MODELS_DIR": str(ROOT / "var" / "models"),
        "INTERVIEWER_ROLES_DIR": str(ROOT / "prompts" / "roles"),
        "INTERVIEWER_KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "INTERVIEWER_SYSTEM_PROMPTS_DIR": str(ROOT / "prompts" / "system"),
        **extra,
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def _settings(home: Path, model: str) -> Settings:
    return Settings(home=home, generator_model=model)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def tiny_gpt_neo_dir(tmp_path_factory) -> Path:
    """A tiny, randomly initialised GPT-Neo saved like any hub model, with the MiniLM tokenizer."""
    import torch
    from transformers import AutoTokenizer, GPTNeoConfig, GPTNeoForCausalLM

    from bot.packaged import minilm_path

    folder = tmp_path_factory.mktemp("models") / "tiny-gpt-neo"
    tokenizer = AutoTokenizer.from_pretrained(minilm_path())  # has no chat template: a base model
    config = GPTNeoConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_layers=2,
        attention_types=[[["global", "local"], 1]],
        num_heads=2,
        window_size=16,
        max_position_embeddings=1024,
        bos_token_id=tokenizer.cls_token_id,
        eos_token_id=tokenizer.sep_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    GPTNeoForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_settings(tiny_gpt_neo_dir, tmp_path_factory) -> Settings:
    return _settings(tmp_path_factory.mktemp("home"), str(tiny_gpt_neo_dir))


@pytest.fixture(scope="session")
def tiny_writer(tiny_settings):
    """The real load path (load_writer) over the tiny GPT-Neo folder."""
    from bot.generator.writer import load_writer

    return load_writer(tiny_settings)


@pytest.fixture(scope="session")
def smollm2_converted(tmp_path_factory) -> tuple[Settings, float]:
    """The packaged SmolLM2, converted from its GGUF into a fresh cache; and how long that took."""
    from bot.generator.models import prepare_generator

    settings = _settings(tmp_path_factory.mktemp("smollm2-home"), "smollm2")
    started = time.perf_counter()
    prepare_generator(settings)
    return settings, time.perf_counter() - started


@pytest.fixture(scope="session")
def smollm2_writer(smollm2_converted):
    """The default writer, loaded from the cache the conversion wrote."""
    from bot.generator.writer import load_writer

    settings, _ = smollm2_converted
    started = time.perf_counter()
    writer = load_writer(settings)
    print(f"\nSmolLM2 cached load: {time.perf_counter() - started:.2f} s")
    return writer
