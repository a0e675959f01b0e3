"""A real OpenAI-compatible model server for the tests: llama-cpp-python's own server over the
packaged Qwen GGUF on a free local port, started once per test run and stopped afterwards."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

MODEL_NAME = "qwen2.5-coder-0.5b"


@pytest.fixture(scope="session")
def model_server(tmp_path_factory) -> Iterator[str]:
    """`python -m llama_cpp.server` with the packaged model; yields its base URL (…/v1)."""
    from bot.generator.gguf import qwen_gguf
    from tests.live import REPO

    cache = REPO / "var" / "models"  # `make prepare` assembles the GGUF here once
    if not cache.is_dir():
        cache = tmp_path_factory.mktemp("models")
    gguf = qwen_gguf(cache)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = tmp_path_factory.mktemp("model-server") / "server.log"
    log = log_path.open("w")
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
               "--model_alias", MODEL_NAME, "--host", "127.0.0.1", "--port", str(port),
               "--n_threads", "2", "--n_ctx", "4096"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"the model server exited: {Path(log_path).read_text()[-3000:]}")
                time.sleep(0.25)
        else:
            pytest.fail(f"the model server did not answer within 60 s: {log_path.read_text()}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
