"""A destructive action asks first: its button gives way to Confirm and Cancel until one is
pressed (retiring a role, removing a document)."""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr


def asking(on: bool) -> tuple:
    """Visibility of (the action's button, Confirm, Cancel)."""
    return (
        gr.update(visible=not on),
        gr.update(visible=on),
        gr.update(visible=on),
    )


def ask(chosen: str | None, missing: str, question: Callable[[str], str]) -> tuple:
    """Buttons and message for the action's first press: the question about what was chosen,
    or `missing` (and no confirmation) when nothing was."""
    if not chosen:
        return *asking(False), f"⚠ {missing}"
    return *asking(True), question(chosen)
