"""HR's job and company documents: upload, index in the background, list and remove.

knowledge/ and the index must agree: a failed indexing puts the earlier file back, and a
removal that the index refuses restores the file. Indexing jobs are tracked in this process
only; their outcome is kept in the event log.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.core.errors import BotError, ConfigError, InputError
from bot.staff import documents, uploads
from bot.staff.access import Action, Actor
from bot.staff.staff_desk import StaffDesk

if TYPE_CHECKING:
    from bot.knowledge.base import IngestReport

log = logging.getLogger(__name__)


@runtime_checkable
class DocumentIndex(Protocol):
    """The knowledge base's side that takes one new, changed or deleted file."""

    def ingest_file(
        self, path: Path | str, progress: Callable[[int, int], None] | None = None
    ) -> IngestReport: ...

    def chunk_counts(self) -> dict[str, int]: ...


class DocumentsDesk(StaffDesk):
    """Documents under knowledge/KIND/ and their chunks in the index."""

    _jobs: dict[str, str]  # upload path -> indexing status, this process
    _jobs_lock: threading.Lock

    def upload_document(
        self, token: str, filename: str, data: bytes, kind: str = "jobs", wait: bool = False
    ) -> str:
        """Save a Markdown, text or PDF document under knowledge/KIND/ and index it.

        Indexing runs in the background (a large document takes minutes): the path returned
        names the job, and `indexing_status` reports its progress. With `wait`, it runs here.
        """
        actor = self._allow(token, Action.UPLOAD_DOCUMENT)
        self._document_index()
        name = uploads.safe_document_name(filename, kind, data)
        path = self.settings.knowledge_dir / kind / name
        source = f"{kind}/{name}"
        with self._jobs_lock:
            if self._jobs.get(source, "").startswith("indexing"):
                raise InputError(f"{source} is still being indexed; wait for it to finish")
            self._jobs[source] = "indexing: starting"
        replaced = path.is_file()
        previous = uploads.save(path, data)
        what = {"path": source, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                "replaced": replaced}  # fmt: skip
        self.store.append_event(actor.label, "document.uploaded", what)
        job = threading.Thread(
            target=self._index, args=(actor, source, path, previous), name=f"index {source}"
        )
        job.start()
        if wait:
            job.join()
        return source

    def indexing_status(self, token: str, source: str) -> str:
        """How indexing an upload goes: 'indexing: 40 of 120 parts', 'done: ...', 'failed: ...'."""
        self._allow(token, Action.UPLOAD_DOCUMENT)
        with self._jobs_lock:
            return self._jobs.get(source, "unknown: no upload of that name in this process")

    def documents(self, token: str) -> list[documents.DocumentEntry]:
        """The job and company documents: name, size, chunks indexed, and the latest upload."""
        self._allow(token, Action.UPLOAD_DOCUMENT)
        files = documents.on_disk(self.settings.knowledge_dir)
        chunks = self._document_index().chunk_counts()
        log_entries = self.store.events(kinds=(documents.UPLOADED, documents.REMOVED))
        return documents.listed(files, chunks, log_entries)

    def remove_document(self, token: str, source: str) -> int:
        """Delete a document and its chunks from the index; returns how many chunks went.

        Refused while it is being indexed, and while an open role lists it in `documents:`
        (its candidates would lose the answers it gives)."""
        actor = self._allow(token, Action.UPLOAD_DOCUMENT)
        index = self._document_index()
        path = documents.on_disk(self.settings.knowledge_dir).get(source)
        if path is None:
            raise InputError(f"no document '{source}'; refresh the list and choose one in it")
        users = [r.id for r in self.catalog.roles() if source in documents.named(r.documents)]
        if users:
            raise InputError(
                f"{source} is listed in the documents of role(s) {', '.join(users)}; remove it "
                "from their `documents:` and publish them first, or retire them"
            )
        with self._jobs_lock:
            if self._jobs.get(source, "").startswith("indexing"):
                raise InputError(f"{source} is still being indexed; wait for it to finish")
            self._jobs[source] = "indexing: removing"  # no upload of it starts meanwhile
        try:
            data = path.read_bytes()
            chunks = index.chunk_counts().get(source, 0)
            path.unlink()
            try:
                if chunks:
                    index.ingest_file(path)  # a deleted file's chunks are dropped
            except Exception:
                uploads.restore(path, data)  # knowledge/ keeps matching the index
                raise
        finally:
            with self._jobs_lock:
                self._jobs.pop(source, None)
        what = {"path": source, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                "chunks": chunks}  # fmt: skip
        self.store.append_event(actor.label, documents.REMOVED, what)
        return chunks

    def _document_index(self) -> DocumentIndex:
        if not isinstance(self.knowledge, DocumentIndex):
            raise ConfigError("the knowledge index is not loaded here; run `interviewer ingest`")
        return self.knowledge

    def _index(self, actor: Actor, source: str, path: Path, previous: bytes | None) -> None:
        def progress(done: int, total: int) -> None:
            with self._jobs_lock:
                self._jobs[source] = f"indexing: {done} of {total} parts"

        try:
            report = self.knowledge.ingest_file(path, progress)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - any failure is reported to HR and logged
            log.exception("indexing %s failed", source)
            uploads.restore(path, previous)  # knowledge/ keeps matching the index
            shown = exc.public() if isinstance(exc, BotError) else BotError().public()
            outcome = f"failed: {shown}; the earlier version (if any) is back"
            self.store.append_event(actor.label, "document.failed", {"path": source})
        else:
            outcome = f"done: {report}"
            self.store.append_event(actor.label, "document.indexed",
                                    {"path": source, "report": str(report)})  # fmt: skip
        with self._jobs_lock:
            self._jobs[source] = outcome
