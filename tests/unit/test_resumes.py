"""Resumes: reading, sections and dates, masking, and the verdict rules (a word-overlap judge
stands in for the model; the real one is in tests/integration/test_resumes_live.py)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from bot.core.errors import InputError
from bot.evaluator.rubric import Pair, Verdict
from bot.resumes.blind import blind_resume
from bot.resumes.matching import Requirement, ResumeMatcher
from bot.resumes.reading import read_resume
from bot.resumes.sections import date_range, split_sections, years_of

TODAY = date(2026, 12, 1)
RESUME = """Maria Kowalska
maria.kowalska@example.com | +48 601 234 567 | linkedin.com/in/mkowalska
Address: 12 Baker Street, Leeds
Date of birth: 04.05.1990 · Nationality: Polish · Married with two children

## Summary
She is a backend developer who likes clean interfaces.

## Experience
Backend Developer, Northwind Logistics | Jan 2021 - present
- Built and ran HTTP APIs in Python (FastAPI) serving 3 million requests a day
- Moved billing to a message queue

Junior Developer, Acme Soft | 03/2018 – 12/2020
- Wrote Python scripts for reports

## Education
BSc Computer Science, University of Leeds, 2008 - 2011

## Skills
Python, Kubernetes, Rust, Go, Terraform
"""


class WordJudge:
    """Support = the share of the reference's longer words the passage has."""

    version = "words@1"
    threshold = 0.5

    def judge(self, pairs):
        out = []
        for p in pairs:
            words = {w for w in _words(p.reference) if len(w) > 3} - {"least", "years"}
            share = len(words & set(_words(p.answer))) / max(1, len(words))
            out.append(Verdict(share, 0.0, 1 - share, 0.0, support=share, confidence=0.9))
        return out

    def relatedness(self, items):
        return [min(1.0, len(set(_words(a)) & set(_words(b))) / 3) for a, b in items]


def _words(text: str) -> list[str]:
    return [w.strip(".,()").lower() for w in text.split()]


def test_dates_in_the_forms_resumes_write_them():
    assert date_range("Dev | Jan 2019 - Mar 2022", TODAY) == (date(2019, 1, 1), date(2022, 3, 1))
    assert date_range("2019-2022 Acme", TODAY) == (date(2019, 1, 1), date(2022, 12, 1))
    assert date_range("03/2018 – present", TODAY) == (date(2018, 3, 1), TODAY)
    assert date_range("Support lead since 2021", TODAY) == (date(2021, 1, 1), TODAY)
    assert date_range("I handled 2019 tickets", TODAY) is None


def test_sections_entries_and_years_counted_once_where_jobs_overlap():
    found = split_sections(RESUME, TODAY)
    titles = [e.heading.split(",")[0] for e in found.entries]
    assert titles == ["Backend Developer", "Junior Developer"]
    assert found.entries[0].lines[0].startswith("- Built and ran HTTP APIs")
    assert "Python, Kubernetes, Rust, Go, Terraform" in found.lines("skills")
    overlapping = split_sections("Experience\nA | 2019 - 2020\nB | Jun 2020 - Dec 2021\n", TODAY)
    assert years_of(overlapping.entries) == 3.0  # Jan 2019 .. Dec 2021, 2020 counted once


def test_everything_that_says_who_someone_is_is_masked_and_listed():
    blind = blind_resume(RESUME)
    for gone in ("Maria", "Kowalska", "maria.kowalska@example.com", "601 234 567",
                 "linkedin.com", "Baker Street", "04.05.1990", "Polish", "Married", "2008",
                 "She is"):  # fmt: skip
        assert gone not in blind.text, gone
    assert {"name", "email", "phone", "link", "address", "date of birth", "nationality",
            "marital status", "graduation year", "gender words"} <= set(blind.kinds())  # fmt: skip
    # What a requirement can be met by stays.
    for kept in ("Northwind Logistics", "Jan 2021 - present", "03/2018 – 12/2020",
                 "FastAPI", "BSc Computer Science"):  # fmt: skip
        assert kept in blind.text, kept


def test_a_requirement_met_in_the_experience_quotes_its_line():
    matcher = ResumeMatcher(WordJudge())
    found = matcher.match(RESUME, [Requirement.read("built and ran HTTP APIs in Python")], TODAY)
    only = found.matches[0]
    assert only.verdict == "met" and "FastAPI" in (only.evidence or "")
    assert found.score > 0.5


def test_a_skill_only_listed_is_at_most_partly_met():
    matcher = ResumeMatcher(WordJudge())
    found = matcher.match(RESUME, [Requirement.read("Kubernetes Terraform")], TODAY)
    assert found.matches[0].verdict == "partly"
    assert "not shown in the experience" in found.matches[0].note


def test_years_asked_are_counted_from_the_dates_of_the_entries_that_meet_it():
    matcher = ResumeMatcher(WordJudge())
    asked = Requirement.read("Python, at least 10 years")
    assert asked.years == 10
    found = matcher.match(RESUME, [asked], TODAY).matches[0]
    # Python in both jobs: Mar 2018 .. Dec 2026 is 8.8 years, under 10 -> partly, with the count.
    assert found.verdict == "partly" and found.years == 8.8
    assert "years asked" in found.note


def test_the_name_and_gender_words_do_not_move_the_score():
    matcher = ResumeMatcher(WordJudge())
    req = [Requirement.read("built and ran HTTP APIs in Python"), Requirement.read("message queue")]
    other = RESUME.replace("Maria Kowalska", "Jamal Washington").replace("She is", "He is")
    assert matcher.match(RESUME, req, TODAY).score == matcher.match(other, req, TODAY).score


def test_a_file_that_cannot_be_read_says_why(tmp_path: Path):
    with pytest.raises(InputError, match="PDF, DOCX, TXT or Markdown"):
        read_resume(tmp_path / "cv.png", b"\x89PNG")
    with pytest.raises(InputError, match="not UTF-8"):
        read_resume(tmp_path / "cv.txt", "Café résumé".encode("latin-1") * 20)
    with pytest.raises(InputError, match="at most"):
        read_resume(tmp_path / "cv.txt", b"a" * 20, max_bytes=10)
    with pytest.raises(InputError, match="not a readable DOCX"):
        read_resume(tmp_path / "cv.docx", b"not a zip")


def test_a_pdf_without_a_text_layer_is_named_as_a_scan(tmp_path: Path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    data = io.BytesIO()
    writer.write(data)
    with pytest.raises(InputError, match="no text layer"):
        read_resume(tmp_path / "scan.pdf", data.getvalue())


def test_a_two_column_docx_is_read_a_column_at_a_time(tmp_path: Path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("Sam Doe")
    layout = doc.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = "Skills\nPython\nSQL"
    layout.cell(0, 1).text = (
        "Experience\nData Analyst, Contoso | 2020 - 2023\nBuilt weekly dashboards"
    )
    jobs = doc.add_table(rows=2, cols=3)
    for i, v in enumerate(("Company", "Title", "Dates")):
        jobs.cell(0, i).text = v
    for i, v in enumerate(("Fabrikam", "Analyst", "2017 - 2020")):
        jobs.cell(1, i).text = v
    path = tmp_path / "cv.docx"
    doc.save(path)
    text = read_resume(path)
    lines = text.split("\n")
    assert lines.index("Python") < lines.index("Experience")
    assert lines.index("Experience") < lines.index("Built weekly dashboards")
    assert "Fabrikam | Analyst | 2017 - 2020" in lines
    found = split_sections(text, TODAY)
    assert {e.start.year for e in found.entries} == {2017, 2020}


def test_pair_is_built_from_the_requirement():  # the judge reads (requirement, passage)
    seen: list[Pair] = []

    class Recording(WordJudge):
        def judge(self, pairs):
            seen.extend(pairs)
            return super().judge(pairs)

    ResumeMatcher(Recording()).match(RESUME, [Requirement.read("message queue")], TODAY)
    assert seen and all(p.reference == "message queue" for p in seen)
    assert all("Maria" not in p.answer for p in seen)


def test_the_sample_roles_requirements_are_read_with_their_years():
    from bot.resumes.matching import role_requirements
    from bot.roles.files import load_role_text

    path = Path(__file__).resolve().parents[2] / "prompts" / "roles" / "backend-python.yaml"
    found = role_requirements(load_role_text(path.read_text(encoding="utf-8"), str(path)))
    assert found[0].years == 3 and found[0].must
    assert any(not r.must for r in found)
