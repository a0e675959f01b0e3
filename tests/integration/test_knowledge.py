"""Knowledge base on a real Chroma in tmp_path with the packaged MiniLM: incremental ingest,
retrieval limited to the role's and the company's documents, with source and heading."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.base import IngestReport, KnowledgeBase, KnowledgeError
from bot.roles.schema import RoleTemplate
from bot.settings import Settings

pytestmark = pytest.mark.slow

DOCS = {
    "company/benefits.md": """# Benefits

## Leave
Everyone gets 27 days of paid holiday a year, plus public holidays.

## Equipment
New staff choose a laptop on their first day.
""",
    "company/about.md": """# About Acme
Acme builds invoicing software for small bakeries. The company was founded in Ghent in 2015
and has 140 employees across Belgium and Portugal.
""",
    "jobs/backend.md": """# Backend Engineer

## The team
You join the payments team of six engineers, who own the ledger service.

## Stack
We write Python 3.11 services on PostgreSQL, deployed on Kubernetes.
""",
    "jobs/designer.md": """# Product Designer

## Tools
Designers sketch every flow in Figma and run usability tests with bakers each month.
""",
}


def role(*documents: str) -> RoleTemplate:
    question = {
        "competency": "eng",
        "text": "Tell us about a system you designed.",
        "reference_answer": "A clear account of a system and its trade-offs.",
        "key_points": [{"id": "a", "text": "names trade-offs"}, {"id": "b", "text": "gives scale"}],
        "anchors": {"1": "Vague.", "3": "Some detail.", "5": "Clear trade-offs."},
    }
    return RoleTemplate.model_validate(
        {
            "version": 1,
            "id": "backend",
            "title": "Backend Engineer",
            "documents": list(documents),
            "competencies": [{"id": "eng", "name": "Engineering"}],
            "questions": [{**question, "id": f"q{i}"} for i in range(5)],
        }
    )


@pytest.fixture(params=["embedded", "server"])
def settings(request, tmp_path) -> Settings:
    root = tmp_path / "knowledge"
    for name, text in DOCS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    # The embedded index, and a Chroma server started by the test (`chroma run`).
    url = request.getfixturevalue("chroma_server") if request.param == "server" else ""
    return Settings(home=tmp_path / "home", knowledge_dir=root, chroma_url=url)


def sources(snippets) -> set[str]:
    return {s.source for s in snippets}


def test_reingest_skips_unchanged_replaces_edited_and_drops_deleted(settings):
    backend = role("jobs/backend.md")
    first = KnowledgeBase(settings).ingest(progress=False)
    assert (first.added, first.updated, first.removed, first.unchanged) == (4, 0, 0, 0)
    assert first.chunks >= 6  # one per heading section at least

    kb = KnowledgeBase(settings)  # a restart: the index on disk is the manifest
    assert kb.ingest(progress=False) == IngestReport(unchanged=4)

    (settings.knowledge_dir / "company/benefits.md").write_text(
        "# Benefits\n\n## Leave\nEveryone gets 31 days of paid holiday a year.\n", encoding="utf-8"
    )
    edited = kb.ingest(progress=False)
    assert (edited.added, edited.updated, edited.removed, edited.unchanged) == (0, 1, 0, 3)
    texts = [s.text for s in kb.retrieve(backend, "How many holiday days do I get?", k=8)]
    assert any("31 days" in t for t in texts)
    assert not any("27 days" in t or "laptop" in t for t in texts)  # the old chunks are gone

    (settings.knowledge_dir / "company/about.md").unlink()
    removed = kb.ingest(progress=False)
    assert (removed.removed, removed.unchanged) == (1, 3)
    hits = kb.retrieve(backend, "Where was the company founded and how many employees?", k=10)
    assert "company/about.md" not in sources(hits)


def test_retrieval_serves_the_roles_documents_and_the_companys_with_citations(settings):
    kb = KnowledgeBase(settings)
    kb.ingest(progress=False)
    backend = role("jobs/backend.md")

    leave = kb.retrieve(backend, "How much paid holiday is there?", k=2)
    assert (leave[0].source, leave[0].heading) == ("company/benefits.md", "Benefits > Leave")
    assert "27 days" in leave[0].text
    assert leave[0].distance <= leave[1].distance

    stack = kb.retrieve(backend, "Which database and language does the team use?", k=1)
    assert (stack[0].source, stack[0].heading) == ("jobs/backend.md", "Backend Engineer > Stack")

    everything = kb.retrieve(backend, "Which design tools do designers use, Figma?", k=20)
    assert sources(everything) == {"company/benefits.md", "company/about.md", "jobs/backend.md"}
    designer = kb.retrieve(role("jobs/designer.md"), "Which design tools do designers use?", k=1)
    assert designer[0].source == "jobs/designer.md"
    assert kb.retrieve(backend, "   ") == []
    # A draft role with no documents of its own (HR drafting questions) sees the company's.
    draft = RoleTemplate.model_construct(id="draft", title="Draft", documents=[])
    assert sources(kb.retrieve(draft, "What benefits are there?", k=10)) <= {
        "company/benefits.md", "company/about.md"}


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with the given text lines (enough for pypdf to extract)."""
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_an_uploaded_pdf_is_indexed_on_its_own_and_cited_by_page(settings):
    kb = KnowledgeBase(settings)
    kb.ingest(progress=False)
    upload = settings.knowledge_dir / "company" / "handbook.pdf"
    upload.write_bytes(_pdf(["Remote work policy.", "Staff may work from home three days a week."]))

    assert kb.ingest_file(upload) == IngestReport(added=1, chunks=1)
    assert kb.ingest_file("company/handbook.pdf") == IngestReport(unchanged=1)
    assert kb.chunk_counts()["company/handbook.pdf"] == 1  # what HR's document list shows
    hit = kb.retrieve(role("jobs/backend.md"), "Can I work from home?", k=1)[0]
    assert (hit.source, hit.heading) == ("company/handbook.pdf", "page 1")
    assert "three days a week" in hit.text

    outside = Path(settings.home) / "elsewhere.md"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text("# x\ny\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="copy it there first"):
        kb.ingest_file(outside)
    upload.unlink()
    assert kb.ingest_file(upload) == IngestReport(removed=1)
    assert "company/handbook.pdf" not in kb.chunk_counts()


def test_unreadable_files_are_reported_not_fatal(settings):
    (settings.knowledge_dir / "jobs/legacy.txt").write_bytes("caf\xe9 menu".encode("latin-1"))
    (settings.knowledge_dir / "jobs/scan.pdf").write_bytes(_pdf([]))
    report = KnowledgeBase(settings).ingest(progress=False)
    assert report.added == 4
    assert any(s.startswith("jobs/legacy.txt: not UTF-8") for s in report.skipped)
    assert any(s.startswith("jobs/scan.pdf: no text found") for s in report.skipped)
