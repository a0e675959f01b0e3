"""Whole interviews through the real packaged models (SmolLM2, MiniLM evaluator, Chroma)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.catalog import RoleCatalog
from bot.cli import main
from bot.roles.files import load_role
from bot.service import InterviewService
from bot.settings import Settings
from bot.store import Store
from bot.transcript import read_transcript
from tests.integration.conftest import packaged_env

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = Path(__file__).parent / "answers"
ROLES = ["backend-python", "customer-support", "data-analyst"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture
def env(home, monkeypatch):
    return packaged_env(monkeypatch, home)


@pytest.mark.parametrize("role_id", ROLES)
def test_an_unattended_interview_is_stored_with_its_scores(role_id, env, capsys):
    assert main(["ingest"]) == 0
    assert main(["interview", "--role", role_id, "--answers", str(ANSWERS / f"{role_id}.txt")]) == 0
    out = capsys.readouterr().out
    session_id = re.search(r"session ([0-9a-f]{32})", out).group(1)

    settings = Settings()
    store = Store(settings.db_url)
    transcript = read_transcript(store, RoleCatalog(store, settings.roles_dir), session_id)
    role = load_role(ROOT / "prompts" / "roles" / f"{role_id}.yaml")

    assert transcript.status == "completed" and transcript.consent is True
    asked = [t.text for t in transcript.turns if t.kind == "question"]
    assert asked == [q.text for q in role.questions]  # HR's questions, verbatim, in order
    answers = [t for t in transcript.turns if t.kind == "answer"]
    assert {t.question_id for t in answers} == {q.id for q in role.questions}
    for turn in answers:
        s = turn.score
        assert s is not None and 0.0 <= s.score <= 1.0 and 1 <= s.level <= 5
        assert s.model_version and turn.model_version == s.model_version
        assert len(s.key_points) == len(role.question(turn.question_id).key_points)
    assert transcript.turns[-1].kind == "closing"
    # The printed transcript carries the scores too.
    assert out.count("score ") >= len(role.questions)
    assert "answer -> next question: median" in out


def test_a_candidate_question_is_answered_from_the_role_documents(env, capsys):
    settings = Settings()
    store = Store(settings.db_url)
    sessions = [s for s in store.sessions("backend-python") if s.status == "completed"]
    if not sessions:  # the suite's order is random: this may run before the interview test
        assert main(["ingest"]) == 0
        answers = str(ANSWERS / "backend-python.txt")
        assert main(["interview", "--role", "backend-python", "--answers", answers]) == 0
        sessions = [s for s in store.sessions("backend-python") if s.status == "completed"]
    turns = store.turns(sessions[-1].id)
    asked = [t for t in turns if t.kind == "candidate_question"]
    assert asked and asked[0].text == "Is this role remote?"
    reply = turns[turns.index(asked[0]) + 1]
    # The backend job document has a "Location and remote work" section: the answer cites it,
    # whether the model phrased it or the passage is quoted.
    assert reply.kind == "knowledge_answer"
    assert "remote" in reply.text.lower()
    assert reply.meta["sources"][0]["source"] == "jobs/backend-python.md"


def _reader(stream, lines: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line)


def _wait_for(lines: queue.Queue, pattern: str, seen: list[str], timeout: float = 120) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text in seen:
            if m := re.search(pattern, text):
                seen.remove(text)
                return m
        try:
            seen.append(lines.get(timeout=1))
        except queue.Empty:
            continue
    raise AssertionError(f"no {pattern!r} within {timeout}s; saw: {''.join(seen)[-2000:]}")


def test_an_interview_resumes_after_its_process_is_killed(env):
    role = load_role(ROOT / "prompts" / "roles" / "data-analyst.yaml")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "interview", "--role", role.id],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, bufsize=1, env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=ROOT,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        session_id = _wait_for(lines, r"session ([0-9a-f]{32})", seen).group(1)
        _wait_for(lines, r"consent_request", seen)
        proc.stdin.write("yes\n")
        proc.stdin.flush()
        _wait_for(lines, r"\[question\]", seen)
        answer = "I compared cohorts before and during the campaign and recommended stopping it."
        proc.stdin.write(answer + "\n")
        proc.stdin.flush()
        _wait_for(lines, r"\[(probe|question)\]", seen)
    finally:
        proc.send_signal(signal.SIGKILL)  # no clean shutdown: the crash a server can suffer
        proc.wait(timeout=30)

    # A new process (here: a new service on the same database) carries on where it stopped.
    settings = Settings()
    store = Store(settings.db_url)
    stored = store.turns(session_id)
    assert [t.text for t in stored if t.kind == "answer"] == [answer]
    last_asked = [t for t in stored if t.kind in ("probe", "question")][-1]

    from bot.evaluator import load_scorer
    from bot.generator.writer import load_writer
    from bot.knowledge.base import KnowledgeBase

    service = InterviewService(
        settings, store, load_scorer(settings), load_writer(settings), KnowledgeBase(settings)
    )
    said = service.reply(session_id, "I also checked the sample size before deciding.").messages
    after = store.turns(session_id)
    assert after[: len(stored)] == stored  # nothing lost, nothing rewritten
    if last_asked.kind == "probe":
        # The probe's answer counts towards question 1; the interview moves to question 2.
        assert said[-1].kind == "question" and said[-1].text == role.questions[1].text
    else:
        assert last_asked.text == role.questions[1].text
        assert [t.question_id for t in after if t.kind == "answer"][-1] == role.questions[1].id
