"""How errors reach a page: one decorator for every callback.

A BotError shows its public text (a code and the next step, never a path, a session id or a
Python exception); anything else shows the catalogue's E000 text. The log keeps the detail.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import gradio as gr

from bot.core.errors import BotError

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
