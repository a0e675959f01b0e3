"""The `interviewer` command. Catches BotError at the boundary: a message, the trace in the log."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from bot.cli import accounts, audit, bench, db, interviews, preparation, serving, templates
from bot.cli.config import go_offline
from bot.cli.preparation import prepare
from bot.cli.serving import Serve
from bot.cli.serving import print_invite_links as _print_invite_links
from bot.core.errors import BotError

# What ui/launch.py and the tests use from `bot.cli`.
__all__ = ["Serve", "_print_invite_links", "main", "prepare"]

log = logging.getLogger("interviewer")


def main(argv: list[str] | None = None, serve: Serve | None = None) -> int:
    """Entry point of the `interviewer` console script (ui/launch.py passes `serve`)."""
    go_offline()
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
    # A passthrough command hands the words after its name to its own parser.
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
    """The one command tree; each command's body lives in the module named beside it."""
    p = argparse.ArgumentParser(prog="interviewer", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log debugging detail")
    sub = p.add_subparsers(title="commands")

    def command(name: str, run: Callable, help: str, parent=sub, passthrough=False):
        # A passthrough command's --help is its own parser's, which lists its flags.
        c = parent.add_parser(name, help=help, description=help, add_help=not passthrough)
        c.set_defaults(run=run, passthrough=passthrough)
        return c

    command("prepare", preparation.prepare_command,
            "prepare the models, the database and the knowledge index")  # fmt: skip
    s = command("serve", serving.serve, "serve the web app")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument(
        "--invite-links",
        action="store_true",
        help="print a fresh invite link for each role, to try an interview at once",
    )
    command("ingest", preparation.ingest, "ingest knowledge/ into the vector store (incremental)")
    command("model-server", preparation.model_server, "serve a GGUF model over an "
            "OpenAI-compatible API (what serve runs as its child; run it alone for several app "
            "processes)", passthrough=True)  # fmt: skip
    i = command("interview", interviews.interview, "hold an interview in the terminal")
    i.add_argument("--role", required=True, help="role id, e.g. backend-python")
    i.add_argument("--answers", type=Path, help="file with one answer per line: runs unattended")
    i.add_argument("--consent", choices=["yes", "no"], default="yes", help="with --answers")

    tr = sub.add_parser("transcripts", help="read stored interviews").add_subparsers()
    what = "print one session's transcript with scores"
    show = command("show", interviews.transcript_show, what, tr)
    show.add_argument("session")
    show.add_argument("--json", action="store_true")
    command("list", interviews.transcript_list, "list sessions", tr).add_argument("--role")

    us = sub.add_parser("users", help="HR and recruiter accounts").add_subparsers()
    add = command("add", accounts.users_add, "create an HR or recruiter account", us)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["hr", "recruiter"])
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin (scripts)"
    )
    command("list", accounts.users_list, "list accounts", us)
    what = "disable an account; its logins stop at once"
    command("disable", accounts.users_disable, what, us).add_argument("name")
    what = "set a new password; older logins stop"
    pw = command("password", accounts.users_password, what, us)
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    what = "make a single-candidate invite link for a role"
    inv = command("invite", accounts.make_invite, what)
    inv.add_argument("--role", required=True, help="role id, e.g. backend-python")
    inv.add_argument("--email", help="the candidate's email, kept with the session")

    tp = sub.add_parser("templates", help="role templates").add_subparsers()
    command("check", templates.templates_check, "validate role templates", tp, passthrough=True)

    ev = sub.add_parser("evaluator", help="the answer evaluator").add_subparsers()
    what = "fine-tune the evaluator"
    command("train", preparation.evaluator_train, what, ev, passthrough=True)

    au = sub.add_parser("audit", help="fairness audits on this installation's own data")
    au_sub = au.add_subparsers()
    what = "impact ratios for a role (LL144 format)"
    imp = command("impact", audit.audit_impact, what, au_sub)
    imp.add_argument("--role", required=True)
    imp.add_argument("--since", help="YYYY-MM-DD: sessions started on or after this day")
    imp.add_argument("--until", help="YYYY-MM-DD: sessions started before this day")
    imp.add_argument("--csv", action="store_true", help="CSV instead of the printable page")
    what = "re-score answers with names, pronouns and English variants swapped"
    cf = command("counterfactual", audit.audit_counterfactual, what, au_sub)
    cf.add_argument("--role", required=True)
    cf.add_argument("--samples", action="store_true",
                    help="the shipped sample answers instead of this installation's")  # fmt: skip
    cf.add_argument("--limit", type=int, default=100, help="most recent answers re-scored")

    rt = sub.add_parser("retention", help="candidates' data past its retention").add_subparsers()
    what = "erase data past INTERVIEWER_RETENTION_DAYS"
    ap = command("apply", audit.retention_apply, what, rt)
    ap.add_argument("--dry-run", action="store_true", help="list what would be erased")

    dbs = sub.add_parser("db", help="the database").add_subparsers()
    what = "copy this installation's data into another, empty database (stop the app first)"
    cp = command("copy", db.db_copy, what, dbs)
    cp.add_argument("--to", required=True, help="the target's URL, e.g. "
                    "postgresql+psycopg://interviewer@db-host/interviewer")  # fmt: skip
    cp.add_argument("--from", dest="source", help="the source's URL (default: the "
                    "configured database: INTERVIEWER_DATABASE_URL or the SQLite file under "
                    "INTERVIEWER_HOME)")  # fmt: skip

    be = sub.add_parser("bench", help="benchmarks").add_subparsers()
    command("scoring", bench.bench_scoring, "score graded-answer files", be, passthrough=True)
    what = "simulated candidates through the HTTP API"
    command("load", bench.bench_load, what, be, passthrough=True)
    what = "acknowledgements and probes over the sample answers"
    command("generator", bench.bench_generator, what, be, passthrough=True)
    what = "candidates' questions answered from the documents"
    command("answers", bench.bench_answers, what, be, passthrough=True)
    return p
