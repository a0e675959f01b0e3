"""The Chroma collection that holds the chunks, and what each chunk carries about its file.

The index is its own manifest: every chunk's metadata names its source, its file's content
hash and how many chunks the file has, so an ingest can tell unchanged files from changed or
half-written ones without a second store. Opening the collection checks that it was built
with the embedding model in use, and rebuilds it when not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.errors import KnowledgeError
from bot.knowledge.chunking import Chunk

# The knowledge base's log, whichever of its modules speaks: one name to follow and filter on.
log = logging.getLogger("bot.knowledge.base")

COLLECTION = "knowledge"

Progress = Callable[[int, int], None]  # (chunks done, chunks in all)


def open_collection(chroma_dir: Path, chroma_url: str, embed: Any, version: str) -> Any:
    """The knowledge collection, in a Chroma server (`chroma_url`) or under `chroma_dir`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from chromadb.errors import ChromaError

    quiet = ChromaSettings(anonymized_telemetry=False)
    try:
        if chroma_url:  # a Chroma server shared by several app processes
            from urllib.parse import urlparse

            where = urlparse(chroma_url)
            client = chromadb.HttpClient(
                host=where.hostname or "127.0.0.1", port=where.port or 8000,
                ssl=where.scheme == "https", settings=quiet,
            )  # fmt: skip
        else:
            chroma_dir.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(chroma_dir), settings=quiet)
        return _collection_for(client, embed, version)
    except (OSError, ValueError, ChromaError) as e:
        place = chroma_url or chroma_dir
        raise KnowledgeError(
            f"cannot open the knowledge index at {place}: {e}; check that the folder is "
            "writable or the Chroma server is running (INTERVIEWER_CHROMA_URL), then run "
            "`interviewer ingest`"
        ) from e


def _collection_for(client: Any, ef: Any, version: str) -> Any:
    meta = {"embedding_model": version}
    config = {"hnsw": {"space": "cosine"}}
    names = {c.name for c in client.list_collections()}
    if COLLECTION in names:
        found = client.get_collection(COLLECTION, embedding_function=ef)
        if (found.metadata or {}).get("embedding_model") == version:
            return found
        log.warning(
            "knowledge index was built with %s, now %s: rebuilding it; "
            "run `interviewer ingest` to fill it",
            (found.metadata or {}).get("embedding_model"),
            version,
        )
        client.delete_collection(COLLECTION)
    return client.create_collection(
        COLLECTION, configuration=config, metadata=meta, embedding_function=ef
    )


@dataclass
class Indexed:
    """One source's chunks as found in the index."""

    hashes: set[str] = field(default_factory=set)
    declared: int = 0
    seen: int = 0

    def current(self, sha: str) -> bool:
        return self.hashes == {sha} and self.seen == self.declared


def read_manifest(collection: Any, source: str | None = None) -> dict[str, Indexed]:
    """The manifest, read from the chunks themselves: each source's hashes and counts."""
    where = {"source": source} if source else None
    got = collection.get(where=where, include=["metadatas"])
    out: dict[str, Indexed] = {}
    for meta in got["metadatas"] or []:
        entry = out.setdefault(str(meta["source"]), Indexed())
        entry.hashes.add(str(meta["sha256"]))
        entry.declared = int(meta["chunks"])
        entry.seen += 1
    return out


def write_chunks(
    collection: Any,
    embed: Callable[[Sequence[str]], Any],
    source: str,
    sha: str,
    chunks: list[Chunk],
    progress: Progress | None = None,
) -> None:
    """Upsert the new chunks, then drop any left from the file's earlier text."""
    scope = source.split("/", 1)[0] if "/" in source else ""
    ids = [f"{source}::{i}" for i in range(len(chunks))]
    metas = [
        {
            "source": source,
            "heading": c.heading,
            "sha256": sha,
            "chunk": i,
            "chunks": len(chunks),
            "scope": scope,
        }
        for i, c in enumerate(chunks)
    ]
    # The heading path is embedded with the text: "what leave do I get" should find a
    # paragraph under "Benefits > Leave" even when the paragraph never says "leave".
    texts = [f"{c.heading}\n{c.text}" if c.heading else c.text for c in chunks]
    step = 64
    for at in range(0, len(ids), step):
        collection.upsert(
            ids=ids[at : at + step],
            documents=[c.text for c in chunks[at : at + step]],
            metadatas=metas[at : at + step],
            embeddings=embed(texts[at : at + step]),
        )
        if progress is not None:
            progress(min(at + step, len(ids)), len(ids))
    collection.delete(where={"$and": [{"source": source}, {"sha256": {"$ne": sha}}]})
