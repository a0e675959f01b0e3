"""How text reaches the page. Whatever a candidate wrote is shown as text, never run as HTML.

Two places render strings: Markdown (chat bubbles) and raw HTML (recruiter views). Each gets
its own escape, so `<script>` or `**bold**` typed by a candidate appears exactly as typed.
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation mark may be backslash-escaped in CommonMark; these are the ones
# that would otherwise format, link or start a block.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")


def as_markdown_text(text: str) -> str:
    """Literal text inside a Markdown renderer: HTML escaped, Markdown syntax neutralised."""
    escaped = html.escape(text, quote=False)
    return "\n".join(_MARKDOWN.sub(r"\\\1", line) for line in escaped.split("\n"))


def e(value: object) -> str:
    """Text for an HTML page: escaped, with None shown as a dash."""
    return "—" if value is None else html.escape(str(value))


def score_text(value: float | None) -> str:
    """A 0..1 score as recruiters read it, or a dash when there is none yet."""
    return "—" if value is None else f"{value:.2f}"
