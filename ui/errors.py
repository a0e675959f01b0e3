"""How errors reach a page: one decorator for every callback.

A BotError shows its public text (a code and the next step, never a path, a session id or a
Python exception); anything else shows the catalogue's E000 text. The log keeps the detail.
Where a form has a place for messages, `beside` puts the refusal there instead: Gradio would
otherwise cover the callback's outputs (the box being filled in) with a red "Error" badge.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

import gradio as gr

from bot.core.errors import BotError
from ui.shown import as_markdown_text

log = logging.getLogger("interviewer.ui")
P = ParamSpec("P")
R = TypeVar("R")


def shown(callback: Callable[P, R]) -> Callable[P, R]:
    """Run a page callback; a failure becomes a message on the page, the detail goes to the log."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return callback(*args, **kwargs)
        except gr.Error:
            raise
        except BotError as exc:
            log.warning("%s refused: %s", callback.__name__, exc, exc_info=True)
            raise gr.Error(exc.public()) from exc
        except Exception as exc:
            log.exception("%s failed", callback.__name__)
            raise gr.Error(BotError().public()) from exc

    return run


def refusal(message: str, as_html: bool = False) -> str:
    """A refusal as the message shown beside a form: what went wrong and what to do."""
    if as_html:
        return f'<p class="refusal" role="alert">⚠ {html.escape(message)}</p>'
    return f"⚠ {as_markdown_text(message)}"


def beside(
    outputs: int, at: int, *, as_html: bool = False, cleared: Sequence[int] = ()
) -> Callable[[Callable[P, Any]], Callable[P, Any]]:
    """Like `shown`, but a refusal becomes the text of output `at` (of `outputs`); the other
    outputs keep what they show, except `cleared` ones, which are emptied."""

    def wrap(callback: Callable[P, Any]) -> Callable[P, Any]:
        guarded = shown(callback)

        @functools.wraps(callback)
        def run(*args: P.args, **kwargs: P.kwargs) -> Any:
            try:
                return guarded(*args, **kwargs)
            except gr.Error as exc:
                said: list[Any] = [gr.skip()] * outputs
                for n in cleared:
                    said[n] = ""
                said[at] = refusal(str(exc.message), as_html)
                return tuple(said) if outputs > 1 else said[0]

        return run

    return wrap
