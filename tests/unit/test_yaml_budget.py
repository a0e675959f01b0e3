"""Role-template YAML over its limits is refused at once, naming the limit and the fix."""

from __future__ import annotations

import time

import pytest

from bot.core.errors import TemplateError
from bot.roles.budget import MAX_ALIASES, MAX_BYTES, MAX_DEPTH
from bot.roles.files import load_role_text


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (billion_laughs(), f"more than {MAX_ALIASES} aliases"),
        ("a: " + "[" * 5000 + "]" * 5000, f"more than {MAX_DEPTH} levels"),
        ("\n".join(f"k{i}: v" for i in range(200_000)), f"limit is {MAX_BYTES // 1024} KB"),
    ],
    ids=["alias-bomb", "deep-nesting", "huge"],
)
def test_oversized_or_exploding_yaml_is_refused_in_milliseconds(text, says):
    started = time.perf_counter()
    with pytest.raises(TemplateError) as refused:
        load_role_text(text, "template.yaml")
    assert time.perf_counter() - started < 2.0
    assert says in str(refused.value) and str(refused.value).startswith("template.yaml:")
