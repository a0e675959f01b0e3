"""The supervision of the model's process, with a stand-in child (a tiny HTTP server) whose
faults the test chooses: dying with SIGILL on a long prompt, hanging, being killed."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from bot.generator.child import ModelChild, describe_exit

# A stand-in model server: /health answers; a chat completion does what argv[2] says.
CHILD = r'''
import json, os, signal, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
mode = sys.argv[2]
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b'{"status":"ok"}')
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        words = sum(len(m["content"].split()) for m in body["messages"])
        if mode == "sigill" and words > 100:
            os.kill(os.getpid(), signal.SIGILL)
        if mode == "hang":
            time.sleep(60)
        reply = {"choices": [{"message": {"role": "assistant", "content": "ok"}}],
                 "usage": {"prompt_tokens": words, "completion_tokens": 1}}
        self.send_response(200); self.end_headers(); self.wfile.write(json.dumps(reply).encode())
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
'''


@pytest.fixture
def child_script(tmp_path) -> Path:
    path = tmp_path / "child.py"
    path.write_text(CHILD)
    return path


def start(script: Path, mode: str, tmp_path: Path) -> ModelChild:
    command = [sys.executable, str(script), "{port}", mode]
    return ModelChild(command, tmp_path / "child.log", start_timeout_s=20).start()


def test_a_child_that_dies_on_a_long_prompt_is_reported_with_the_fix(child_script, tmp_path):
    child = start(child_script, "sigill", tmp_path)
    try:
        result = child.self_test("m", timeout=20)
        assert not result.ok
        assert "SIGILL" in result.detail and "illegal instruction" in result.detail
        assert "make llama-cpp LLAMA_CPU=avx2" in result.detail  # the fix, named
        assert "INTERVIEWER_GENERATOR_ENGINE" in result.detail  # and the other way out
        child.turn_off(result.detail)
        assert child.unavailable().startswith("model off: ")
        time.sleep(1.0)
        assert child.pid() is None  # not restarted after a failed self-test
    finally:
        child.close()


def test_a_healthy_child_passes_and_comes_back_after_kill_9(child_script, tmp_path):
    child = start(child_script, "ok", tmp_path)
    try:
        assert child.self_test("m", timeout=20).ok
        first = child.pid()
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while child.unavailable() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the watcher notices the death
        assert child.wait_ready(10)
        assert child.pid() not in (None, first) and child.starts == 2
        assert child.unavailable() is None
    finally:
        child.close()
    assert child.pid() is None


def test_a_hanging_child_is_cut_off_and_restarted(child_script, tmp_path):
    child = start(child_script, "hang", tmp_path)
    try:
        result = child.self_test("m", timeout=3)
        assert not result.ok and "did not answer a long prompt" in result.detail
        assert child.wait_ready(10) and child.starts == 2  # recycled, a fresh one answers
    finally:
        child.close()


def test_exit_codes_read_as_what_to_do():
    assert "illegal instruction" in describe_exit(-signal.SIGILL)
    assert "memory" in describe_exit(-signal.SIGKILL)
    assert describe_exit(3) == "exited with status 3"


def test_the_child_is_bounded_and_in_its_own_group_with_no_python_run_before_exec(
    child_script, tmp_path
):
    child = ModelChild([sys.executable, str(child_script), "{port}", "ok"], tmp_path / "c.log",
                       start_timeout_s=20, memory_mb=4096).start()  # fmt: skip
    try:
        assert child.wait_ready(20)
        pid = child.pid()
        limits = Path(f"/proc/{pid}/limits").read_text()
        line = next(x for x in limits.splitlines() if x.startswith("Max address space"))
        assert str(4096 * 1024 * 1024) in line, line
        assert os.getpgid(pid) == pid != os.getpgid(0)  # Ctrl+C reaches the app, not it
        assert "child_start" not in Path(f"/proc/{pid}/cmdline").read_text()  # exec'd over
    finally:
        child.close()
