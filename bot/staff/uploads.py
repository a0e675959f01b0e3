"""Documents HR upload: checked, given a safe name inside knowledge/, written atomically."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path, PurePosixPath, PureWindowsPath

from bot.core.errors import InputError

DOCUMENT_KINDS = ("company", "jobs")
DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt", ".pdf")
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")
# Names Windows reserves: a copy of knowledge/ made there would lose these files.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}  # fmt: skip


def safe_document_name(filename: str, kind: str, data: bytes) -> str:
    """The upload's own name when it is a plain file name; else InputError with a suggestion.

    A name is kept exactly or refused, never changed: a changed name could replace another
    document while HR reads the one they chose."""
    if kind not in DOCUMENT_KINDS:
        raise InputError(f"'{kind}' is not a document kind; use 'company' or 'jobs'")
    base = PureWindowsPath(PurePosixPath(filename or "").name).name  # no folders, either style
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in DOCUMENT_SUFFIXES:
        raise InputError(
            f"'{filename}' cannot be used: upload a Markdown, text or PDF file "
            f"({', '.join(DOCUMENT_SUFFIXES)})"
        )
    if not _PLAIN.fullmatch(stem) or stem.lower() in _RESERVED:
        suggestion = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:80] or "document"
        if suggestion.lower() in _RESERVED:
            suggestion += "-doc"
        raise InputError(
            f"'{base}' cannot be used as a file name: use letters, digits, '-' and '_' only "
            f"(not a reserved name like CON); rename it, e.g. '{suggestion}.{suffix.lower()}'"
        )
    suffix = f".{suffix}"
    if not data or len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"'{filename}' is empty or over {MAX_DOCUMENT_BYTES // 2**20} MB")
    if suffix.lower() == ".pdf" and not data.startswith(b"%PDF-"):
        raise InputError(f"'{filename}' is not a PDF file; export it as PDF again")
    if suffix.lower() != ".pdf":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"'{filename}' is not UTF-8 text; save it as UTF-8") from exc
    return stem + suffix


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Hidden (ingest skips dot files) and unique, so two uploads of one name never mix.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def save(path: Path, data: bytes) -> bytes | None:
    """Write an upload in place of any earlier file; returns the earlier bytes, if any."""
    previous = path.read_bytes() if path.is_file() else None
    _write(path, data)
    return previous


def restore(path: Path, previous: bytes | None) -> None:
    """Put back what was there before a failed upload, so knowledge/ matches the index."""
    if previous is None:
        path.unlink(missing_ok=True)
    else:
        _write(path, previous)
