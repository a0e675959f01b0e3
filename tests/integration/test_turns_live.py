"""One turn at a time, through the real HTTP API: two clients on one invite, a server killed
after it saved, and two server processes on one database.

Every answer is stored once, probes stay within max_probes, and the saved state and the
transcript agree.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from bot.bench_load import post  # the same client the load bench uses
from tests.live import BIN, REPO, _copy_roles, _environment, _free_port, _wait_until_up

pytestmark = pytest.mark.e2e
ANSWER = "I acknowledged the customer's frustration, fixed the invoice and told them when."




class App:
    """`interviewer serve` processes sharing one home (one database)."""

    def __init__(self, root: Path) -> None:
        knowledge = shutil.copytree(REPO / "knowledge", root / "knowledge")
        self.env = _environment(root / "home", _copy_roles(root / "roles"), knowledge)
        self.procs: list[subprocess.Popen] = []
        self.root = root
        subprocess.run([str(BIN / "interviewer"), "prepare"], env=self.env, cwd=REPO,
                       check=True, capture_output=True)  # fmt: skip

    def start(self) -> str:
        port = _free_port()
        log = self.root / f"serve-{port}.log"
        with log.open("w") as out:
            command = [str(BIN / "interviewer"), "serve", "--port", str(port)]
            proc = subprocess.Popen(command, env=self.env, cwd=REPO, stdout=out,
                                    stderr=subprocess.STDOUT)  # fmt: skip
        self.procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, proc, log)
        return url

    def invite(self) -> str:
        command = [str(BIN / "interviewer"), "invite", "--role", "customer-support"]
        done = subprocess.run(command, env=self.env, cwd=REPO, check=True, capture_output=True,
                              text=True)  # fmt: skip
        return done.stdout.split("?invite=")[1].split()[0]

    def answers_stored(self, token: str) -> list[str]:
        from bot.staff.access import hash_token
        from bot.store import Store

        store = Store(f"sqlite:///{self.root / 'home' / 'interviewer.db'}")
        try:
            sid = store.invite(hash_token(token)).session_id  # type: ignore[union-attr]
            return [t.text for t in store.turns(sid) if t.speaker == "candidate"]
        finally:
            store.close()

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=60)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = App(tmp_path_factory.mktemp("turns"))
    yield app
    app.stop()


def consented(url: str, token: str) -> int:
    status, opened = post(f"{url}/api/interview/open", {"invite": token})
    assert status == 200
    status, reply = post(f"{url}/api/interview/reply",
                         {"invite": token, "text": "yes", "seen": opened["version"]})  # fmt: skip
    assert status == 200 and reply["progress"].startswith("Question 1 of")
    return reply["version"]


def race(urls: list[str], token: str, seen: int, texts: list[str]) -> list[int]:
    statuses: list[int] = []

    def send(url: str, text: str) -> None:
        statuses.append(post(f"{url}/api/interview/reply",
                             {"invite": token, "text": text, "seen": seen})[0])  # fmt: skip

    threads = [threading.Thread(target=send, args=(u, t)) for u, t in zip(urls, texts, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(statuses)


@pytest.fixture(scope="module")
def urls(app) -> list[str]:
    """The serving addresses, oldest first (tests below add and stop servers in order)."""
    return [app.start()]


@pytest.mark.parametrize("order", ["first-second", "second-first"])
def test_two_clients_answering_one_invite_at_once_store_one_answer(app, urls, order):
    url = urls[-1]
    token = app.invite()
    seen = consented(url, token)
    texts = [ANSWER, "A different answer from a second tab, about the invoice."]
    if order == "second-first":
        texts.reverse()
    assert race([url, url], token, seen, texts) == [200, 409]
    stored = app.answers_stored(token)
    assert stored[0] == "yes" and len(stored) == 2 and stored[1] in texts


def test_a_resend_after_the_server_was_killed_is_not_stored_twice(app, urls):
    url = urls[-1]
    token = app.invite()
    seen = consented(url, token)
    status, _ = post(f"{url}/api/interview/reply", {"invite": token, "text": ANSWER, "seen": seen})
    assert status == 200
    app.procs[-1].send_signal(signal.SIGKILL)  # after the save; the page never saw a reply
    app.procs[-1].wait()
    again = app.start()
    urls.append(again)
    status, reply = post(f"{again}/api/interview/reply",
                         {"invite": token, "text": ANSWER, "seen": seen})  # fmt: skip
    assert status == 200 and reply["messages"]  # answered from the store
    assert app.answers_stored(token) == ["yes", ANSWER]


def test_two_server_processes_on_one_database_take_one_turn_at_a_time(app, urls):
    first, second = urls[-1], app.start()
    token = app.invite()
    seen = consented(first, token)
    texts = [ANSWER, "Another answer sent to the other process at the same moment."]
    assert race([first, second], token, seen, texts) == [200, 409]
    assert len(app.answers_stored(token)) == 2
