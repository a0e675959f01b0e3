"""The company's and the jobs' documents in a Chroma index, and retrieval with citations.

Files under knowledge/ (Markdown, text, PDF) are cut by heading, then by size, and embedded
with the packaged MiniLM. The index is its own manifest: every chunk carries its file's
content hash, so a re-ingest skips unchanged files, replaces changed ones and drops removed
ones. The index lives under settings.home, outside git.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from bot.core.errors import KnowledgeError
from bot.core.templates.schema import RoleTemplate
from bot.ports import Snippet
from bot.settings import Settings

log = logging.getLogger(__name__)

SUFFIXES = (".md", ".markdown", ".txt", ".pdf")
COLLECTION = "knowledge"
COMPANY = "company"  # documents under knowledge/company/ are served to every role
MAX_CHARS, OVERLAP = 800, 120  # chunk size and the tail of one chunk repeated in the next

Progress = Callable[[int, int], None]  # (chunks done, chunks in all)
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


@dataclass(frozen=True)
class Section:
    heading: str  # heading path, e.g. "Benefits > Leave"; "" before the first heading
    text: str


# --- reading and cutting documents (pure) -------------------------------------------------

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


def _source_of(path: str) -> str:
    """A document path as the index names it: posix, relative to knowledge/."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    return PurePosixPath(*[p for p in parts if p != "."]).as_posix()


# --- the index ----------------------------------------------------------------------------


@dataclass
class _Indexed:
    """One source's chunks as found in the index."""

    hashes: set[str] = field(default_factory=set)
    declared: int = 0
    seen: int = 0

    def current(self, sha: str) -> bool:
        return self.hashes == {sha} and self.seen == self.declared


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
        self._collection = self._open()

    def _open(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from chromadb.errors import ChromaError

        quiet = ChromaSettings(anonymized_telemetry=False)
        try:
            if self.chroma_url:  # a Chroma server shared by several app processes
                from urllib.parse import urlparse

                where = urlparse(self.chroma_url)
                client = chromadb.HttpClient(
                    host=where.hostname or "127.0.0.1", port=where.port or 8000,
                    ssl=where.scheme == "https", settings=quiet,
                )  # fmt: skip
            else:
                self.chroma_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(self.chroma_dir), settings=quiet)
            return self._collection_for(client, self._embed)
        except (OSError, ValueError, ChromaError) as e:
            place = self.chroma_url or self.chroma_dir
            raise KnowledgeError(
                f"cannot open the knowledge index at {place}: {e}; check that the folder is "
                "writable or the Chroma server is running (INTERVIEWER_CHROMA_URL), then run "
                "`interviewer ingest`"
            ) from e

    def _collection_for(self, client: Any, ef: Any) -> Any:
        meta = {"embedding_model": self.version}
        config = {"hnsw": {"space": "cosine"}}
        names = {c.name for c in client.list_collections()}
        if COLLECTION in names:
            found = client.get_collection(COLLECTION, embedding_function=ef)
            if (found.metadata or {}).get("embedding_model") == self.version:
                return found
            log.warning(
                "knowledge index was built with %s, now %s: rebuilding it; "
                "run `interviewer ingest` to fill it",
                (found.metadata or {}).get("embedding_model"),
                self.version,
            )
            client.delete_collection(COLLECTION)
        return client.create_collection(
            COLLECTION, configuration=config, metadata=meta, embedding_function=ef
        )

    def ingest(self, progress: bool = True) -> IngestReport:
        """Bring the index in line with knowledge/: add new, replace changed, drop removed."""
        from tqdm import tqdm

        files = self._files()
        indexed = self._indexed()
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
        indexed = self._indexed(source).get(source)
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
        return {source: entry.seen for source, entry in self._indexed().items()}

    def _ingest_one(
        self, source: str, path: Path, indexed: _Indexed | None, progress: Progress | None = None
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
        self._write(source, sha, chunks, progress)
        return ("added" if indexed is None else "updated"), len(chunks)

    def _write(
        self, source: str, sha: str, chunks: list[Chunk], progress: Progress | None = None
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
            self._collection.upsert(
                ids=ids[at : at + step],
                documents=[c.text for c in chunks[at : at + step]],
                metadatas=metas[at : at + step],  # type: ignore[arg-type]
                embeddings=self._embed(texts[at : at + step]),
            )
            if progress is not None:
                progress(min(at + step, len(ids)), len(ids))
        self._collection.delete(where={"$and": [{"source": source}, {"sha256": {"$ne": sha}}]})

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

    def _indexed(self, source: str | None = None) -> dict[str, _Indexed]:
        """The manifest, read from the chunks themselves: each source's hashes and counts."""
        where = {"source": source} if source else None
        got = self._collection.get(where=where, include=["metadatas"])  # type: ignore[arg-type]
        out: dict[str, _Indexed] = {}
        for meta in got["metadatas"] or []:
            entry = out.setdefault(str(meta["source"]), _Indexed())
            entry.hashes.add(str(meta["sha256"]))
            entry.declared = int(meta["chunks"])  # type: ignore[arg-type]
            entry.seen += 1
        return out

    def retrieve(self, role: RoleTemplate, query: str, k: int = 4) -> list[Snippet]:
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
        found = self._collection.query(
            query_texts=[query],
            n_results=k,
            where=where,  # type: ignore[arg-type]
            include=["documents", "metadatas", "distances"],
        )
        return [
            Snippet(str(text), str(meta["source"]), str(meta["heading"]), float(dist))
            for text, meta, dist in _first(found)
        ]


def _first(result: Any) -> Iterable[tuple[Any, Any, Any]]:
    """The rows of a single-query Chroma result."""
    keys = ("documents", "metadatas", "distances")
    docs, metas, dists = (result[key][0] if result[key] else [] for key in keys)
    return zip(docs, metas, dists, strict=True)
