"""The `interviewer` command. Catches BotError at the boundary: a message, the trace in the log."""

from __future__ import annotations

import logging
import sys

import click

from bot import commandline
from bot.cli import accounts, audit, db, interviews, preparation, serving, templates
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
    try:
        return commandline.run(interviewer, argv, "interviewer", obj=serve)
    except BotError as exc:
        log.debug("failed", exc_info=True)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopped; everything answered so far is saved.", file=sys.stderr)
        return 130


def _help_unless_a_command(ctx: click.Context) -> int | None:
    """A group named without a command prints its help and exits 2, as any usage slip does."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        return 2
    return None


def _group(name: str, help: str, *commands: click.Command) -> click.Group:
    return click.Group(
        name, commands=commands, help=help, invoke_without_command=True, no_args_is_help=False,
        callback=click.pass_context(_help_unless_a_command),
    )  # fmt: skip


@click.group(invoke_without_command=True, no_args_is_help=False, help=__doc__)
@click.option("-v", "--verbose", is_flag=True, help="log debugging detail")
@click.pass_context
def interviewer(ctx: click.Context, verbose: bool) -> int | None:
    """The one command tree; each command lives in the module named where it is added."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    return _help_unless_a_command(ctx)


# Imported when run: the benchmarks, the model server (FastAPI) and training (torch) are
# heavy, and every other command would pay for them.
def _bench_scoring() -> click.Command:
    from bot.bench.scoring import scoring

    return scoring


def _bench_load() -> click.Command:
    from bot.bench.load import load

    return load


def _bench_generator() -> click.Command:
    from bot.bench.generator import generator

    return generator


def _bench_answers() -> click.Command:
    from bot.bench.answers import answers

    return answers


def _bench_resumes() -> click.Command:
    from bot.bench.resumes import resumes

    return resumes


def _evaluator_train() -> click.Command:
    from bot.evaluator.training.train import command

    return command


Lazy = commandline.Lazy
for _command in (
    preparation.prepare_command,
    serving.serve,
    preparation.ingest,
    Lazy("model-server", preparation.model_server, "serve a GGUF model over an "
         "OpenAI-compatible API (what serve runs as its child; run it alone for several app "
         "processes)"),  # fmt: skip
    interviews.interview,
    _group("transcripts", "read stored interviews",
           interviews.transcript_show, interviews.transcript_list),  # fmt: skip
    _group("users", "HR and recruiter accounts", accounts.users_add, accounts.users_list,
           accounts.users_disable, accounts.users_password),  # fmt: skip
    accounts.make_invite,
    _group("templates", "role templates", templates.templates_check),
    _group("evaluator", "the answer evaluator",
           Lazy("train", _evaluator_train, "fine-tune the evaluator")),  # fmt: skip
    _group("audit", "fairness audits on this installation's own data",
           audit.audit_impact, audit.audit_counterfactual),  # fmt: skip
    _group("retention", "candidates' data past its retention", audit.retention_apply),
    _group("db", "the database", db.db_copy),
    _group("bench", "benchmarks",
           Lazy("scoring", _bench_scoring, "score graded-answer files"),
           Lazy("load", _bench_load, "simulated candidates through the HTTP API"),
           Lazy("generator", _bench_generator,
                "acknowledgements and probes over the sample answers"),
           Lazy("answers", _bench_answers, "candidates' questions answered from the documents"),
           Lazy("resumes", _bench_resumes, "resumes matched against jobs' requirements")),
):  # fmt: skip
    interviewer.add_command(_command)
