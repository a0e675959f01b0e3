"""Graded examples: what the evaluator learns a question from, kept apart from transcripts.

A recruiter's grade of an answer (an override, or a confirmation of the evaluator's level)
makes the answer an example for that question, unless the role turns learning off. HR sees,
disables and deletes them; erasing a candidate deletes theirs; retention applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from bot.store.engine import Database
from bot.store.rows import event_model, to_row, utc_now
from bot.store.tables import GradedExampleModel


@dataclass(frozen=True)
class GradedExampleRow:
    id: int
    role_id: str
    question_id: str
    text: str
    level: int
    base_score: float | None
    session_id: str | None
    graded_by: str
    graded_at: datetime
    enabled: bool


class ExampleRecords(Database):
    """Each method one transaction."""

    def add_example(
        self, role_id: str, question_id: str, text: str, level: int, graded_by: str,
        session_id: str | None = None, base_score: float | None = None,
    ) -> GradedExampleRow:  # fmt: skip
        """Keep a graded answer as an example; a session's answer to a question is kept once
        (a new grade replaces the earlier one)."""
        with self._tx(f"keep a graded example for {role_id}/{question_id}") as s:
            if session_id is not None:
                self._live_session(s, session_id)
                s.execute(delete(GradedExampleModel).where(
                    GradedExampleModel.session_id == session_id,
                    GradedExampleModel.question_id == question_id,
                ))  # fmt: skip
            row = GradedExampleModel(
                role_id=role_id, question_id=question_id, text=text, level=level,
                base_score=base_score, session_id=session_id, graded_by=graded_by,
                graded_at=utc_now(), enabled=True,
            )  # fmt: skip
            s.add(row)
            s.flush()
            s.add(event_model(graded_by, "example.added",
                              {"role": role_id, "question": question_id, "level": level},
                              session_id))  # fmt: skip
            return to_row(GradedExampleRow, row)

    def examples(
        self, role_id: str, question_id: str | None = None, enabled_only: bool = True
    ) -> list[GradedExampleRow]:
        """A role's graded examples (one question's when given), oldest first."""
        query = select(GradedExampleModel).where(GradedExampleModel.role_id == role_id)
        if question_id is not None:
            query = query.where(GradedExampleModel.question_id == question_id)
        if enabled_only:
            query = query.where(GradedExampleModel.enabled.is_(True))
        with self._tx(f"read the graded examples of {role_id}") as s:
            return [to_row(GradedExampleRow, m) for m in s.scalars(query.order_by(
                GradedExampleModel.id))]  # fmt: skip

    def set_example_enabled(self, example_id: int, enabled: bool, actor: str) -> None:
        with self._tx(f"change graded example {example_id}") as s:
            row = s.get(GradedExampleModel, example_id)
            if row is None:
                from bot.core.errors import InputError

                raise InputError(f"no graded example {example_id}; list them again")
            row.enabled = enabled
            s.add(event_model(actor, "example.enabled" if enabled else "example.disabled",
                              {"example": example_id}, None))  # fmt: skip

    def delete_example(self, example_id: int, actor: str) -> None:
        with self._tx(f"delete graded example {example_id}") as s:
            done = s.execute(delete(GradedExampleModel).where(GradedExampleModel.id == example_id))
            if not done.rowcount:  # type: ignore[attr-defined]
                from bot.core.errors import InputError

                raise InputError(f"no graded example {example_id}; list them again")
            s.add(event_model(actor, "example.deleted", {"example": example_id}, None))
