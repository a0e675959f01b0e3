"""Splitting an answer into the sentences that can serve as evidence (standard library only)."""

from __future__ import annotations

import re

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# whitespace, or at a line break; bullets and numbering at a line start are dropped.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\s*\n+\s*")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")

MAX_UNITS = 16  # sentences scored per key point; longer answers are grouped into windows


def split_sentences(answer: str) -> list[str]:
    """The answer's sentences, stripped, in order; empty pieces dropped."""
    parts = (_BULLET.sub("", p).strip() for p in _BOUNDARY.split(answer.strip()))
    return [p for p in parts if any(ch.isalnum() for ch in p)]


def evidence_units(answer: str, max_units: int = MAX_UNITS) -> list[str]:
    """Sentences to check each key point against, grouped into at most `max_units` windows.

    A very long answer would otherwise cost one model call per sentence per key point; grouping
    neighbouring sentences keeps the cost bounded while every quoted unit is still answer text.
    """
    sentences = split_sentences(answer)
    if len(sentences) <= max_units:
        return sentences
    size = -(-len(sentences) // max_units)  # ceiling division
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]


def clip(text: str, limit: int) -> str:
    """The text cut to at most `limit` characters, at a word boundary where one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 0.8 else cut


def quote(text: str, limit: int = 160) -> str:
    """A short double-quoted excerpt for an explanation."""
    short = clip(text, limit)
    return f'"{short}{"..." if len(short) < len(text) else ""}"'
