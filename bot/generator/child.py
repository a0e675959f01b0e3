"""The model as a supervised child process: started, tested, watched and restarted by the app.

A native fault in llama.cpp (an instruction the CPU or its hypervisor will not run), a hang or
a memory blow-up ends the child, never the web app: turns meanwhile use HR's own words, and
the child is started again. Before anyone depends on it, a self-test reads one real prompt of
several hundred tokens through it (a short prompt never reaches the matrix kernels where a
wrong build dies); a child that dies or hangs there is reported plainly with what to do, and
the product serves with HR's words instead of crashing.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0  # from spawn to answering /health: the model is memory-mapped
SELF_TEST_TIMEOUT_S = 90.0  # a few hundred tokens read on a busy 2-core machine
STABLE_AFTER_S = 60.0  # a child up this long is healthy again: its next restart is immediate
MAX_BACKOFF_S = 30.0


@dataclass(frozen=True)
class SelfTest:
    """What the self-test saw: ok, the seconds it took, and what failed with what to do."""

    ok: bool
    seconds: float
    detail: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _started(command: list[str], memory_mb: int) -> list[str]:
    """The command, started through child_start.py: it dies with the app's process, even by
    kill -9 (Linux PR_SET_PDEATHSIG), and its address space is bounded, so a memory blow-up
    ends the child, not the machine. (Its own process group comes from Popen: a Ctrl+C at the
    terminal reaches the app, which stops it in order.)"""
    starter = str(Path(__file__).with_name("child_start.py"))
    return [sys.executable, starter, str(os.getpid()), str(memory_mb), *command]


def describe_exit(code: int | None) -> str:
    """A child's exit code in words an operator can act on."""
    if code is None:
        return "is still running"
    if code >= 0:
        return f"exited with status {code}"
    number = -code
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    if number == signal.SIGILL:
        return (
            f"died with {name} (illegal instruction): llama.cpp was built for CPU features this "
            "machine does not run (AVX-512 or AMX under a hypervisor, say). Rebuild it for this "
            "machine with `make llama-cpp LLAMA_CPU=avx2` (README, 'Runs on every x86 server')"
        )
    if number == signal.SIGKILL:
        return f"was killed ({name}): by an operator, or by the kernel when memory ran out"
    return f"died with {name}"


class ModelChild:
    """`command` (with {port} filled in) run as a child serving an OpenAI-compatible API."""

    def __init__(
        self,
        command: Sequence[str],
        log_path: Path,
        name: str = "the model server",
        start_timeout_s: float = START_TIMEOUT_S,
        memory_mb: int = 0,
    ) -> None:
        self.port = _free_port()
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.log_path = log_path
        self.name = name
        self.start_timeout_s = start_timeout_s
        self.memory_mb = memory_mb
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.starts = 0  # how many times a child was started (restarts = starts - 1)
        self.last_exit: int | None = None
        self.off_reason: str | None = None  # set when the self-test failed: no more restarts
        self._process: subprocess.Popen[bytes] | None = None
        self._ready = threading.Event()
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._watcher = threading.Thread(target=self._watch, name="model-child", daemon=True)

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> ModelChild:
        self._watcher.start()
        return self

    def wait_ready(self, timeout: float) -> bool:
        """True once the child answers; False if it did not within `timeout` seconds."""
        return self._ready.wait(timeout)

    def unavailable(self) -> str | None:
        """Why a call cannot go to the model now (None: it can)."""
        if self.off_reason:
            return f"model off: {self.off_reason}"
        if not self._ready.is_set():
            return "model restarting" if self.starts > 1 else "model starting"
        return None

    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def recycle(self, reason: str) -> None:
        """End a child that hangs; the watcher starts a new one."""
        process = self._process
        if process is not None and process.poll() is None:
            log.warning("%s: %s; restarting it", self.name, reason)
            self._ready.clear()
            process.kill()

    def turn_off(self, reason: str) -> None:
        """Stop for good in this process (a failed self-test): HR's words from now on."""
        with self._lock:  # no new child is spawned after this
            self.off_reason = reason
        self._ready.clear()
        self._stop_process()

    def close(self) -> None:
        with self._lock:
            self._closing.set()
        self._ready.clear()
        self._stop_process()
        if self._watcher.is_alive():
            self._watcher.join(timeout=15)

    def _stop_process(self) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:  # it keeps nothing: a generation in flight is not worth waiting long for
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    # --- the watcher -------------------------------------------------------------------

    def _watch(self) -> None:
        """Start the child, wait for it to end, start it again (with back-off if it keeps
        dying young), until close() or turn_off(). The child is spawned from this thread,
        so PR_SET_PDEATHSIG ties it to the thread that lives as long as the supervision."""
        failures = 0
        while True:
            started = time.monotonic()
            process = self._spawn()
            if process is None:  # closing, or turned off
                break
            if self._until_ready(process):
                self._ready.set()
            code = process.wait()
            self._ready.clear()
            self.last_exit = code
            if self._closing.is_set() or self.off_reason is not None:
                break
            lived = time.monotonic() - started
            failures = 0 if lived > STABLE_AFTER_S else failures + 1
            delay = 0.0 if failures <= 1 else min(0.5 * 2 ** (failures - 1), MAX_BACKOFF_S)
            log.warning(
                "%s %s after %.0fs; starting it again%s (interviews use HR's words meanwhile)",
                self.name, describe_exit(code), lived, f" in {delay:.1f}s" if delay else "",
            )  # fmt: skip
            if self._closing.wait(delay):
                break

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        with self._lock:
            if self._closing.is_set() or self.off_reason is not None:
                return None
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("ab") as out:
                self._process = subprocess.Popen(
                    _started(self.command, self.memory_mb),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    process_group=0,  # no Python code runs between fork and exec
                    env=_child_environment(),
                )
            self.starts += 1
            return self._process

    def _until_ready(self, process: subprocess.Popen[bytes]) -> bool:
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline and not self._closing.is_set():
            if process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url.removesuffix("/v1") + "/health", timeout=2):
                    return True
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        if process.poll() is None and not self._closing.is_set():
            self.recycle(f"not answering {self.start_timeout_s:.0f}s after it started")
        return False

    # --- the self-test -----------------------------------------------------------------

    def self_test(self, model: str, timeout: float = SELF_TEST_TIMEOUT_S) -> SelfTest:
        """One real prompt of several hundred tokens through the child, a few tokens back."""
        started = time.monotonic()
        if not self.wait_ready(min(timeout, self.start_timeout_s)):
            return SelfTest(
                False, time.monotonic() - started, self._why_down("start", self.last_exit)
            )
        body = json.dumps(
            {"model": model, "messages": _long_prompt(), "max_tokens": 8, "temperature": 0}
        ).encode()
        request = urllib.request.Request(
            f"{self.url}/chat/completions", body, {"Content-Type": "application/json"}
        )
        left = max(1.0, timeout - (time.monotonic() - started))
        tested = self._process  # the watcher may start another while we read the outcome
        try:
            with urllib.request.urlopen(request, timeout=left) as reply:
                usage = json.load(reply).get("usage", {})
        except (OSError, urllib.error.URLError, ValueError) as error:
            code = _exit_code(tested, wait=1.0)
            if code is not None:
                return SelfTest(
                    False, time.monotonic() - started, self._why_down("read", code)
                )
            self.recycle("no answer to the self-test")
            return SelfTest(
                False,
                time.monotonic() - started,
                f"{self.name} did not answer a long prompt within {left:.0f}s ({error}). "
                "Check the log at " + str(self.log_path) + "; " + WHAT_TO_DO,
            )
        seconds = time.monotonic() - started
        prompt = usage.get("prompt_tokens", 0)
        return SelfTest(True, seconds, f"read {prompt} tokens and wrote in {seconds:.1f}s")

    def _why_down(self, step: str, code: int | None) -> str:
        what = describe_exit(code) if code is not None else "did not start"
        doing = "while starting" if step == "start" else "while reading a long prompt"
        return f"{self.name} {what} {doing}; its log: {self.log_path}. {WHAT_TO_DO}"


WHAT_TO_DO = (
    "Until this is fixed the interviews go on with HR's own words for acknowledgements and "
    "probes. To use another engine, set INTERVIEWER_GENERATOR_ENGINE=transformers (slower), "
    "or INTERVIEWER_GENERATOR_BACKEND=openai with a model server elsewhere."
)


def _exit_code(process: subprocess.Popen[bytes] | None, wait: float) -> int | None:
    """The process's exit code if it ended (within `wait` seconds), else None."""
    if process is None:
        return None
    try:
        return process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        return None


def _long_prompt() -> list[dict[str, str]]:
    """About 400 tokens: past the length where llama.cpp switches to its matrix kernels."""
    answer = (
        "In my last role I owned the payments service. When latency doubled after a release I "
        "read the traces, found an unindexed query on the ledger table, added the index behind "
        "a feature flag, and wrote a short note for the team about what we would watch next. "
    ) * 6
    return [
        {"role": "system", "content": "You are a job interviewer. Reply in one short sentence."},
        {"role": "user", "content": f"Question: Tell me about a slow service.\nAnswer: {answer}"},
    ]


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    # The child's own threads are set on its command line; no library may add more.
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def python_command(module: str, *args: str) -> list[str]:
    """`python -m module args` with this interpreter (the project's virtual environment)."""
    return [sys.executable, "-m", module, *args]

