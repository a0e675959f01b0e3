"""A resume file -> plain text, one line per line of the resume, in reading order.

PDF through pypdf, DOCX through python-docx (paragraphs and tables in document order), TXT and
Markdown as UTF-8. Nothing fails silently: a file that cannot be read raises an InputError that
says why and what to send instead; a PDF without a text layer (a scan) says so rather than
giving an empty profile.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from bot.core.errors import InputError

SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".markdown")
MAX_BYTES = 5 * 1024 * 1024  # a resume is a few pages; anything larger is not one
# Under this many letters over the whole PDF there is no text layer to read.
MIN_LETTERS = 40


def read_resume(path: Path, data: bytes | None = None, max_bytes: int = MAX_BYTES) -> str:
    """The resume's text. `data` is the file's bytes when they are already in memory."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"{path.name}: a resume must be a PDF, DOCX, TXT or Markdown file, not "
            f"'{suffix or 'no extension'}'; save it in one of those formats"
        )
    if data is None:
        try:
            if path.stat().st_size > max_bytes:
                raise InputError(_too_big(path, path.stat().st_size, max_bytes))
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise InputError(_too_big(path, len(data), max_bytes))
    if suffix == ".pdf":
        text = _pdf_text(path.name, data)
    elif suffix == ".docx":
        text = _docx_text(path.name, data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path.name}: not UTF-8 text ({exc.reason}); save it as UTF-8 and upload it again"
            ) from exc
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise InputError(f"{path.name}: holds almost no text; is it the right file?")
    return text.strip()


def _too_big(path: Path, size: int, limit: int) -> str:
    return (
        f"{path.name} is {size / 1_048_576:.1f} MB; a resume may be at most "
        f"{limit / 1_048_576:.0f} MB: send a version without images"
    )


def _pdf_text(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: the PDF is password-protected; send an unprotected copy")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PyPdfError, ValueError, OSError, KeyError) as exc:
        raise InputError(f"{name}: unreadable PDF ({exc}); export it again or send a DOCX") from exc
    text = "\n\n".join(p for p in pages if p)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise InputError(
            f"{name}: this PDF has no text layer (a scan or a picture of a page), so there is "
            "nothing to read; ask for the PDF the resume was written as, a DOCX or a TXT"
        )
    return text


def _docx_text(name: str, data: bytes) -> str:
    import zipfile

    try:
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise InputError("reading DOCX needs python-docx; reinstall the project") from exc
    try:
        document = Document(BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            f"{name}: not a readable DOCX ({exc}); save it again from the word processor, or "
            "send a PDF"
        ) from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            lines += _table_lines(Table(block, document))
    return "\n".join(lines)


def _table_lines(table) -> list[str]:
    """A layout table (one row of side-by-side columns, as two-column resumes are built) is
    read a column at a time; a real table (several rows) a row at a time, cells joined by |."""
    rows = table.rows
    if len(rows) == 1:
        out: list[str] = []
        for cell in _distinct(rows[0].cells):
            out += [p.text for p in cell.paragraphs] + [""]
            for inner in cell.tables:
                out += _table_lines(inner)
        return out
    lines = []
    for row in rows:
        cells = [" ".join(c.text.split()) for c in _distinct(row.cells)]
        cells = [c for c in cells if c]
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _distinct(cells) -> list:
    """A merged cell appears once per grid column it spans: each once."""
    seen, out = set(), []
    for c in cells:
        if id(c._tc) not in seen:
            seen.add(id(c._tc))
            out.append(c)
    return out
