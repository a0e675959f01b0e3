"""Exports: candidate text is escaped in HTML, defused in CSV, and nothing is lost in JSON."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from bot.core.errors import BotError
from bot.staff.exports import CSV_COLUMNS, csv_cell, export, highlighted
from tests.unit.test_service import write_role
from tests.unit.test_staff import GOOD, interview, make_parts

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One finished interview whose first answer carries a script tag, overridden and decided."""
    parts = make_parts(tmp_path_factory.mktemp("exports"))
    hostile = f"Lists are mutable {SCRIPT} and Tuples work as keys."
    sid = interview(parts, answers=(hostile, '=HYPERLINK("http://x")', GOOD, GOOD, GOOD))
    token = parts.recruiter
    parts.staff.override(token, sid, "q1", 0.2, 2, "The <b>script</b> is not an answer.")
    parts.staff.decide(token, sid, "hold", "Check <img src=x onerror=alert(1)>")
    return {
        fmt: parts.staff.export(token, session_id=sid, fmt=fmt) for fmt in ("csv", "json", "html")
    }


def test_html_shows_scripts_and_markup_as_text(exported):
    name, data = exported["html"]
    page = data.decode()
    assert name.endswith(".html") and page.startswith("<!doctype html>")
    assert "<script" not in page and "<img" not in page and "<b>script" not in page
    # shown, as text, wherever it appears (Jinja2 and html.escape write the quote differently)
    shown = page.replace("&#39;", "&#x27;")
    assert shown.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 2
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "override by recruiter:rita: 0.20, level 2/5" in page


def test_an_answers_script_and_a_titles_markup_print_as_text_and_evidence_stays_marked(tmp_path):
    parts = make_parts(tmp_path)
    write_role(parts.settings.roles_dir, version=2, title="The <b>Bold</b> Engineer")
    parts.service.catalog.publish_role_files()
    sid = interview(parts, answers=("Lists are mutable. <script>alert(1)</script>",) + (GOOD,) * 4)
    view = parts.staff.transcript(parts.recruiter, sid)
    q1 = view.answers[0]  # the fake scorer quotes no evidence: quote it as a model would
    found = dataclasses.replace(q1.key_points[0], evidence="Lists are mutable.")
    q1 = dataclasses.replace(q1, key_points=(found, *q1.key_points[1:]))
    page = export([dataclasses.replace(view, answers=(q1, *view.answers[1:]))], "html", "x")[1]
    text = page.decode()
    assert "<script" not in text and "<b>" not in text
    assert "<h1>The &lt;b&gt;Bold&lt;/b&gt; Engineer — session" in text
    assert "<mark>Lists are mutable.</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_csv_has_one_row_per_answer_with_both_scores_and_no_formulas(exported):
    name, data = exported["csv"]
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert name.endswith(".csv") and tuple(rows[0]) == CSV_COLUMNS
    assert [r["question_id"] for r in rows] == ["q1", "q2", "q3", "q4", "q5"]
    q1 = rows[0]
    assert (q1["model_score"], q1["override_score"], q1["final_score"]) == (
        "1.000",
        "0.200",
        "0.200",
    )
    assert q1["override_by"] == "recruiter:rita" and q1["decision"] == "hold"
    assert SCRIPT in q1["answer"]  # CSV keeps the words; only HTML needs escaping
    assert rows[1]["answer"].startswith("'=HYPERLINK")  # a spreadsheet will not run it


def test_json_holds_the_whole_structure(exported):
    name, data = exported["json"]
    body = json.loads(data)
    (session,) = body["sessions"]
    q1 = session["answers"][0]
    assert q1["model_score"]["score"] == 1.0 and q1["overrides"][0]["score"] == 0.2
    assert q1["final_score"] == 0.2 and q1["key_points"][0]["text"] == "Lists are mutable"
    assert session["decisions"][0]["decision"] == "hold"
    assert any(t["kind"] == "disclosure" for t in session["transcript"]["turns"])


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_formula_like_cells_are_quoted(value):
    assert csv_cell(value) == "'" + value
    assert csv_cell("plain") == "plain" and csv_cell(None) == ""


def test_evidence_is_marked_inside_escaped_text():
    text = "I use <b>tuples</b> as keys. Lists are mutable."
    out = highlighted(text, ["Lists are mutable.", "not in the text"])
    assert out == "I use &lt;b&gt;tuples&lt;/b&gt; as keys. <mark>Lists are mutable.</mark>"
    assert highlighted("<script>", ["<script>"]) == "<mark>&lt;script&gt;</mark>"


def test_an_unknown_format_names_the_choices():
    with pytest.raises(BotError, match="csv, json, html"):
        export([], "xlsx", "x")
    assert export([], "csv", "../../etc/passwd")[0] == "etc-passwd.csv"
