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
    grade_next: tuple[str, ...] = ()  # sessions whose answer here would teach it the most

    @property
    def trust(self) -> str:
        """In a recruiter's words: how far to rely on the score for this question."""
        if self.pearson is None and self.recruiter_examples >= 3:
            return "all your grades so far are one level, or its scores all alike: grade " \
                "answers of other levels too"
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
    scores = store.latest_scores(role.id)
    out = []
    for q in role.questions:
        every = store.examples(role.id, q.id, enabled_only=False)
        graded = [e for e in every if e.enabled and e.base_score is not None]
        found = [Graded(e.text, e.level, float(e.base_score or 0.0), "recruiter") for e in graded]
        r, _ = agreement(found)
        same = sum(level_for(float(e.base_score or 0.0)) == e.level for e in graded)
        nxt = grade_next(scores, q.id, {e.session_id for e in every})
        out.append(QuestionAgreement(q.id, len(q.examples), len(graded), r, same, nxt))
    return out


def grade_next(scores: dict, question_id: str, graded: set[str | None], most: int = 3
               ) -> tuple[str, ...]:  # fmt: skip
    """The ungraded answers whose grade would teach the evaluator the most: those it was
    least sure of (a low confidence, or its own score and the examples far apart)."""
    open_ = [(s[question_id].confidence - (0.5 if s[question_id].needs_review else 0.0), sid)
             for sid, s in scores.items() if question_id in s and sid not in graded]  # fmt: skip
    return tuple(sid for _, sid in sorted(open_)[:most])


def examples_of(store: Store, role_id: str) -> list[GradedExampleRow]:
    """Every recruiter example of a role, disabled ones too, oldest first."""
    return store.examples(role_id, enabled_only=False)
