"""Role templates: prompts/roles/*.yaml -> RoleTemplate, validated, versioned.

HR edits these files, so they are contracts: unknown keys are errors, and every error names
file:line, the key and the fix (see load_role / check_path).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class KeyPoint(_Strict):
    """One thing a good answer says; the evaluator looks for it and a probe can ask for it."""

    id: str = Field(min_length=1)
    text: str = Field(min_length=3)
    probe: str | None = None  # HR-written follow-up when this point is missing


class Anchors(_Strict):
    """What an answer at level 1, 3 and 5 looks like, in HR's words."""

    level_1: str = Field(alias="1", min_length=3)
    level_3: str = Field(alias="3", min_length=3)
    level_5: str = Field(alias="5", min_length=3)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Question(_Strict):
    """A core question: asked as HR wrote it, in the template's order, to every candidate."""

    id: str = Field(min_length=1)
    competency: str
    text: str = Field(min_length=10)
    reference_answer: str = Field(min_length=10)
    key_points: list[KeyPoint] = Field(min_length=2, max_length=5)
    anchors: Anchors
    probes: list[str] = Field(default_factory=list)  # general probes, used when no point-specific one fits

    @field_validator("key_points")
    @classmethod
    def _unique_key_points(cls, points: list[KeyPoint]) -> list[KeyPoint]:
        ids = [p.id for p in points]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"key point ids must be unique within a question; repeated: {dupes}")
        return points

    def probe_for(self, point: KeyPoint) -> str:
        """The HR-written probe for a missing point: its own, else the first general one."""
        if point.probe:
            return point.probe
        if self.probes:
            return self.probes[0]
        return f"Could you say a little more about {point.text.rstrip('.').lower()}?"


class Competency(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""


class RoleTemplate(_Strict):
    """One role's structured interview, as HR published it."""

    version: int = Field(ge=1)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=3)
    documents: list[str] = Field(min_length=1)  # paths under knowledge/ describing this job
    competencies: list[Competency] = Field(min_length=1)
    questions: list[Question] = Field(min_length=5, max_length=8)
    max_probes: int = Field(1, ge=0, le=3)
    retired: bool = False

    @model_validator(mode="after")
    def _questions_refer_to_competencies(self) -> "RoleTemplate":
        known = {c.id for c in self.competencies}
        for i, q in enumerate(self.questions):
            if q.competency not in known:
                raise ValueError(
                    f"questions[{i}].competency '{q.competency}' is not one of the role's "
                    f"competencies {sorted(known)}; add it under competencies or fix the name"
                )
        qids = [q.id for q in self.questions]
        dupes = sorted({i for i in qids if qids.count(i) > 1})
        if dupes:
            raise ValueError(f"question ids must be unique; repeated: {dupes}")
        return self

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)
