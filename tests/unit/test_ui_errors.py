"""A refusal shown beside a form: the message where the form says things, the rest untouched."""

from __future__ import annotations

import gradio as gr

from bot.core.errors import InputError
from ui.errors import beside


@beside(3, 2)
def save(reason: str):
    if len(reason) < 10:
        raise InputError("an override needs a reason of at least 10 characters; write one")
    return "view", "", "Override saved."


@beside(2, 0, as_html=True, cleared=(1,))
def export(ok: bool):
    if not ok:
        raise gr.Error("Choose a session, or a role in the filter, to export.")
    return "<p>link</p>", "/export/abc"


def test_a_refusal_is_a_message_beside_the_form_and_the_box_keeps_its_text():
    view, reason, outcome = save("short")
    assert view == gr.skip() and reason == gr.skip()  # the typed reason stays in its box
    assert outcome.startswith("⚠") and "needs a reason of at least 10 characters" in outcome
    assert save("A reason that is long enough.") == ("view", "", "Override saved.")


def test_an_html_refusal_is_escaped_and_clears_what_would_act_on_an_old_value():
    shown, link = export(False)
    assert 'role="alert"' in shown and "Choose a session, or a role" in shown
    assert link == ""  # no earlier (used) download link is opened again
    assert export(True) == ("<p>link</p>", "/export/abc")


def test_an_unexpected_failure_shows_the_catalogue_text_not_the_exception():
    @beside(1, 0)
    def broken():
        raise RuntimeError("/var/lib/secret path in a traceback")

    said = broken()
    assert "secret" not in said and said.startswith("⚠")
