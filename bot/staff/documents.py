"""HR's list of job and company documents: what is in knowledge/, how much of it is indexed,
and who put it there.

The folder says which documents exist, the index how many chunks each has, and the audit log
who uploaded each one last and when. A document nobody uploaded (a shipped sample, or a file
an operator copied in) is listed with no uploader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from bot.staff.uploads import DOCUMENT_KINDS, DOCUMENT_SUFFIXES

if TYPE_CHECKING:
    from bot.store import EventRow

UPLOADED = "document.uploaded"
REMOVED = "document.removed"


@dataclass(frozen=True)
class DocumentEntry:
    """One document as HR's list shows it."""

    source: str  # its name under knowledge/, e.g. "jobs/night-shift.md"
    size: int  # bytes on disk
    chunks: int  # chunks in the index; 0 while it is being indexed or if it could not be read
    uploaded_at: datetime | None  # the latest upload; None for a sample or a copied file
    uploaded_by: str | None


def on_disk(root: Path) -> dict[str, Path]:
    """Every document HR can see under knowledge/KIND/, by source name; hidden files left out
    (an upload is written under a hidden name until it is complete)."""
    found: dict[str, Path] = {}
    for kind in DOCUMENT_KINDS:
        folder = root / kind
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.is_file() and not path.name.startswith("."):
                if path.suffix.lower() in DOCUMENT_SUFFIXES:
                    found[f"{kind}/{path.name}"] = path
    return found


def listed(
    files: Mapping[str, Path], chunks: Mapping[str, int], events: Sequence[EventRow]
) -> list[DocumentEntry]:
    """The documents in `files`, with their chunk counts and latest upload, by name.

    `events` are upload and removal entries of the audit log, oldest first: a removal forgets
    the uploads before it, so a document removed and later copied back by hand shows no
    uploader."""
    latest: dict[str, EventRow] = {}
    for event in events:
        source = str(event.payload.get("path", ""))
        if event.kind == UPLOADED:
            latest[source] = event
        elif event.kind == REMOVED:
            latest.pop(source, None)
    out = []
    for source, path in sorted(files.items()):
        upload = latest.get(source)
        out.append(
            DocumentEntry(
                source,
                path.stat().st_size,
                chunks.get(source, 0),
                upload.at if upload else None,
                upload.actor if upload else None,
            )
        )
    return out


def named(paths: Sequence[str]) -> set[str]:
    """A role's `documents:` as source names ('./jobs/x.md' and 'jobs\\x.md' are 'jobs/x.md')."""
    return {PurePosixPath(p.replace("\\", "/")).as_posix() for p in paths}
