"""Retrieval with citations: the chunks nearest a question among what a role may quote.

A role sees its own documents and the company's, never another job's: the filter is built
from the role template's `documents` before the query reaches the index, and each snippet
comes back with its source and heading so an answer can say where it is from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from bot.ports import Snippet
from bot.roles.schema import RoleTemplate

COMPANY = "company"  # documents under knowledge/company/ are served to every role


POOL = 50  # chunks the embeddings rank before the words have their say
WORDS_SHARE = 0.25  # of the k places, at most this share go to BM25's best that meaning missed

def nearest(collection: Any, role: RoleTemplate, query: str, k: int = 4) -> list[Snippet]:
    """The k chunks that best match the query among the role's documents and the company's:
    the embeddings' ranking (meaning) first, and among the last places BM25's best (the words
    themselves: a product name, a country) that the embeddings ranked lower."""
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
        n_results=max(k, POOL),
        where=where,
        include=["documents", "metadatas", "distances"],
    )
    dense = [
        Snippet(str(text), str(meta["source"]), str(meta["heading"]), float(dist))
        for text, meta, dist in _first(found)
    ]
    return hybrid(query, dense, k)


def hybrid(query: str, dense: list[Snippet], k: int) -> list[Snippet]:
    """The embeddings' top k, except that up to a quarter of the places at the end go to the
    chunks BM25 ranks highest among the rest. A fusion that lets BM25 reorder the top (tried:
    reciprocal rank fusion) put "The team" above "Stack" for "Which database does the team
    use?" because of the one word "team"; the answerer weighs the words itself, it needs the
    passage in hand."""
    from rank_bm25 import BM25Okapi

    from bot.knowledge.answers import words

    asked = words(query)
    places = int(k * WORDS_SHARE)
    if not asked or places == 0 or len(dense) <= k:
        return dense[:k]
    scores = BM25Okapi([words(f"{s.heading} {s.text}") or ["-"] for s in dense]).get_scores(asked)
    kept = dense[: k - places]
    lifted = sorted((i for i in range(len(kept), len(dense)) if scores[i] > 0),
                    key=lambda i: -scores[i])[:places]  # fmt: skip
    chosen = [*kept, *(dense[i] for i in sorted(lifted))]
    rest = [s for s in dense if s not in chosen]
    return (chosen + rest)[:k]


def _source_of(path: str) -> str:
    """A document path as the index names it: posix, relative to knowledge/."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    return PurePosixPath(*[p for p in parts if p != "."]).as_posix()


def _first(result: Any) -> Iterable[tuple[Any, Any, Any]]:
    """The rows of a single-query Chroma result."""
    keys = ("documents", "metadatas", "distances")
    docs, metas, dists = (result[key][0] if result[key] else [] for key in keys)
    return zip(docs, metas, dists, strict=True)
