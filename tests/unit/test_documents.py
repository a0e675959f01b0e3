"""HR's document list and removal: what is in knowledge/, its chunks, who uploaded it; removing
a document takes its chunks out of the index and is logged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import BotError
from bot.staff.documents import REMOVED, UPLOADED, listed, named, on_disk
from bot.store import EventRow
from tests.unit.test_staff import Parts, make_parts


@pytest.fixture
def parts(tmp_path, database_url) -> Parts:
    return make_parts(tmp_path, database_url)


def test_the_list_shows_an_upload_with_its_size_chunks_and_uploader(parts):
    source = parts.staff.upload_document(parts.hr, "faq.md", b"# FAQ\nRemote.", "company",
                                         wait=True)  # fmt: skip
    shown = {d.source: d for d in parts.staff.documents(parts.hr)}
    assert set(shown) == {"company/faq.md", "jobs/test.md"}
    faq = shown[source]
    assert (faq.size, faq.chunks, faq.uploaded_by) == (13, 2, "hr:hana")
    assert faq.uploaded_at is not None
    sample = shown["jobs/test.md"]  # there before anyone uploaded: no uploader, not indexed
    assert (sample.uploaded_by, sample.uploaded_at, sample.chunks) == (None, None, 0)


def test_removing_a_document_deletes_the_file_and_its_chunks_and_is_logged(parts):
    source = parts.staff.upload_document(parts.hr, "faq.md", b"# FAQ\nRemote.", "company",
                                         wait=True)  # fmt: skip
    assert parts.staff.remove_document(parts.hr, source) == 2
    assert not (parts.settings.knowledge_dir / source).exists()
    assert source not in parts.knowledge.chunk_counts()
    assert source not in {d.source for d in parts.staff.documents(parts.hr)}
    event = parts.store.events()[-1]
    assert (event.kind, event.actor, event.payload["path"]) == (REMOVED, "hr:hana", source)
    assert event.payload["chunks"] == 2 and event.payload["bytes"] == 13
    with pytest.raises(BotError, match="no document 'company/faq.md'"):
        parts.staff.remove_document(parts.hr, source)


def test_a_document_an_open_role_lists_is_not_removed(parts):
    with pytest.raises(BotError, match="listed in the documents of role.*test-role"):
        parts.staff.remove_document(parts.hr, "jobs/test.md")
    assert (parts.settings.knowledge_dir / "jobs" / "test.md").is_file()


@pytest.mark.parametrize("outside", ["../notes.md", "jobs/../../notes.md", "roles", "notes.md"])
def test_only_a_listed_document_can_be_removed(parts, outside):
    kept = parts.settings.home / "notes.md"  # beside knowledge/, not in it
    kept.write_text("# Notes\n")
    with pytest.raises(BotError, match="no document"):
        parts.staff.remove_document(parts.hr, outside)
    assert kept.exists()


def test_a_failed_index_update_puts_the_file_back(parts):
    source = parts.staff.upload_document(parts.hr, "faq.md", b"# FAQ\nRemote.", "company",
                                         wait=True)  # fmt: skip

    def broken(path, progress=None):
        raise OSError("index unreachable")

    parts.knowledge.ingest_file = broken  # type: ignore[method-assign]
    with pytest.raises(OSError):
        parts.staff.remove_document(parts.hr, source)
    assert (parts.settings.knowledge_dir / source).read_bytes() == b"# FAQ\nRemote."
    assert parts.store.events()[-1].kind != REMOVED


def _event(kind: str, path: str, actor: str, day: int) -> EventRow:
    return EventRow(day, datetime(2026, 11, day, tzinfo=UTC), actor, None, kind, {"path": path})


def test_a_removal_forgets_earlier_uploads_and_hidden_files_are_not_listed(tmp_path):
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "a.md").write_text("# A\n")
    (tmp_path / "jobs" / ".a.md.1234.partial").write_text("half")  # an upload being written
    (tmp_path / "jobs" / "notes.docx").write_text("x")  # not a document kind the index reads
    files = on_disk(tmp_path)
    assert list(files) == ["jobs/a.md"]
    events = [_event(UPLOADED, "jobs/a.md", "hr:hana", 1),
              _event(REMOVED, "jobs/a.md", "hr:hana", 2)]  # fmt: skip
    (entry,) = listed(files, {"jobs/a.md": 3}, events)  # copied back by hand after the removal
    assert (entry.chunks, entry.uploaded_by, entry.size) == (3, None, 4)
    events.append(_event(UPLOADED, "jobs/a.md", "hr:omar", 3))
    assert listed(files, {}, events)[0].uploaded_by == "hr:omar"


def test_a_roles_document_paths_are_compared_as_source_names():
    assert named(["./jobs/x.md", "jobs\\y.md", "company/z.md"]) == {
        "jobs/x.md", "jobs/y.md", "company/z.md"
    }  # fmt: skip
