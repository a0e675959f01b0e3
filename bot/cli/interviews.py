"""`interview` in the terminal and `transcripts show|list`: holding and reading interviews."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import click

from bot.cli.config import application, load_settings
from bot.cli.preparation import ready_writer
from bot.core.errors import InputError


@click.command("interview", help="hold an interview in the terminal")
@click.option("--role", required=True, metavar="ROLE", help="role id, e.g. backend-python")
@click.option("--answers", type=click.Path(path_type=Path), metavar="FILE",
              help="file with one answer per line: runs unattended")  # fmt: skip
@click.option("--consent", type=click.Choice(["yes", "no"]), default="yes", show_default=True,
              help="with --answers")  # fmt: skip
def interview(role: str, answers: Path | None, consent: str) -> int:
    """`interviewer interview --role ROLE [--answers FILE]`."""
    app = application(load_settings())
    service = app.interviews
    try:
        ready_writer(service)  # as `serve` does at start, so the timings below are a server's
        session_id = service.start(role)
        print(f"session {session_id}\n")
        for m in service.history(session_id):
            _print_message(m)
        if answers is None:
            return _interview_live(service, session_id)
        return _interview_unattended(service, session_id, answers, consent)
    finally:
        app.close()


def _interview_live(service, session_id: str) -> int:
    while not service.is_finished(session_id):
        try:
            text = input("\nyou> ")
        except EOFError:
            print(f"\npaused; resume with the web app, session {session_id}")
            return 0
        for m in service.reply(session_id, text).messages:
            _print_message(m)
    return 0


def _interview_unattended(service, session_id: str, path: Path, consent: str) -> int:
    """Answers from a file, one a line; a line starting with '>' answers a follow-up probe."""
    try:
        lines = [ln.rstrip("\n") for ln in path.read_text(encoding="utf-8").splitlines()]
    except OSError as exc:
        raise InputError(f"cannot read answers file {path}: {exc}") from exc
    lines = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    latencies: list[float] = []
    messages = _send(service, session_id, consent, latencies=None)
    queue = list(lines)
    while not service.is_finished(session_id):
        probed = bool(messages) and messages[-1].kind == "probe"
        if not probed:
            while queue and queue[0].startswith(">"):  # a probe answer no probe asked for
                queue.pop(0)
        if probed:
            has_line = bool(queue) and queue[0].startswith(">")
            text = queue.pop(0)[1:].strip() if has_line else "I have nothing to add."
        elif queue:
            text = queue.pop(0).strip()
        else:
            print(f"\nanswers ran out; session {session_id} stays open and can be resumed")
            break
        messages = _send(service, session_id, text, latencies)
    print("\n" + "=" * 72)
    _print_transcript(service.transcript(session_id))
    if latencies:
        print(
            f"\nanswer -> next question: median {statistics.median(latencies):.0f} ms, "
            f"max {max(latencies):.0f} ms over {len(latencies)} answers"
        )
    return 0


def _send(service, session_id: str, text: str, latencies: list[float] | None):
    print(f"\ncandidate> {text}")
    t0 = time.perf_counter()
    messages = service.reply(session_id, text).messages
    if latencies is not None and any(m.kind in ("question", "probe") for m in messages):
        latencies.append((time.perf_counter() - t0) * 1000)  # answer -> next thing asked
    for m in messages:
        _print_message(m)
    return messages


def _print_message(m) -> None:
    print(f"\ninterviewer [{m.kind}]> {m.text}")
    for s in m.sources:
        print(f"    source: {s.source}" + (f" # {s.heading}" if s.heading else ""))


@click.command("show", help="print one session's transcript with scores")
@click.argument("session")
@click.option("--json", "as_json", is_flag=True)
def transcript_show(session: str, as_json: bool) -> int:
    """`interviewer transcripts show SESSION [--json]`."""
    from dataclasses import asdict

    from bot.catalog import RoleCatalog
    from bot.store import Store
    from bot.transcript import read_transcript

    settings = load_settings()
    store = Store(settings.db_url)
    transcript = read_transcript(store, RoleCatalog(store, settings.roles_dir), session)
    if as_json:
        print(json.dumps(asdict(transcript), indent=2, default=str))
    else:
        _print_transcript(transcript)
    return 0


@click.command("list", help="list sessions")
@click.option("--role", metavar="ROLE")
def transcript_list(role: str | None) -> int:
    """`interviewer transcripts list [--role ROLE]`."""
    from bot.store import Store

    settings = load_settings()
    for s in Store(settings.db_url).sessions(role):
        print(
            f"{s.id}  {s.role_id}@v{s.template_version}  {s.status:<10} "
            f"{s.updated_at:%Y-%m-%d %H:%M}"
        )
    return 0


def _print_transcript(t) -> None:
    print(f"{t.role_title} (template v{t.template_version}) session {t.session_id}")
    print(f"status: {t.status}   consent: {t.consent}\n")
    for turn in t.turns:
        who = "CANDIDATE" if turn.speaker == "candidate" else "INTERVIEWER"
        print(f"{who} [{turn.kind}]: {turn.text}")
        if turn.score is not None:
            s = turn.score
            print(f"    score {s.score:.2f}  level {s.level}/5  ({s.label}; {s.model_version})")
            print(f"    {s.explanation}")
        print()
