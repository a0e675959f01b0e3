"""A real OpenAI-compatible model server for the tests: llama-cpp-python's own server over the
packaged Qwen GGUF on a free local port, started once per test run and stopped afterwards."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

MODEL_NAME = "qwen2.5-coder-0.5b"


@pytest.fixture(scope="session")
def model_server(tmp_path_factory) -> Iterator[str]:
    """`python -m llama_cpp.server` with the packaged model; yields its base URL (…/v1)."""
    from bot.generator.gguf import qwen_gguf
    from tests.live import REPO, _free_port, running

    cache = REPO / "var" / "models"  # `make prepare` assembles the GGUF here once
    if not cache.is_dir():
        cache = tmp_path_factory.mktemp("models")
    gguf = qwen_gguf(cache)
    port = _free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
               "--model_alias", MODEL_NAME, "--host", "127.0.0.1", "--port", str(port),
               "--n_threads", "2", "--n_ctx", "4096"]  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    with running(command, tmp_path_factory.mktemp("model-server") / "server.log", f"{url}/models"):
        yield url
