"""The candidate page's callbacks turn every refusal into a message on the page: the feedback
form once sent its refusals ("already saved", an empty form) out as raw exceptions."""

from __future__ import annotations

import gradio as gr
import pytest

from bot.core.errors import InputError
from ui import candidate


class RefusingDesk:
    def __init__(self, message: str) -> None:
        self.message = message

    def feedback(self, token: str, rating, comment: str) -> None:
        raise InputError(self.message)


class Refusing:
    def __init__(self, message: str) -> None:
        self.desk = RefusingDesk(message)


@pytest.mark.parametrize("message", [
    "thank you: your feedback for this interview is already saved",
    "the feedback form is empty; choose a rating or write a comment",
])  # fmt: skip
def test_a_refused_feedback_is_shown_as_a_message(message):
    with pytest.raises(gr.Error) as shown:
        candidate._leave_feedback(Refusing(message), "token", None, "")  # type: ignore[arg-type]
    assert message in str(shown.value.message)
