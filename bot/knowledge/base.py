"""The company's and the jobs' documents in a Chroma index, and retrieval with citations.

Files under knowledge/ (Markdown, text, PDF) are cut by heading, then by size, and embedded
with the packaged MiniLM. The index is its own manifest: every chunk carries its file's
content hash, so a re-ingest skips unchanged files, replaces changed ones and drops removed
ones. The index lives under settings.home, outside git.

This module keeps the index in line with knowledge/; the cutting is bot/knowledge/chunking.py,
the collection and its manifest bot/knowledge/index.py, the query bot/knowledge/retrieval.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.core.errors import KnowledgeError
from bot.knowledge.chunking import (
    MAX_CHARS,
    OVERLAP,
    Chunk,
    Section,
    chunk_document,
    markdown_sections,
    read_sections,
    split_text,
)
from bot.knowledge.index import (
    COLLECTION,
    Indexed,
    Progress,
    open_collection,
    read_manifest,
    write_chunks,
)
from bot.knowledge.retrieval import COMPANY, nearest
from bot.ports import Snippet, Written
from bot.roles.schema import RoleTemplate
from bot.settings import Settings

# Importable from here as before the chunking, the index and retrieval had modules of their own.
__all__ = [
    "COLLECTION",
    "COMPANY",
    "MAX_CHARS",
    "OVERLAP",
    "SUFFIXES",
    "Chunk",
    "IngestReport",
    "KnowledgeBase",
    "KnowledgeError",
    "Outcome",
    "Progress",
    "Section",
    "chunk_document",
    "markdown_sections",
    "read_sections",
    "split_text",
]

SUFFIXES = (".md", ".markdown", ".txt", ".pdf")

Outcome = Literal["added", "updated", "unchanged", "removed", "skipped"]


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did, file by file."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks: int = 0  # chunks written by this ingest
    skipped: tuple[str, ...] = ()  # "source: why, and what to do"

    def __str__(self) -> str:
        text = (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged ({self.chunks} chunks written)"
        )
        return text + "".join(f"\n  skipped {s}" for s in self.skipped)


class KnowledgeBase:
    """Ingests knowledge/ into Chroma and retrieves a role's snippets. Holds no user state."""

    def __init__(self, settings: Settings) -> None:
        from bot.knowledge.embeddings import chroma_embedding_function, embedding_version

        self.root = settings.knowledge_dir
        self.chroma_dir = settings.chroma_dir
        self.chroma_url = settings.chroma_url
        self.model = settings.embedding_model
        self.version = embedding_version(self.model)
        self._embed = chroma_embedding_function(self.model, settings.model_cache_dir)
        self._collection = open_collection(
            self.chroma_dir, self.chroma_url, self._embed, self.version
        )
        from bot.knowledge.asking import Nearness
        from bot.knowledge.embeddings import load_embedder

        cache = settings.model_cache_dir
        self._nearness = Nearness(lambda: load_embedder(self.model, cache))

    def ingest(self, progress: bool = True) -> IngestReport:
        """Bring the index in line with knowledge/: add new, replace changed, drop removed."""
        from tqdm import tqdm

        files = self._files()
        indexed = read_manifest(self._collection)
        counts: dict[str, int] = dict.fromkeys(("added", "updated", "removed", "unchanged"), 0)
        chunks, skipped = 0, []
        bar = tqdm(sorted(files.items()), desc="knowledge", unit="file", disable=not progress)
        for source, path in bar:
            outcome, written = self._ingest_one(source, path, indexed.get(source))
            if outcome == "skipped":
                skipped.append(f"{source}: {written}")
            else:
                counts[outcome] += 1
                chunks += int(written)
            bar.set_postfix(chunks=chunks)
        for source in sorted(indexed.keys() - files.keys()):
            self._collection.delete(where={"source": source})
            counts["removed"] += 1
        return IngestReport(**counts, chunks=chunks, skipped=tuple(skipped))

    def ingest_file(self, path: Path | str, progress: Progress | None = None) -> IngestReport:
        """Index (or re-index, or drop if deleted) one file that is already under knowledge/.

        `progress(done, total)` hears how many of the file's chunks are embedded so far."""
        path = Path(path)
        full = path if path.is_absolute() else self.root / path
        try:
            source = full.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError as e:
            raise KnowledgeError(
                f"{path} is not under {self.root}; copy it there first, then ingest it"
            ) from e
        if full.suffix.lower() not in SUFFIXES:
            raise KnowledgeError(f"{source}: not a supported type; use one of {SUFFIXES}")
        indexed = read_manifest(self._collection, source).get(source)
        if not full.is_file():
            if indexed is None:
                raise KnowledgeError(f"{source}: no such file under {self.root}")
            self._collection.delete(where={"source": source})
            return IngestReport(removed=1)
        outcome, written = self._ingest_one(source, full, indexed, progress)
        if outcome == "skipped":
            raise KnowledgeError(f"{source}: {written}")
        return IngestReport(
            added=int(outcome == "added"),
            updated=int(outcome == "updated"),
            unchanged=int(outcome == "unchanged"),
            chunks=int(written),
        )

    def chunk_counts(self) -> dict[str, int]:
        """How many chunks each indexed document has, by source name (e.g. 'jobs/x.md')."""
        return {source: entry.seen for source, entry in read_manifest(self._collection).items()}

    def _ingest_one(
        self, source: str, path: Path, indexed: Indexed | None, progress: Progress | None = None
    ) -> tuple[Outcome, int | str]:
        """(outcome, chunks written) for one file; ('skipped', why) when it cannot be read."""
        data = path.read_bytes()  # hashed and parsed from the same read, even mid-edit
        sha = hashlib.sha256(data).hexdigest()
        if indexed is not None and indexed.current(sha):
            return "unchanged", 0
        try:
            chunks = chunk_document(path, data)
        except KnowledgeError as e:
            return "skipped", str(e)
        if not chunks:
            return "skipped", "no text found (a scanned PDF needs OCR first)"
        write_chunks(self._collection, self._embed, source, sha, chunks, progress)
        return ("added" if indexed is None else "updated"), len(chunks)

    def _files(self) -> dict[str, Path]:
        """Every supported document under knowledge/, by source name; hidden files left out."""
        if not self.root.is_dir():
            raise KnowledgeError(
                f"no knowledge folder at {self.root}; create it (company/*.md, jobs/*.md) or "
                "set INTERVIEWER_KNOWLEDGE_DIR"
            )
        found = {}
        for path in self.root.rglob("*"):
            rel = path.relative_to(self.root)
            if path.is_file() and path.suffix.lower() in SUFFIXES:
                if not any(part.startswith(".") for part in rel.parts):
                    found[rel.as_posix()] = path
        return found

    def retrieve(self, role: RoleTemplate, query: str, k: int = 4) -> list[Snippet]:
        """The k chunks nearest the query among the role's documents and the company's."""
        return nearest(self._collection, role, query, k)

    def answer(self, role: RoleTemplate, question: str, k: int = 12) -> Written:
        """A candidate's question answered by quoting the role's documents, or deferred."""
        from bot.knowledge.asking import answer_from_documents

        return answer_from_documents(question, self.retrieve(role, question, k), self._nearness)
