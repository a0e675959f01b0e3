"""Click commands run as functions (`main(argv) -> int`), and the two things argparse gave the
commands that click does not: options that take several words (`--data a.jsonl b.jsonl`) and
commands imported only when used.

`interviewer` (bot/cli/) and the modules run on their own (`python -m
bot.generator.model_server`, `scoring_main([...])` in the tests) all go through `run`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

HELP_OPTIONS = ["-h", "--help"]  # argparse answered -h too; scripts and fingers know it
_EMPTY = "bot.commandline.empty"  # ctx.meta: Words options given with no word after them
_WORDS = "bot.commandline.words"  # ctx.meta: the words a Command was given
_NEGATIVE = re.compile(r"^-\d+$|^-\d*\.\d+$")  # a value, not an option (argparse's rule)


def run(command: click.Command, argv: Sequence[str] | None, prog: str, **context: Any) -> int:
    """Parse `argv` (default: this process's arguments) and run `command`: its int result (0 for
    None); a usage error printed as click prints it, with its code (2). `context`: the click
    Context's settings (`obj`, `default_map`).

    Not `command.main(standalone_mode=False)`: that turns Ctrl+C and EOFError into click's
    Abort after printing a line, and the callers answer those themselves. `--help` prints the
    help and raises SystemExit(0), as argparse did, so a caller never runs on after it."""
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        context.setdefault("help_option_names", HELP_OPTIONS)
        with command.make_context(prog, words, **context) as ctx:
            result = command.invoke(ctx)
    except click.exceptions.Exit as done:  # --help (after printing it)
        raise SystemExit(done.exit_code) from None
    except click.ClickException as error:
        error.show()
        return error.exit_code
    return int(result or 0)


class Lazy(click.Command):
    """A command imported when it runs or shows its own help, not when the tree is built:
    `interviewer --help` stays fast and only `evaluator train` pays for importing torch.
    `short_help` is what its group lists it with."""

    def __init__(self, name: str, load: Callable[[], click.Command], short_help: str) -> None:
        super().__init__(name, short_help=short_help)
        self.load = load

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # The group invokes `context.command`: the real command from here on.
        return self.load().make_context(info_name, args, parent=parent, **extra)


class Words(click.Option):
    """An option that takes every word after it up to the next option, as argparse's
    `nargs="+"` did (`nargs="*"` with `empty_ok`: the option alone is an empty list). Its value
    is a list, or `absent` when the option is not given. Only a `Command` spreads the words."""

    def __init__(
        self, *args: Any, empty_ok: bool = False, absent: Any = None, **kwargs: Any
    ) -> None:
        kwargs["multiple"] = True
        super().__init__(*args, **kwargs)
        self.empty_ok = empty_ok
        self.absent = absent

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        value = super().process_value(ctx, value)  # a tuple; a required one checked
        if value or self in ctx.meta.get(_EMPTY, ()):
            return list(value)
        return self.absent


class Command(click.Command):
    """A command with `Words` options: `--data a b` is read as `--data a --data b`. It also
    keeps the words it was given, for a report that records its own command (`words`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_WORDS] = tuple(args)
        return super().parse_args(ctx, self._spread(ctx, args))

    def _spread(self, ctx: click.Context, args: list[str]) -> list[str]:
        takers = {o: p for p in self.params if isinstance(p, Words) for o in p.opts}
        out: list[str] = []
        rest = list(args)
        while rest:
            word = rest.pop(0)
            if word == "--":  # the end of options: the rest as given
                out += [word, *rest]
                break
            name, eq, value = word.partition("=")
            taker = takers.get(name)
            if taker is None:
                out.append(word)
                continue
            found = [value] if eq else []  # `--data=a`: that one word, as argparse
            while not eq and rest and not _is_option(rest[0]):
                found.append(rest.pop(0))
            if not found and taker.empty_ok:
                ctx.meta.setdefault(_EMPTY, set()).add(taker)
            elif not found:  # as click says it, not taking the next option as the value
                raise click.BadOptionUsage(name, f"Option '{name}' requires an argument.", ctx)
            for one in found:
                out += [name, one]
        return out


def words(ctx: click.Context) -> tuple[str, ...]:
    """The words a `Command` was given, as typed."""
    return tuple(ctx.meta.get(_WORDS, ()))


def _is_option(word: str) -> bool:
    return word.startswith("-") and word != "-" and not _NEGATIVE.match(word)
