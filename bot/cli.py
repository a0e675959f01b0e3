"""The `interviewer` command. Catches BotError at the boundary: a message, the trace in the log."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.core.errors import BotError, ConfigError, InputError
from bot.settings import Settings

log = logging.getLogger("interviewer")

# No model hub, no telemetry: everything this product loads is already on disk.
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


# `serve` runs the web app, which lives in ui/ (outside bot/, which never imports it): the
# console script (ui/launch.py) hands it in. Signature: (application, host, port).
Serve = Callable[..., None]


def main(argv: list[str] | None = None, serve: Serve | None = None) -> int:
    """Entry point of the `interviewer` console script (ui/launch.py passes `serve`)."""
    for key, value in OFFLINE.items():
        os.environ.setdefault(key, value)
    # Everything this process writes (database, index, uploads, caches) holds candidates'
    # data or the company's documents: this account's alone.
    os.umask(0o077)
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    args.serve = serve
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    passthrough = getattr(args, "passthrough", False)
    if rest and not passthrough:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return int(args.run(args, rest) or 0)
    except BotError as exc:
        log.debug("failed", exc_info=True)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopped; everything answered so far is saved.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="interviewer", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log debugging detail")
    sub = p.add_subparsers(title="commands")

    def command(name: str, run: Callable, help: str, parent=sub, passthrough=False):
        c = parent.add_parser(name, help=help, description=help)
        c.set_defaults(run=run, passthrough=passthrough)
        return c

    command("prepare", _prepare, "prepare the models, the database and the knowledge index")
    s = command("serve", _serve, "serve the web app")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument(
        "--invite-links",
        action="store_true",
        help="print a fresh invite link for each role, to try an interview at once",
    )
    command("ingest", _ingest, "ingest knowledge/ into the vector store (incremental)")
    command("model-server", _model_server, "serve a GGUF model over an OpenAI-compatible API "
            "(what serve runs as its child; run it alone for several app processes)",
            passthrough=True)  # fmt: skip
    i = command("interview", _interview, "hold an interview in the terminal")
    i.add_argument("--role", required=True, help="role id, e.g. backend-python")
    i.add_argument("--answers", type=Path, help="file with one answer per line: runs unattended")
    i.add_argument("--consent", choices=["yes", "no"], default="yes", help="with --answers")

    tr = sub.add_parser("transcripts", help="read stored interviews").add_subparsers()
    show = command("show", _transcript_show, "print one session's transcript with scores", tr)
    show.add_argument("session")
    show.add_argument("--json", action="store_true")
    command("list", _transcript_list, "list sessions", tr).add_argument("--role")

    us = sub.add_parser("users", help="HR and recruiter accounts").add_subparsers()
    add = command("add", _users_add, "create an HR or recruiter account", us)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["hr", "recruiter"])
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin (scripts)"
    )
    command("list", _users_list, "list accounts", us)
    dis = command("disable", _users_disable, "disable an account; its logins stop at once", us)
    dis.add_argument("name")
    pw = command("password", _users_password, "set a new password; older logins stop", us)
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    inv = command("invite", _invite, "make a single-candidate invite link for a role")
    inv.add_argument("--role", required=True, help="role id, e.g. backend-python")
    inv.add_argument("--email", help="the candidate's email, kept with the session")

    tp = sub.add_parser("templates", help="role templates").add_subparsers()
    command("check", _templates_check, "validate role templates", tp, passthrough=True)

    ev = sub.add_parser("evaluator", help="the answer evaluator").add_subparsers()
    command("train", _evaluator_train, "fine-tune the evaluator", ev, passthrough=True)

    au = sub.add_parser("audit", help="fairness audits on this installation's own data")
    au_sub = au.add_subparsers()
    imp = command("impact", _audit_impact, "impact ratios for a role (LL144 format)", au_sub)
    imp.add_argument("--role", required=True)
    imp.add_argument("--since", help="YYYY-MM-DD: sessions started on or after this day")
    imp.add_argument("--until", help="YYYY-MM-DD: sessions started before this day")
    imp.add_argument("--csv", action="store_true", help="CSV instead of the printable page")
    what = "re-score answers with names, pronouns and English variants swapped"
    cf = command("counterfactual", _audit_counterfactual, what, au_sub)
    cf.add_argument("--role", required=True)
    cf.add_argument("--samples", action="store_true",
                    help="the shipped sample answers instead of this installation's")  # fmt: skip
    cf.add_argument("--limit", type=int, default=100, help="most recent answers re-scored")

    rt = sub.add_parser("retention", help="candidates' data past its retention").add_subparsers()
    ap = command("apply", _retention_apply, "erase data past INTERVIEWER_RETENTION_DAYS", rt)
    ap.add_argument("--dry-run", action="store_true", help="list what would be erased")

    db = sub.add_parser("db", help="the database").add_subparsers()
    what = "copy this installation's data into another, empty database (stop the app first)"
    cp = command("copy", _db_copy, what, db)
    cp.add_argument("--to", required=True, help="the target's URL, e.g. "
                    "postgresql+psycopg://interviewer@db-host/interviewer")  # fmt: skip
    cp.add_argument("--from", dest="source", help="the source's URL (default: the "
                    "configured database: INTERVIEWER_DATABASE_URL or the SQLite file under "
                    "INTERVIEWER_HOME)")  # fmt: skip

    be = sub.add_parser("bench", help="benchmarks").add_subparsers()
    command("scoring", _bench_scoring, "score graded-answer files", be, passthrough=True)
    command("load", _bench_load, "simulated candidates through the HTTP API", be, passthrough=True)
    command("generator", _bench_generator, "acknowledgements and probes over the sample answers",
            be, passthrough=True)
    command("answers", _bench_answers, "candidates' questions answered from the documents", be,
            passthrough=True)  # fmt: skip
    return p


def _db_copy(args, rest) -> int:
    from bot.store.copy import copy_database

    source = args.source or _settings().db_url
    copied = copy_database(source, args.to, lambda table, n: print(f"  {table:<20} {n:>8} rows"))
    print(
        f"copied {sum(copied.values())} rows. Set INTERVIEWER_DATABASE_URL to the new database "
        "and start the app again; keep the old one until you have checked the new."
    )
    return 0


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc


def _application(settings: Settings):
    from bot.wiring import build

    return build(settings)


def _prepare(args, rest) -> int:
    prepare(_settings())
    return 0


def prepare(settings: Settings, load_evaluator: bool = True, test_model: bool = True) -> None:
    """Everything serving needs on disk; fast when nothing changed (a second run takes seconds).

    `test_model`: run the generator's self-test in a child process (serve tests its own)."""
    from bot.evaluator import load_scorer
    from bot.generator.backends import prepare_model, self_test
    from bot.knowledge.base import KnowledgeBase
    from bot.store import Store

    settings.home.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    print("1/4 generator model", flush=True)
    print(f"    {prepare_model(settings, lambda m: print('    ' + m, flush=True))}")
    if test_model:
        _report_self_test(self_test(settings))
    print("2/4 answer evaluator", flush=True)
    if load_evaluator:  # serve loads it right after, once
        load_scorer(settings)
    print("3/4 database", flush=True)
    Store(settings.db_url)
    print("4/4 knowledge index", flush=True)
    _seed_documents(settings)
    report = KnowledgeBase(settings).ingest(progress=True)
    print(f"    {report}")
    print(f"prepared in {time.perf_counter() - t0:.1f}s", flush=True)


def _report_self_test(result) -> None:
    """The generator's self-test in plain words: a failure is loud, but nothing stops."""
    if result is None:
        return
    if result.ok:
        print(f"    self-test: {result.detail}", flush=True)
        return
    print(f"WARNING the interviewer's model failed its self-test: {result.detail}", flush=True)
    print(f"WARNING the interviewer's model failed its self-test: {result.detail}",
          file=sys.stderr, flush=True)  # fmt: skip


def _ready_writer(service, stop: threading.Event | None = None) -> None:
    """Self-test the model's process, then warm each turn prompt (serve and `interview`)."""
    self_test = getattr(service.writer, "self_test", None)
    if self_test is not None:
        _report_self_test(self_test())
    service.warm_up(stop)


def _seed_documents(settings: Settings) -> None:
    """A new installation starts from the shipped sample documents; HR's uploads add to them."""
    import shutil

    from bot.settings import SHIPPED

    target = settings.knowledge_dir
    if not target.exists() and (SHIPPED / "knowledge").is_dir():
        shutil.copytree(SHIPPED / "knowledge", target)
        print(f"    started {target} from the sample documents", flush=True)


def _serve(args, rest) -> int:
    if args.serve is None:
        raise ConfigError("the web app starts from the `interviewer` command: `interviewer serve`")
    settings = _settings()
    # In this process: one Python start-up, not two; the model is tested in its own child.
    prepare(settings, load_evaluator=False, test_model=False)
    app = _application(settings)
    service = app.interviews
    host, port = args.host or settings.host, args.port or settings.port
    from bot.settings import SERVING_AT

    # Other commands (`users add`, `invite`) and the recruiter's page name this address.
    (settings.home / SERVING_AT).write_text(f"http://{host}:{port}\n", encoding="utf-8")
    if args.invite_links:
        _print_invite_links(service, settings)
    # Probes and acknowledgements repeat across candidates: prepare them while nobody waits.
    # Not a daemon: a thread killed inside torch at exit aborts the process; it stops instead.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop closes like Ctrl+C
    warming = threading.Thread(target=_ready_writer, args=(service, stop), name="warm-up")
    warming.start()
    try:
        args.serve(app, host=host, port=port)
    finally:
        stop.set()
        warming.join()
        app.close()
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _print_invite_links(service, settings: Settings) -> None:
    import getpass

    from bot.staff.access import Actor, invite_for, invite_url

    operator = Actor(f"{getpass.getuser()}@serve", "recruiter")
    lines = ["Invite links (each opens one interview; `interviewer invite --role ROLE` makes "
             "more):"]  # fmt: skip
    for role in service.roles():
        invite = invite_for(service.store, service.catalog, settings, operator, role.id, None)
        lines.append(f"  {role.title:<32} {invite_url(settings, invite)}")
    if sys.stdout.isatty():
        print("\n".join(lines))
        return
    # Not a terminal (a service manager's log, a file): a live link there is a key anyone who
    # reads the log can use. It goes to a file only this account can read.
    path = settings.home / "invite-links.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    print(f"Invite links for each role are in {path} (kept out of this log).")


def _model_server(args, rest) -> int:
    from bot.generator.backends import _gguf_path, _gguf_version
    from bot.generator.model_server import main as model_server

    if "--model" not in rest:  # the configured GGUF (the packaged Qwen by default)
        settings = _settings()
        path = _gguf_path(settings)
        rest = ["--model", str(path), "--alias", _gguf_version(settings, path), *rest]
    return model_server(rest)


def _ingest(args, rest) -> int:
    from bot.knowledge.base import KnowledgeBase

    settings = _settings()
    _seed_documents(settings)
    print(KnowledgeBase(settings).ingest(progress=True))
    return 0


def _interview(args, rest) -> int:
    app = _application(_settings())
    service = app.interviews
    try:
        _ready_writer(service)  # as `serve` does at start, so the timings below are a server's
        session_id = service.start(args.role)
        print(f"session {session_id}\n")
        for m in service.history(session_id):
            _print_message(m)
        if args.answers is None:
            return _interview_live(service, session_id)
        return _interview_unattended(service, session_id, args.answers, args.consent)
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


def _transcript_show(args, rest) -> int:
    from dataclasses import asdict

    from bot.catalog import RoleCatalog
    from bot.store import Store
    from bot.transcript import read_transcript

    settings = _settings()
    store = Store(settings.db_url)
    transcript = read_transcript(store, RoleCatalog(store, settings.roles_dir), args.session)
    if args.json:
        print(json.dumps(asdict(transcript), indent=2, default=str))
    else:
        _print_transcript(transcript)
    return 0


def _transcript_list(args, rest) -> int:
    from bot.store import Store

    settings = _settings()
    for s in Store(settings.db_url).sessions(args.role):
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


def _accounts(settings: Settings):
    from bot.staff.access import Accounts
    from bot.store import Store

    settings.home.mkdir(parents=True, exist_ok=True)
    store = Store(settings.db_url)
    return Accounts(store)


def _new_password(from_stdin: bool) -> str:
    """The password from one stdin line, or typed twice without echo."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise InputError("the two passwords differ; run the command again")
    return first


def _users_add(args, rest) -> int:
    import getpass

    from bot.staff.access import check_name, check_password

    settings = _settings()
    check_name(args.name)  # before asking for a password it would refuse to use
    password = check_password(_new_password(args.password_stdin))
    by = f"cli:{getpass.getuser()}"
    actor = _accounts(settings).add_user(args.name, args.role, password, by)
    print(
        f"added {actor.role} account '{actor.name}'; they log in at "
        f"{settings.base_url}/{actor.role}"
    )
    return 0


def _users_list(args, rest) -> int:
    for u in _accounts(_settings()).store.users():
        state = "disabled" if u.disabled else "active"
        print(f"{u.name:<24} {u.role:<10} {state:<9} since {u.created_at:%Y-%m-%d}")
    return 0


def _users_disable(args, rest) -> int:
    import getpass

    _accounts(_settings()).disable(args.name, f"cli:{getpass.getuser()}")
    print(f"disabled '{args.name}'; their logins stop working now")
    return 0


def _users_password(args, rest) -> int:
    import getpass

    password = _new_password(args.password_stdin)
    _accounts(_settings()).set_password(args.name, password, f"cli:{getpass.getuser()}")
    print(f"new password set for '{args.name}'; their earlier logins stop working")
    return 0


def _invite(args, rest) -> int:
    import getpass

    from bot.catalog import RoleCatalog
    from bot.staff.access import Actor, invite_for, invite_url

    settings = _settings()
    store = _accounts(settings).store
    catalog = RoleCatalog(store, settings.roles_dir)
    catalog.publish_role_files()  # as the server does on start, so the sample roles exist
    # Whoever can run this on the server acts for the recruiters; the log names them.
    operator = Actor(f"{getpass.getuser()}@cli", "recruiter")
    invite = invite_for(store, catalog, settings, operator, args.role, args.email)
    print(invite_url(settings, invite))
    print(f"expires {invite.expires_at:%Y-%m-%d %H:%M} UTC; it opens one interview only")
    return 0


def _templates_check(args, rest) -> int:
    from bot.core.templates.files import check_main
    from bot.settings import SHIPPED

    settings = _settings()
    # Before the first `prepare`, the documents the installation will start from.
    knowledge = settings.knowledge_dir
    return check_main(rest, settings.roles_dir,
                      knowledge if knowledge.is_dir() else SHIPPED / "knowledge")  # fmt: skip


def _evaluator_train(args, rest) -> int:
    from bot.evaluator.training.train import main as train_main

    return train_main(rest)


def _day(text: str | None):
    from datetime import UTC, datetime

    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise InputError(f"'{text}' is not a date: write it as YYYY-MM-DD") from exc


def _audit_impact(args, rest) -> int:
    import getpass

    from bot.catalog import RoleCatalog
    from bot.staff.audit import gather, to_csv, to_html
    from bot.store import Store

    settings = _settings()
    store = Store(settings.db_url)
    report = gather(store, RoleCatalog(store, settings.roles_dir), args.role,
                    _day(args.since), _day(args.until), settings.fairness_min_group)  # fmt: skip
    store.append_event(f"cli:{getpass.getuser()}", "audit.impact", {"role": args.role})
    print(to_csv(report) if args.csv else to_html(report))
    return 0


def _audit_counterfactual(args, rest) -> int:
    import yaml

    from bot.catalog import RoleCatalog
    from bot.evaluator import load_scorer
    from bot.settings import SHIPPED
    from bot.staff.counterfactual import as_text, audit, sample_answers, stored_answers
    from bot.store import Store

    settings = _settings()
    store = Store(settings.db_url)
    catalog = RoleCatalog(store, settings.roles_dir)
    if args.samples:
        graded = yaml.safe_load((SHIPPED / "tests/integration/answers/graded.yaml").read_text())
        answers = sample_answers(catalog.role(args.role), graded)
    else:
        answers = stored_answers(store, catalog, args.role, args.limit)
    if not answers:
        raise InputError(f"no stored answers for '{args.role}' yet; try --samples")
    print(as_text(audit(load_scorer(settings), answers), args.role))
    return 0


def _retention_apply(args, rest) -> int:
    from datetime import UTC, datetime

    from bot.rights import past_retention
    from bot.store import Store

    settings = _settings()
    store = Store(settings.db_url)
    due = past_retention(store, settings.retention_days, datetime.now(UTC))
    word = "would erase" if args.dry_run else "erased"
    for session_id in due:
        if not args.dry_run:
            store.erase_session(session_id, "system:retention", "retention")
        print(f"{word} session {session_id}")
    print(f"{word} {len(due)} session(s) past {settings.retention_days} days")
    return 0


def _bench_answers(args, rest) -> int:
    from bot.bench_answers import main as answers_main

    return answers_main(rest)


def _bench_generator(args, rest) -> int:
    from bot.bench_generator import main as generator_main

    return generator_main(rest)


def _bench_load(args, rest) -> int:
    from bot.bench_load import main as load_main

    return load_main(rest)


def _bench_scoring(args, rest) -> int:
    from bot.bench import scoring_main

    return scoring_main(rest)


if __name__ == "__main__":
    sys.exit(main())
