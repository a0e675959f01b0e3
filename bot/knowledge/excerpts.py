"""Quoting the company's own documents when the small model cannot phrase an answer.

A candidate asking "Is the role remote?" deserves the answer the documents hold. When the
generator's text is refused, the passage retrieval ranked first is quoted with its source,
provided it is close enough to the question to be about it; otherwise the question is
passed to the recruiter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.ports import Snippet

# Cosine distance from all-MiniLM-L6-v2: on the sample documents, passages that answer a
# question sit at 0.42-0.70, unrelated ones at 0.80 and beyond.
RELEVANT_DISTANCE = 0.75
MAX_CHARS = 420
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an and are as at be can do does for from how i in is it me my of on or our the this to "
    "we what when where which who will with would you your".split()
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def best_excerpt(question: str, context: Sequence[Snippet]) -> tuple[str, Snippet] | None:
    """The passage that answers the question, clipped to whole sentences, or None."""
    near = [s for s in context if s.distance <= RELEVANT_DISTANCE]
    if not near:
        return None
    snippet = min(near, key=lambda s: s.distance)
    parts = [p.strip() for p in _SENTENCE.split(snippet.text) if p.strip()]
    if not parts:
        return None
    asked = _words(question) | _words(snippet.heading.split(">")[-1])
    start = max(range(len(parts)), key=lambda i: (len(asked & _words(parts[i])), -i))
    excerpt = ""
    for part in parts[start:]:
        if excerpt and len(excerpt) + len(part) > MAX_CHARS:
            break
        excerpt = f"{excerpt} {part}".strip()
    return excerpt[: MAX_CHARS + 80], snippet


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)


def without_images(text: str) -> str:
    """Markdown or HTML images replaced by their alt text: a quote never makes the
    candidate's browser fetch anything."""
    return _HTML_IMAGE.sub("", _IMAGE.sub(lambda m: m.group(1), text))


def quoted(excerpt: str, snippet: Snippet) -> str:
    """How the quote reads to the candidate: plainly from the documents, not from the AI."""
    where = snippet.heading.split(">")[-1].strip() or snippet.source
    text = without_images(excerpt).replace("**", "")
    return f"The documents say this about it ({where}):\n\n> {text}"
