"""Drafts from a job description, and the in-place edits publishing makes to template text."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.core.problems import Problem
from bot.staff.drafting import (
    draft_role,
    job_title,
    parse_model_questions,
    requirements,
    todo_problems,
    with_problems,
    with_top_level,
)

ROOT = Path(__file__).resolve().parents[2]
JOB = (ROOT / "knowledge/jobs/backend-python.md").read_text(encoding="utf-8")

MODEL = """Here are some questions.

1. Q: Tell me about an HTTP API you designed and who used it.
Key points: names the users; explains one design decision
Level 1: Only buzzwords.
Level 3: A real API, shallow reasons.
Level 5: A real API with trade-offs.

Q: How do you keep a schema migration from causing downtime?
Key points:
- adds columns before using them
- backfills in batches
Level 5: Describes expand and contract.
"""


def test_model_questions_are_parsed_with_their_points_and_anchors():
    first, second = parse_model_questions(MODEL)
    assert first.text == "Tell me about an HTTP API you designed and who used it."
    assert first.key_points == ["names the users", "explains one design decision"]
    assert first.anchors == {
        "1": "Only buzzwords.",
        "3": "A real API, shallow reasons.",
        "5": "A real API with trade-offs.",
    }
    assert second.key_points == ["adds columns before using them", "backfills in batches"]
    assert parse_model_questions("I cannot help with that.") == []


def test_requirements_come_from_requirement_headings_with_wrapped_lines_joined():
    found = requirements(JOB)
    assert "Design, build and maintain HTTP APIs and background jobs in Python." in found
    assert (
        "At least 3 years of professional experience building backend services, with Python as "
        "your main language for at least 2 of them."
    ) in found
    assert requirements("- one\n- two\n") == ["one", "two"]  # no headings: every bullet
    assert job_title(JOB) == "Backend Python Engineer"


def test_a_draft_lists_what_resumes_are_matched_against_in_a_candidate_s_words():
    from bot.staff.drafting import requirement_items

    found = requirement_items(JOB)
    texts = [r["text"] for r in found]
    # What a candidate brings (required, nice to have), never the duties of the job.
    assert not any("Design, build and maintain" in t for t in texts)
    years = next(r for r in found if "3 years" in r["text"])
    assert years["text"].startswith("I have at least 3 years") and years["years"] == 3
    assert "must" not in years  # a must-have by default
    assert any(r.get("must") is False for r in found)  # from "Nice to have"
    assert all(t.startswith("I ") and "your" not in t for t in texts)
    draft = yaml.safe_load(draft_role(JOB, None).yaml)
    assert draft["requirements"] == found


def test_each_requirement_becomes_a_complete_question_that_passes_the_check_unedited():
    from bot.roles.files import _check_text

    for job in sorted((ROOT / "knowledge/jobs").glob("*.md")):
        draft = draft_role(job.read_text(encoding="utf-8"), "Sorry, as a language model I cannot.",
                           f"jobs/{job.name}")  # fmt: skip
        data = yaml.safe_load(draft.yaml)
        assert draft.source == "skeleton" and 5 <= len(data["questions"]) <= 8
        role, problems = _check_text(draft.yaml, "draft.yaml", knowledge_dir=ROOT / "knowledge")
        assert problems == [] and role is not None, job.name
        text = job.read_text(encoding="utf-8")
        assert all(q["text"] not in text and len(q["text"]) < 400 for q in data["questions"])
        # A strong, a partial and a weak example each, for HR to edit: the evaluator learns
        # the question from them (and the check warns on a question with no level 5).
        assert all(sorted(e["level"] for e in q["examples"]) == [1, 3, 5]
                   for q in role.model_dump()["questions"])  # fmt: skip


def test_with_too_few_requirements_the_models_questions_fill_the_gap_and_the_rest_are_ideas():
    short = "# Support Specialist\n\n## Requirements\n- Clear written English.\n"
    draft = draft_role(short, MODEL)
    data = yaml.safe_load(draft.yaml)
    assert draft.source == "model+skeleton" and draft.questions == 5
    assert data["questions"][0]["text"].startswith("Tell me about an HTTP API")
    assert data["questions"][1]["anchors"]["1"].startswith("TODO")  # the model gave no level 1
    assert [e["level"] for e in data["questions"][0]["examples"]] == [5, 3, 1]
    assert all(e["answer"].startswith("TODO") for e in data["questions"][0]["examples"])
    assert "clear written English" in data["questions"][2]["text"]
    full = draft_role(JOB, MODEL)
    assert "The model also suggested" in full.yaml and "schema migration" in full.yaml


def test_top_level_keys_are_set_in_place_so_comments_and_lines_stay():
    text = "# HR's note\nversion: 3  # old\nid: x\nquestions:\n  - version: inner\n"
    assert with_top_level(text, "version", "4") == text.replace("3  # old", "4")
    assert with_top_level("id: x", "retired", "true") == "id: x\nretired: true\n"


def test_todo_markers_outside_comments_are_problems_and_listed_at_the_end():
    text = "# TODO in a comment is fine\ntitle: 'TODO: the title'\nid: x\n"
    problems = todo_problems(text, "template.yaml")
    assert [str(p) for p in problems] == [
        "template.yaml:2: a TODO from the draft is still here; replace it with your own words"
    ]
    out = with_problems(text, problems + [Problem.at("template.yaml", 3, "id: too short")])
    assert out.startswith(text)  # nothing moves: the line numbers still point right
    assert "TODO markers to replace on lines 2" in out and "#   template.yaml:3: id" in out
    assert with_problems(text, []).endswith("no problems found. Review it, then publish.\n")
