"""`interviewer bench load --candidates N`: simulated candidates through the real HTTP API.

Starts `interviewer serve` on a free port with a fresh home (or uses --url with the --home it
serves), makes one invite per candidate, and has every candidate consent, answer four
questions with realistic text and answer a probe when one comes, all at once. Prints the
median and p95 time from sending a message to the stored reply, errors, replies per second,
the server's peak memory, and whether every answer was stored exactly once.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from bot import commandline
from bot.settings import SHIPPED

ANSWERS = SHIPPED / "tests" / "integration" / "answers" / "graded.yaml"
CLOSERS = (
    "That is how I would go about it.",
    "I hope that gives you a clear picture.",
    "That is roughly what happened.",
    "I learned a lot from that.",
    "That is the short version.",
    "It worked out well in the end.",
    "I would do it the same way again.",
    "That was a useful lesson for me.",
    "I can go into more detail if needed.",
    "That sums up my approach.",
)
PROBE_REPLY = "I would also check the logs and tell the team what I found."


@dataclass
class Candidate:
    invite: str
    role: str
    answers: list[str]
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: int = 0


def post(url: str, body: dict[str, Any], timeout: float = 300) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def run_candidate(bases: list[str], c: Candidate, think: float, rng: random.Random) -> None:
    """One candidate's whole interview, each message to the next server in turn (several app
    processes behind no proxy); every reply timed, every failure kept."""
    sent = rng.randrange(len(bases))
    status, state = post(f"{bases[sent % len(bases)]}/api/interview/open", {"invite": c.invite})
    if status != 200:
        c.errors.append(f"open: {status} {state.get('error')}")
        return
    queue = ["yes", *c.answers]
    while queue and state.get("phase") not in ("closed", "declined"):
        text = queue.pop(0)
        time.sleep(think * rng.random())
        started = time.perf_counter()
        body = {"invite": c.invite, "text": text, "seen": state["version"]}
        sent += 1
        status, reply = post(f"{bases[sent % len(bases)]}/api/interview/reply", body)
        c.seconds.append(time.perf_counter() - started)
        c.sent += 1
        if status != 200:
            c.errors.append(f"reply: {status} {reply.get('error')}")
            return
        state = reply
        kinds = [m["kind"] for m in reply["messages"]]
        if kinds and kinds[-1] == "probe":
            queue.insert(0, PROBE_REPLY)


def rss_mb(pid: int) -> float:
    """Resident memory of the process and every process it started (the model's own)."""
    total = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += rss_mb(int(child))
    except OSError:
        pass
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, INTERVIEWER_HOME=str(home), INTERVIEWER_PORT=str(port))
    env.setdefault("INTERVIEWER_MODELS_DIR", str(SHIPPED / "var" / "models"))
    log = (home / "serve.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "ui.launch", "serve"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=SHIPPED)  # fmt: skip
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: see {home / 'serve.log'}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return proc
        except OSError:
            time.sleep(2)
    proc.kill()
    raise SystemExit("the server did not start within 10 minutes")


def make_candidates(home: Path, n: int, seed: int, database_url: str = "") -> list[Candidate]:
    """One invite per candidate, made in the server's database, and four answers each."""
    import yaml

    from bot.catalog import RoleCatalog
    from bot.settings import Settings
    from bot.staff.access import Actor, create_invite
    from bot.store import Store

    settings = Settings(home=home, database_url=database_url)  # type: ignore[call-arg]
    store = Store(settings.db_url)
    catalog = RoleCatalog(store, settings.roles_dir)
    catalog.publish_role_files()
    graded = yaml.safe_load(ANSWERS.read_text())
    rng = random.Random(seed)
    out = []
    for i in range(n):
        role = sorted(graded)[i % len(graded)]
        questions = list(graded[role].values())
        picks = [rng.choice(("strong", "weak", "non_native")) for _ in questions]
        # A closing sentence of their own: no two candidates of a role send the same text (a
        # repeated prompt would be answered from the writer's memory, which flatters the figures).
        k = i // len(graded)  # this candidate's number within the role: one or two closers
        closer = CLOSERS[k % len(CLOSERS)]
        if k >= len(CLOSERS):  # unique pairs for up to 100 candidates a role
            closer += " " + CLOSERS[(k // len(CLOSERS) + k % len(CLOSERS)) % len(CLOSERS)]
        answers = [f"{q[p]} {closer}" for q, p in zip(questions, picks, strict=True)][:4]
        invite = create_invite(store, Actor("bench", "recruiter"), role, f"c{i}@bench.example",
                               settings.invite_ttl_hours)  # fmt: skip
        out.append(Candidate(invite.token, role, answers))
    return out


def stored_once(home: Path, candidates: list[Candidate], database_url: str = "") -> dict[str, Any]:
    """Messages sent and taken vs candidate turns stored (lost or duplicated turns), and where
    the server's time went, read from the turns' own timings in the audit log."""
    from bot.settings import Settings
    from bot.staff.access import hash_token
    from bot.store import Store

    store = Store(Settings(home=home, database_url=database_url).db_url)  # type: ignore[call-arg]
    stored = 0
    timings: dict[str, list[float]] = {}
    written: dict[str, list[bool]] = {}  # per kind of text: the model's own, or HR's words
    for c in candidates:
        invite = store.invite(hash_token(c.invite))
        if not (invite and invite.session_id):
            continue
        stored += sum(t.speaker == "candidate" for t in store.turns(invite.session_id))
        for ev in store.events(invite.session_id, ("turn", "scored", "written")):
            p = ev.payload
            if ev.kind == "turn":
                timings.setdefault("waiting for the session", []).append(p.get("waited_ms", 0))
                timings.setdefault("turn in the service, before its commit", []).append(p["ms"])
            elif ev.kind == "scored":
                timings.setdefault("scoring", []).append(p["ms"])
            else:
                timings.setdefault(f"writing: {p['kind']}", []).append(p["ms"])
                written.setdefault(p["kind"], []).append(p["source"] != "fallback")
    taken = sum(c.sent - len(c.errors) for c in candidates)
    return {"messages_taken": taken, "candidate_turns_stored": stored,
            "lost_or_duplicated": abs(stored - taken),
            "profile_ms": {k: _spread(v) for k, v in timings.items()},
            "model_share": {k: round(sum(v) / len(v), 3) for k, v in written.items()}}  # fmt: skip


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"count": len(ordered), "median": statistics.median(ordered),
            "p95": ordered[int(0.95 * (len(ordered) - 1))]}  # fmt: skip


@click.command("load", cls=commandline.Command, help=__doc__)
@click.option("--candidates", "count", type=int, default=20, show_default=True, metavar="N")
@click.option("--url", cls=commandline.Words, metavar="URL ...",
              help="running app processes sharing one database (give --home, or "
              "--database-url, too); messages go to each in turn")  # fmt: skip
@click.option("--database-url", default="", metavar="URL",
              help="the apps' INTERVIEWER_DATABASE_URL")  # fmt: skip
@click.option("--home", type=click.Path(path_type=Path), metavar="DIR",
              help="the app's INTERVIEWER_HOME (default: a fresh one)")  # fmt: skip
@click.option("--think", type=float, default=0.0, metavar="S", help="up to this many seconds "
              "between messages (0: everyone sends at once, the worst case)")  # fmt: skip
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="one JSON object")
def load(
    count: int, url: list[str] | None, database_url: str, home: Path | None, think: float,
    seed: int, as_json: bool,
) -> int:  # fmt: skip
    """`interviewer bench load`: simulated candidates at once, and what they waited."""
    home = home or Path(tempfile.mkdtemp(prefix="interviewer-load-"))
    proc = None
    bases = url
    if bases is None:
        port = _free_port()
        proc = start_server(home, port)
        bases = [f"http://127.0.0.1:{port}"]
    try:
        candidates = make_candidates(home, count, seed, database_url)
        peak = [rss_mb(proc.pid) if proc else 0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                if proc:
                    peak.append(rss_mb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        threads = [
            threading.Thread(target=run_candidate,
                             args=(bases, c, think, random.Random(seed + i)))
            for i, c in enumerate(candidates)
        ]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        done.set()
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=60)
    times = sorted(s for c in candidates for s in c.seconds)
    report = {
        "candidates": count,
        "replies": len(times),
        "median_s": round(statistics.median(times), 2) if times else None,
        "p95_s": round(times[int(0.95 * (len(times) - 1))], 2) if times else None,
        "errors": sum(len(c.errors) for c in candidates),
        "replies_per_s": round(len(times) / wall, 2),
        "wall_s": round(wall, 1),
        # with the model's own process: what the machine gives the app
        "server_rss_mb": {"start": round(peak[0]), "peak": round(max(peak))},
        "processes": len(bases),
        **stored_once(home, candidates, database_url),
    }
    if as_json:
        print(json.dumps(report))
    else:
        profile = report.pop("profile_ms")
        for key, value in report.items():
            print(f"{key:>24}: {value}")
        print("where the server's time went (ms; the rest of a reply's time is queueing for the "
              "app's workers and HTTP):")  # fmt: skip
        for key, v in profile.items():
            print(f"{key:>32}: median {v['median']:>7.0f}  p95 {v['p95']:>7.0f}  ({v['count']})")
        for c in candidates:
            for e in c.errors:
                print(f"  error ({c.role}): {e}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """`interviewer bench load ...` as a function (argv: the words after 'load')."""
    return commandline.run(load, argv, "interviewer bench load")
