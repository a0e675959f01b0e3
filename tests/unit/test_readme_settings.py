"""The README's settings table tells the truth: every setting is in it, and every default it
states as a value is the one the code uses (a default described in words is left to the
words)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def table() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([A-Z_0-9]+)`", cells[0])
        values = re.findall(r"`([^`]*)`", cells[1])
        literal = re.fullmatch(r"(`[^`]*`)(,\s*`[^`]*`)*", cells[1]) is not None
        for i, name in enumerate(names):
            rows[name.lower()] = values[i] if literal and len(values) == len(names) else ""
    return rows


def test_every_setting_is_in_the_readme():
    missing = set(Settings.model_fields) - set(table())
    assert not missing, f"settings missing from README's Configuration table: {sorted(missing)}"


def test_every_default_the_readme_states_is_the_codes():
    wrong = {}
    for name, stated in table().items():
        field = Settings.model_fields.get(name)
        assert field is not None, f"README names a setting the code does not have: {name}"
        if not stated:
            continue  # described in words ("empty: ...", "the shipped ...")
        default = field.default
        value = getattr(default, "get_secret_value", lambda d=default: d)()
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            same = float(stated) == float(value)
        else:
            same = stated == shown
        if not same:
            wrong[name] = (stated, shown)
    assert not wrong, f"README defaults that differ from Settings (README, code): {wrong}"
