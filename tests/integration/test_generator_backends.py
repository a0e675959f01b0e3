"""The generator's backends with real models: llama.cpp in process over the packaged Qwen GGUF,
and the `openai` backend against a real OpenAI-compatible server (llama-cpp-python's) that the
test starts on 127.0.0.1. Whatever the backend: HR's questions verbatim, guarded model texts,
HR's words when the model server is gone."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from bot.catalog import RoleCatalog
from bot.cli import main
from bot.generator import guards
from bot.roles.files import load_role
from bot.settings import Settings
from bot.store import Store
from bot.transcript import read_transcript
from tests.integration.conftest import packaged_env
from tests.model_server import MODEL_NAME

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = Path(__file__).parent / "answers"

pytestmark = pytest.mark.slow


def _interview(role_id: str, capsys) -> tuple[object, str]:
    assert main(["interview", "--role", role_id, "--answers", str(ANSWERS / f"{role_id}.txt")]) == 0
    out = capsys.readouterr().out
    session_id = re.search(r"session ([0-9a-f]{32})", out).group(1)
    settings = Settings()
    store = Store(settings.db_url)
    return read_transcript(store, RoleCatalog(store, settings.roles_dir), session_id), out


def test_an_interview_through_an_openai_compatible_server(model_server, tmp_path, monkeypatch,
                                                          capsys):  # fmt: skip
    packaged_env(monkeypatch, tmp_path, INTERVIEWER_GENERATOR_BACKEND="openai",
         INTERVIEWER_GENERATOR_BASE_URL=model_server,
         INTERVIEWER_GENERATOR_MODEL=MODEL_NAME, INTERVIEWER_ACKNOWLEDGEMENTS="model",
         INTERVIEWER_PROBE_BUDGET_S="60")  # fmt: skip
    transcript, out = _interview("backend-python", capsys)
    role = load_role(ROOT / "prompts" / "roles" / "backend-python.yaml")

    assert transcript.status == "completed"
    assert [t.text for t in transcript.turns if t.kind == "question"] == [
        q.text for q in role.questions
    ]
    said = [t for t in transcript.turns if t.kind in ("acknowledgement", "probe")]
    from_server = [t for t in said if t.meta.get("source") == "model"]
    # The server wrote most of what was said between questions, and every text it wrote
    # passed the guards; the version names the server's model.
    assert len(from_server) >= len(said) // 2, [(t.text, t.meta) for t in said]
    assert all(t.model_version.startswith(f"openai:{MODEL_NAME}@127.0.0.1") for t in from_server)
    for t in from_server:
        asks = 1 if t.kind == "probe" else 0
        assert guards.check(t.text, [], min_questions=asks, max_questions=asks).ok, t.text


def test_a_model_server_that_is_gone_falls_back_to_hr_words(tmp_path, monkeypatch, capsys):
    packaged_env(monkeypatch, tmp_path, INTERVIEWER_GENERATOR_BACKEND="openai",
         INTERVIEWER_GENERATOR_BASE_URL="http://127.0.0.1:9/v1",  # nothing listens on port 9
         INTERVIEWER_GENERATOR_MODEL=MODEL_NAME, INTERVIEWER_GENERATOR_RETRIES="0",
         INTERVIEWER_GENERATOR_TIMEOUT_S="2", INTERVIEWER_ACKNOWLEDGEMENTS="model")  # fmt: skip
    started = time.perf_counter()
    transcript, _ = _interview("customer-support", capsys)
    assert transcript.status == "completed"
    said = [t for t in transcript.turns if t.kind in ("acknowledgement", "probe")]
    assert said and all(t.meta.get("source") == "fallback" for t in said)
    assert all("model error" in t.meta.get("rejected", "") for t in said)
    assert time.perf_counter() - started < 120  # refused connections fail fast


def test_the_packaged_qwen_reads_a_long_prompt_in_its_own_process(tmp_path):
    """The self-test every start runs: several hundred tokens through the packaged model in
    its child process (a wrong llama.cpp build dies there, not on a one-token prompt), then
    a probe and an acknowledgement written by it."""
    from bot.generator.writer import load_writer
    from bot.roles.files import load_role

    settings = Settings(home=tmp_path, models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    writer = load_writer(settings)
    try:
        assert writer.version == "qwen2.5-coder-0.5b-instruct@q4_k_m"
        result = writer.self_test()
        assert result is not None and result.ok, result
        assert int(re.search(r"read (\d+) tokens", result.detail)[1]) >= 300
        assert writer.child is not None and writer.child.pid() != os.getpid()
        question = load_role(ROOT / "prompts" / "roles" / "backend-python.yaml").questions[4]
        answer = "The API went down after a deploy. I restarted the servers and it came back."
        missing = [k for k in question.key_points if "cause" in k.text.lower()] or [
            question.key_points[0]
        ]
        probe = writer.probe(question, answer, missing, [question.text])
        ack = writer.acknowledge(question, answer, [question.text])
        assert probe.text.endswith("?") and guards.question_count(probe.text) == 1
        assert ack.source == "model" and "?" not in ack.text, ack
    finally:
        writer.close()
    assert writer.child.pid() is None  # closed with the writer


def test_a_turn_waits_for_a_busy_model_only_as_long_as_the_setting_says(tmp_path):
    """Twenty candidates at once must not queue behind each other's acknowledgements: past
    INTERVIEWER_GENERATOR_WAIT_S the turn goes on with HR's words."""
    import threading

    from bot.generator.writer import load_writer
    from bot.roles.files import load_role

    settings = Settings(  # type: ignore[call-arg]
        home=tmp_path, models_dir=ROOT / "var" / "models", generator_wait_s=0.2
    )
    writer = load_writer(settings)
    question = load_role(ROOT / "prompts" / "roles" / "backend-python.yaml").questions[0]
    try:
        assert writer.self_test().ok
        holding, release = threading.Event(), threading.Event()

        def busy_elsewhere() -> None:
            writer._take_turn()  # another candidate's generation holds the model
            holding.set()
            release.wait(10)
            writer._lock.release()

        other = threading.Thread(target=busy_elsewhere)
        other.start()
        holding.wait(10)
        started = time.perf_counter()
        ack = writer.acknowledge(question, "I split the service by team ownership.", [])
        waited = time.perf_counter() - started
        release.set()
        other.join()
        assert ack.source == "fallback" and ack.rejected.startswith("busy"), ack
        assert 0.2 <= waited < 1.0
        free = writer.acknowledge(question, "I split the monolith by bounded contexts.", [])
        assert not (free.rejected or "").startswith("busy")  # free again: the model writes
    finally:
        writer.close()
