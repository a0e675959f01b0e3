"""The sample roles and Northwind Labs documents: what a new user sees first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.policy import protected_topics
from bot.roles.files import check_path, load_role, load_roles
from bot.roles.schema import RoleTemplate

ROOT = Path(__file__).resolve().parents[2]
ROLES = ROOT / "prompts" / "roles"
KNOWLEDGE = ROOT / "knowledge"
SAMPLES = {
    "backend-python": "Backend Python Engineer",
    "customer-support": "Customer Support Specialist",
    "data-analyst": "Data Analyst",
}


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def role(request) -> RoleTemplate:
    return load_role(ROLES / f"{request.param}.yaml", knowledge_dir=KNOWLEDGE)


def test_samples_pass_the_check_hr_runs():
    assert check_path(ROLES, KNOWLEDGE) == []
    assert {r.id: r.title for r in load_roles(ROLES).values()} == SAMPLES


def test_every_question_ships_a_strong_a_partial_and_a_weak_example(role):
    for q in role.questions:
        assert sorted(e.level for e in q.examples) == [1, 3, 5], q.id
        strong = next(e for e in q.examples if e.level == 5)
        assert set(strong.covers) == {k.id for k in q.key_points}, q.id


def test_every_listed_document_exists(role):
    assert role.documents == [f"jobs/{role.id}.md"]
    for doc in role.documents:
        assert (KNOWLEDGE / doc).is_file()


def test_sample_shape_follows_the_structured_interview_design(role):
    assert role.version == 3 and role.max_probes == 1 and not role.retired
    assert 3 <= len(role.competencies) <= 4
    assert 5 <= len(role.questions) <= 6
    assert {q.competency for q in role.questions} == {c.id for c in role.competencies}
    for n, q in enumerate(role.questions, start=1):
        assert re.fullmatch(rf"q{n}-[a-z0-9-]+", q.id)
        assert 2 <= len(q.key_points) <= 4
        sentences = re.findall(r"[.!?](?:\s|$)", q.reference_answer)
        assert 3 <= len(sentences) <= 6, (q.id, len(sentences))
        assert q.text.rstrip().endswith("?") or "Walk me through" in q.text


def test_every_key_point_has_a_probe_that_does_not_give_it_away(role):
    for q in role.questions:
        for point in q.key_points:
            assert point.id.startswith("kp-")
            assert point.probe and point.probe.endswith("?"), (q.id, point.id)
            assert point.text.lower().rstrip(".") not in point.probe.lower()


def test_anchors_describe_distinct_levels(role):
    for q in role.questions:
        levels = [q.anchors.level_1, q.anchors.level_3, q.anchors.level_5]
        assert len(set(levels)) == 3
        assert all(len(text.split()) >= 8 for text in levels), q.id


def test_no_sample_text_touches_a_protected_topic(role):
    for q in role.questions:
        said = [q.text, q.reference_answer, *q.probes]
        said += [t for p in q.key_points for t in (p.text, p.probe or "")]
        said += [q.anchors.level_1, q.anchors.level_3, q.anchors.level_5]
        assert [protected_topics(t) for t in said if protected_topics(t)] == [], q.id


def _doc(path: str) -> str:
    return (KNOWLEDGE / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("job", sorted(SAMPLES))
def test_job_documents_answer_the_usual_candidate_questions(job):
    text = _doc(f"jobs/{job}.md")
    assert text.startswith(f"# {SAMPLES[job]}\n")
    for heading in ("## Team", "## Location and remote work", "## Salary range"):
        assert heading in text
    assert re.search(r"EUR \d{2},\d{3} to EUR \d{2},\d{3}", text)
    assert "remote" in text.split("## Location and remote work")[1].lower()


def test_company_documents_answer_the_usual_candidate_questions():
    about, hiring, benefits = (
        _doc(f"company/{n}.md") for n in ("about", "hiring-process", "benefits")
    )
    assert "Northwind Labs" in about and "## Locations and remote work" in about
    assert "A person reviews every transcript" in hiring
    assert "accessibility@northwind.example" in hiring
    assert "12 months" in hiring and "deleted" in hiring and "copy" in hiring
    for stage in ("Recruiter call", "Technical or skills interview", "offer"):
        assert stage in hiring
    assert "Pay bands are published for every role" in benefits
    assert "## Working hours" in benefits
    assert "PostgreSQL" in _doc("jobs/backend-python.md")
