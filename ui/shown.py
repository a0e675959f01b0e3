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


# A web address the chat turns into a link by itself: escaping inside it would show as stray
# backslashes in the link, and nothing in it can format text.
_URL = re.compile(r"https?://[^\s<>\"]+")


def as_markdown_text(text: str) -> str:
    """Literal text inside a Markdown renderer: HTML escaped, Markdown syntax neutralised
    (web addresses left whole, so they read and link as typed)."""
    out = []
    for line in html.escape(text, quote=False).split("\n"):
        parts, pos = [], 0
        for url in _URL.finditer(line):
            parts += [_MARKDOWN.sub(r"\\\1", line[pos : url.start()]), url.group(0)]
            pos = url.end()
        parts.append(_MARKDOWN.sub(r"\\\1", line[pos:]))
        out.append("".join(parts))
    return "\n".join(out)


def e(value: object) -> str:
    """Text for an HTML page: escaped, with None shown as a dash."""
    return "—" if value is None else html.escape(str(value))


def score_text(value: float | None) -> str:
    """A 0..1 score as recruiters read it, or a dash when there is none yet."""
    return "—" if value is None else f"{value:.2f}"
