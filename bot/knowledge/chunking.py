"""Reading and cutting documents into the chunks the index holds: pure, no index, no model.

Markdown is cut at its headings, a PDF by page, plain text kept whole; then each section is
packed into chunks of a size the embedding model reads well, each opening with the previous
one's closing sentences so that a point straddling a cut is still found whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import KnowledgeError

MAX_CHARS, OVERLAP = 800, 120  # chunk size and the tail of one chunk repeated in the next


@dataclass(frozen=True)
class Section:
    heading: str  # heading path, e.g. "Benefits > Leave"; "" before the first heading
    text: str


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def markdown_sections(text: str) -> list[Section]:
    """Split Markdown at ATX headings (not inside code fences); each keeps its heading path."""
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    lines: list[str] = []
    in_fence = False

    def flush() -> None:
        body = "\n".join(lines).strip()
        if body:
            sections.append(Section(" > ".join(title for _, title in path), body))
        lines.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            lines.append(line)
            continue
        flush()
        level = len(match.group(1))
        path = [(lv, t) for lv, t in path if lv < level] + [(level, match.group(2).strip())]
    flush()
    return sections


def _units(text: str, limit: int) -> Iterator[str]:
    """Paragraphs; a paragraph over `limit` as sentences; a sentence over it as word runs."""
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if len(para) <= limit:
            if para:
                yield para
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", para):
            while len(sentence) > limit:
                cut = sentence.rfind(" ", 0, limit)
                cut = cut if cut > limit // 2 else limit
                yield sentence[:cut].strip()
                sentence = sentence[cut:].strip()
            if sentence:
                yield sentence


def _tail(text: str, overlap: int) -> str:
    """The last whole sentences of `text` that fit in `overlap` chars ("" if none fit)."""
    kept: list[str] = []
    for sentence in reversed(re.split(r"(?<=[.!?])\s+", text.strip())):
        if len(" ".join([sentence, *kept])) > overlap:
            break
        kept.insert(0, sentence)
    return " ".join(kept)


def split_text(text: str, max_chars: int = MAX_CHARS, overlap: int = OVERLAP) -> list[str]:
    """Pack paragraphs into chunks of at most ~max_chars. Each chunk after the first opens
    with the previous one's closing sentences (up to `overlap` chars), so a point that
    straddles a cut is still found whole in one chunk."""
    chunks: list[str] = []
    current: list[str] = []
    for unit in _units(text, max_chars - overlap - 2):
        if current and len("\n\n".join([*current, unit])) > max_chars:
            chunks.append("\n\n".join(current))
            carried = _tail(current[-1], overlap)
            current = [carried] if carried else []
        current.append(unit)
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def read_sections(path: Path, data: bytes) -> list[Section]:
    """A document's text (`data`, the bytes of `path`) as sections: Markdown by heading,
    PDF by page, plain text whole."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf_sections(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise KnowledgeError(f"not UTF-8 text ({e.reason}); save it as UTF-8") from e
    if suffix in (".md", ".markdown"):
        return markdown_sections(text)
    return [Section("", text.strip())] if text.strip() else []


def _pdf_sections(data: bytes) -> list[Section]:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise KnowledgeError("the PDF is password-protected; upload an unprotected copy")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PyPdfError, ValueError, OSError) as e:
        raise KnowledgeError(f"unreadable PDF ({e}); re-export it or upload the text") from e
    return [Section(f"page {n}", text) for n, text in enumerate(pages, 1) if text]


@dataclass(frozen=True)
class Chunk:
    text: str
    heading: str


def chunk_document(path: Path, data: bytes | None = None) -> list[Chunk]:
    """The chunks to index for one file, in reading order."""
    return [
        Chunk(piece, section.heading)
        for section in read_sections(path, path.read_bytes() if data is None else data)
        for piece in split_text(section.text)
    ]
