"""Retrieval with citations: the chunks nearest a question among what a role may quote.

A role sees its own documents and the company's, never another job's: the filter is built
from the role template's `documents` before the query reaches the index, and each snippet
comes back with its source and heading so an answer can say where it is from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from bot.core.templates.schema import RoleTemplate
from bot.ports import Snippet

COMPANY = "company"  # documents under knowledge/company/ are served to every role


def nearest(collection: Any, role: RoleTemplate, query: str, k: int = 4) -> list[Snippet]:
    """The k chunks nearest the query among the role's documents and the company's."""
    if not query.strip() or k < 1:
        return []
    documents = sorted({_source_of(d) for d in role.documents})
    # A role with no documents of its own (a draft) still sees the company's.
    where: dict[str, Any] = (
        {"$or": [{"scope": COMPANY}, {"source": {"$in": documents}}]}
        if documents
        else {"scope": COMPANY}
    )
    found = collection.query(
        query_texts=[query],
        n_results=k,
        where=where,
        include=["documents", "metadatas", "distances"],
    )
    return [
        Snippet(str(text), str(meta["source"]), str(meta["heading"]), float(dist))
        for text, meta, dist in _first(found)
    ]


def _source_of(path: str) -> str:
    """A document path as the index names it: posix, relative to knowledge/."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    return PurePosixPath(*[p for p in parts if p != "."]).as_posix()


def _first(result: Any) -> Iterable[tuple[Any, Any, Any]]:
    """The rows of a single-query Chroma result."""
    keys = ("documents", "metadatas", "distances")
    docs, metas, dists = (result[key][0] if result[key] else [] for key in keys)
    return zip(docs, metas, dists, strict=True)
