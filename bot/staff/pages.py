"""The HTML pages staff print or download (transcripts, the impact-ratio report), from templates.

One Jinja2 environment, so every page gets the same guarantees without a call to remember:
every value is escaped unless it arrives as Markup, every value loses its control characters,
and a name a template gets wrong fails loudly instead of printing nothing. The exports'
CSV and JSON strip control characters with the same `printable`.
"""

from __future__ import annotations

import re

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

# Control characters (NUL, ESC, ...) other than tab and line breaks: a terminal or a
# spreadsheet may act on them, and no answer needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """The text without control characters (tabs and line breaks kept)."""
    return _CONTROL.sub("", text)


def _shown(value: object) -> object:
    """What a template prints for a value, before autoescaping: None prints nothing."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return Markup(printable(value))  # taking characters out of markup adds no markup
    return printable(str(value))


_ENV = Environment(
    loader=PackageLoader("bot.staff", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    finalize=_shown,
    trim_blocks=True,
    lstrip_blocks=True,
)
# Python's format specs ("{:.2f}", "{:%Y-%m-%d}"), so numbers and dates read as elsewhere.
_ENV.filters["fmt"] = format


def render(name: str, **values: object) -> str:
    """A template from bot/staff/templates filled in with the values."""
    return _ENV.get_template(name).render(**values)
