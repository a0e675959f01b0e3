"""What the evaluator has learnt per question, for the people who teach it: the graded
examples (HR manages them) and how well its scores have agreed with recruiters' grades.

The agreement is honest by construction: each recruiter example keeps the score the evaluator
gave that answer before anyone graded it (with only the examples that existed then), so
comparing those scores with the grades is an out-of-sample measure, one grade at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog import RoleCatalog
from bot.evaluator.examples import Graded, agreement
from bot.evaluator.rubric import level_for
from bot.store import GradedExampleRow, Store


@dataclass(frozen=True)
class QuestionAgreement:
    """One question: HR's examples, recruiters' examples, and how the evaluator did on them."""

    question_id: str
    template_examples: int
    recruiter_examples: int
    pearson: float | None  # the evaluator's scores vs the recruiters' grades (3+ needed)
    same_level: int  # recruiter examples the evaluator had put at the grade's level

    @property
    def trust(self) -> str:
        """In a recruiter's words: how far to rely on the score for this question."""
        if self.pearson is None:
            return f"too few grades to tell ({self.recruiter_examples}; 3 needed)"
        if self.pearson >= 0.7:
            return "agrees well with your grades"
        if self.pearson >= 0.4:
            return "agrees in part: read the answers"
        return "does not agree with your grades: grade more answers, read every one"


def agreement_by_question(
    store: Store, catalog: RoleCatalog, role_id: str
) -> list[QuestionAgreement]:
    role = catalog.role(role_id)
    out = []
    for q in role.questions:
        graded = [e for e in store.examples(role.id, q.id) if e.base_score is not None]
        found = [Graded(e.text, e.level, float(e.base_score or 0.0), "recruiter") for e in graded]
        r, _ = agreement(found)
        same = sum(level_for(float(e.base_score or 0.0)) == e.level for e in graded)
        out.append(QuestionAgreement(q.id, len(q.examples), len(graded), r, same))
    return out


def examples_of(store: Store, role_id: str) -> list[GradedExampleRow]:
    """Every recruiter example of a role, disabled ones too, oldest first."""
    return store.examples(role_id, enabled_only=False)
