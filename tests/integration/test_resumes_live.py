"""Resumes matched with the real packaged evaluator: evidence quoted from the resume, a keyword
list never meets a requirement, names and gender words never move a score, and a PDF (two
columns) is read in column order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.resumes.matching import ResumeMatcher, role_requirements
from bot.resumes.reading import read_resume
from bot.roles.files import load_role_text

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 1)

ENGINEER = """Daniel Okafor
daniel.okafor@example.org | +44 7700 900123

Experience
Backend Engineer, Parcelway Ltd | Feb 2020 - present
- Designed and ran the public REST API (Python, FastAPI) that 40 partner shops call for orders
- Wrote pytest suites for every endpoint; tests run in CI on each pull request
- Tuned PostgreSQL queries with indexes and EXPLAIN plans; planned zero-downtime migrations
- Moved invoice generation to Celery workers behind RabbitMQ

Software Developer, Brightline Apps | 2017 - 2020
- Built Django back ends for mobile apps and their admin tools

Education
MSc Computer Science, University of Lagos, 2016
"""

STUFFER = """Chris Miller
chris@example.com

Skills
Python, FastAPI, Django, PostgreSQL, SQL, REST APIs, pytest, Kubernetes, Docker, Celery, asyncio

Experience
Store Assistant, High Street Fashion | 2018 - present
- Served customers at the till and kept the shop floor tidy
- Trained new staff on the opening and closing routine
"""


@pytest.fixture(scope="module")
def matcher():
    from bot.evaluator import load_judge

    judge = load_judge("", ROOT / "var" / "models")
    return ResumeMatcher(judge, judge.review_below)


@pytest.fixture(scope="module")
def backend():
    path = ROOT / "prompts" / "roles" / "backend-python.yaml"
    return role_requirements(load_role_text(path.read_text(encoding="utf-8"), str(path)))


def test_an_engineer_meets_the_backend_requirements_with_lines_from_the_resume(matcher, backend):
    found = matcher.match(ENGINEER, backend, TODAY)
    met = [m for m in found.matches if m.verdict == "met"]
    assert len(met) >= len(backend) // 2, [(m.requirement.text, m.verdict) for m in found.matches]
    for m in found.matches:
        if m.evidence:
            assert m.evidence.strip("- ") in found.blind.text  # quoted, never written
    years = next(m for m in found.matches if m.requirement.years)
    assert years.years is not None and years.years >= 3  # 2017 .. now, from the dates


def test_a_list_of_keywords_meets_nothing_and_ranks_below_real_experience(matcher, backend):
    stuffer = matcher.match(STUFFER, backend, TODAY)
    assert all(m.verdict != "met" for m in stuffer.matches), [
        (m.requirement.text, m.verdict, m.evidence) for m in stuffer.matches
    ]
    assert stuffer.score < matcher.match(ENGINEER, backend, TODAY).score


def test_a_name_or_gender_words_do_not_move_the_match(matcher, backend):
    first = matcher.match(ENGINEER + "\nHe mentors junior developers.\n", backend, TODAY)
    other = ENGINEER.replace("Daniel Okafor", "Emily Walsh").replace("daniel.okafor", "emily.w")
    second = matcher.match(other + "\nShe mentors junior developers.\n", backend, TODAY)
    assert first.score == second.score
    assert {m.kind for m in first.blind.masked} >= {"name", "email", "phone", "gender words"}


def test_a_two_column_pdf_is_read_a_column_at_a_time(tmp_path):
    left = ["Skills", "Python", "PostgreSQL"]
    right = ["Experience", "Backend Engineer, Parcelway | 2020 - 2024",
             "Designed the public REST API in Python"]  # fmt: skip
    path = tmp_path / "two-columns.pdf"
    path.write_bytes(_pdf([(40, left), (300, right)]))
    lines = read_resume(path).split("\n")
    assert lines.index("PostgreSQL") < lines.index("Experience")
    assert "Designed the public REST API in Python" in lines


def _pdf(columns: list[tuple[int, list[str]]]) -> bytes:
    """A one-page PDF with a text layer: each column's lines drawn top to bottom."""
    ops = ["BT", "/F1 11 Tf"]
    for x, lines in columns:
        for i, line in enumerate(lines):
            ops.append(f"1 0 0 1 {x} {780 - 16 * i} Tm ({line}) Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return bytes(out)
