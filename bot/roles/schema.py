"""Role templates: prompts/roles/*.yaml -> RoleTemplate, validated, versioned.

HR edits these files, so they are contracts: unknown keys are errors, and every error names
file:line, the key and the fix (files.py reads the files and places the errors).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.core.policy import protected_topics

Loc = tuple[str | int, ...]

def _job_related(text: str) -> str:
    for topic, words in protected_topics(text)[:1]:
        raise PydanticCustomError(
            "protected_topic",
            "mentions {topic} ('{words}'), a protected topic: it says nothing about the job, and "
            "asking about it invites discrimination (unlawful in many countries); rephrase it "
            "to ask only about skills and experience the job needs",
            {"topic": topic, "words": words},
        )
    return text


def _relative_document(path: str) -> str:
    if path.startswith(("/", "\\")) or ".." in Path(path).parts or ":" in path:
        raise PydanticCustomError(
            "document_path",
            "'{path}' must be a path inside knowledge/, such as jobs/backend-python.md",
            {"path": path},
        )
    return path


AskedText = Annotated[str, AfterValidator(_job_related)]  # words a candidate reads or is judged on
DocumentPath = Annotated[str, AfterValidator(_relative_document)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class KeyPoint(_Strict):
    """One thing a good answer says; the evaluator looks for it and a probe can ask for it."""

    id: str = Field(min_length=1, description="an id unique within the question, e.g. kp-mutable")
    text: AskedText = Field(min_length=3, description="one short, checkable statement")
    probe: AskedText | None = None  # HR-written follow-up when this point is missing


class Anchors(_Strict):
    """What an answer at level 1, 3 and 5 looks like, in HR's words."""

    level_1: str = Field(alias="1", min_length=3, description="what a weak answer looks like")
    level_3: str = Field(alias="3", min_length=3, description="what an adequate answer looks like")
    level_5: str = Field(alias="5", min_length=3, description="what a strong answer looks like")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Example(_Strict):
    """A graded answer, written as a candidate would say it: what a level sounds like for
    this question. The evaluator compares each answer with these (bot/evaluator/examples.py)."""

    level: int = Field(ge=1, le=5, strict=True, description="1 (weak) to 5 (strong)")
    answer: str = Field(min_length=20, max_length=2000, description="the answer, in 1-8 sentences")
    covers: list[str] = Field(default_factory=list, description="ids of the key points it makes")


class Question(_Strict):
    """A core question: asked as HR wrote it, in the template's order, to every candidate."""

    id: str = Field(min_length=1, description="a short unique id, e.g. q1-lists-and-tuples")
    competency: str = Field(description="the id of one of the role's competencies")
    text: AskedText = Field(min_length=10, description="the question as the candidate reads it")
    reference_answer: str = Field(min_length=10, description="a strong answer, in 3 to 6 sentences")
    key_points: list[KeyPoint] = Field(
        min_length=2, max_length=5, description="2 to 5 key points, each with id, text and probe"
    )
    anchors: Anchors = Field(description="what answers at levels 1, 3 and 5 look like")
    # General probes, used when no point-specific one fits.
    probes: list[AskedText] = Field(default_factory=list)
    examples: list[Example] = Field(
        default_factory=list, max_length=40,
        description="graded answers (level 1-5) as candidates would say them; a strong, a "
        "partial and a weak one at least",
    )  # fmt: skip

    @field_validator("key_points")
    @classmethod
    def _unique_key_points(cls, points: list[KeyPoint]) -> list[KeyPoint]:
        ids = [p.id for p in points]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise PydanticCustomError(
                "duplicate_key_point",
                "key point ids must be unique within a question; repeated: {dupes}",
                {"dupes": dupes},
            )
        return points

    @model_validator(mode="after")
    def _examples_cover_known_points(self) -> Question:
        known = {p.id for p in self.key_points}
        for i, example in enumerate(self.examples):
            unknown = [c for c in example.covers if c not in known]
            if unknown:
                raise PydanticCustomError(
                    "unknown_key_point",
                    "examples[{i}].covers names {unknown}, which are not key points of this "
                    "question (its key points: {known})",
                    {"i": i, "unknown": ", ".join(unknown), "known": ", ".join(sorted(known))},
                )
        return self

    def probe_for(self, point: KeyPoint) -> str:
        """The HR-written probe for a missing point: its own, else the first general one."""
        if point.probe:
            return point.probe
        if self.probes:
            return self.probes[0]
        return f"Could you say a little more about {point.text.rstrip('.').lower()}?"


class Competency(_Strict):
    id: str = Field(min_length=1, description="a short id that questions refer to, e.g. python")
    name: str = Field(min_length=1, description="the competency's name as recruiters read it")
    description: str = ""


class Requirement(_Strict):
    """One thing the job needs, written as a candidate would state it; resumes are matched
    against it (bot/resumes/matching.py), the resume line that meets it quoted."""

    text: AskedText = Field(
        min_length=10, max_length=300,
        description="as a candidate would say it, e.g. 'I have built and run HTTP APIs in "
        "Python in production'",
    )  # fmt: skip
    must: bool = Field(True, description="true: a must-have; false: a nice-to-have")
    years: float | None = Field(
        None, gt=0, le=40, description="years of experience asked, counted from a resume's dates"
    )


class RoleTemplate(_Strict):
    """One role's structured interview, as HR published it."""

    version: int = Field(ge=1, strict=True, description="1, then one more per published change")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="the role's id, its file name")
    title: str = Field(min_length=3, description="the job title candidates see")
    documents: list[DocumentPath] = Field(
        min_length=1, description="the job's documents under knowledge/, e.g. [jobs/analyst.md]"
    )
    competencies: list[Competency] = Field(
        min_length=1, description="what the questions assess, each with id and name"
    )
    questions: list[Question] = Field(
        min_length=5, max_length=8, description="5 to 8 core questions, asked in this order"
    )
    max_probes: int = Field(1, ge=0, le=3)
    # What a resume is matched against; a match is shown beside the interview, never merged.
    requirements: list[Requirement] = Field(
        default_factory=list, max_length=15,
        description="must-haves and nice-to-haves, each as a candidate would state it",
    )  # fmt: skip
    require_resume: bool = False  # a candidate attaches a resume before the first question
    # A recruiter's grade of an answer (an override or a confirmed level) becomes an example
    # the evaluator learns the question from; false keeps grades out of scoring.
    learn_from_grades: bool = True
    retired: bool = False

    @model_validator(mode="after")
    def _questions_refer_to_competencies(self) -> RoleTemplate:
        problems = _cross_reference(self.model_dump(by_alias=True))
        if problems:
            summary = "; ".join(f"{_dotted(loc)}: {msg}" for loc, msg in problems)
            raise PydanticCustomError("role_cross_reference", "{summary}", {"summary": summary})
        return self

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


def _cross_reference(data: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """Ids that must be unique and references that must resolve; tolerant of half-valid data."""
    problems: list[tuple[Loc, str]] = []

    def first_use(items: Any, key: str, where: Loc, noun: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items if isinstance(items, list) else []):
            value = item.get(key) if isinstance(item, dict) else None
            if not isinstance(value, str):
                continue
            first = seen.setdefault(value.strip(), i)
            if first != i:
                problems.append(((*where, i, key), f"'{value}' is already used by "
                                 f"{_dotted((*where, first))}; give each {noun} its own id"))

    competencies = data.get("competencies")
    first_use(competencies, "id", ("competencies",), "competency")
    declared = [c["id"].strip() for c in competencies or [] if isinstance(c, dict)
                and isinstance(c.get("id"), str)] if isinstance(competencies, list) else []
    questions = data.get("questions")
    first_use(questions, "id", ("questions",), "question")
    for i, q in enumerate(questions if isinstance(questions, list) else []):
        if not isinstance(q, dict):
            continue
        first_use(q.get("key_points"), "id", ("questions", i, "key_points"), "key point")
        name = q.get("competency")
        if declared and isinstance(name, str) and name.strip() not in declared:
            problems.append((("questions", i, "competency"), f"'{name}' is not declared under "
                             f"competencies (declared: {', '.join(declared)}); add it there or "
                             f"use one of those{_did_you_mean(name, declared)}"))
    return problems


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
