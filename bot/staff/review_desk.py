"""A recruiter's review: the session list, transcripts, score overrides and decisions.

A person's grade never replaces the model's score: it is kept beside it, with the reason, and
(the role permitting) the graded answer becomes an example the evaluator learns from.
"""

from __future__ import annotations

from typing import Literal

from bot.core.errors import InputError
from bot.staff.access import Action
from bot.staff.review import SessionSummary, TranscriptView, summaries
from bot.staff.staff_desk import StaffDesk

Decision = Literal["advance", "hold", "reject"]
DECISIONS: tuple[str, ...] = ("advance", "hold", "reject")
MIN_REASON = 10


class ReviewDesk(StaffDesk):
    """What recruiters read and decide about sessions."""

    def sessions(
        self,
        token: str,
        role_id: str | None = None,
        status: str | None = None,
        sort_by: str = "updated",  # 'updated' or 'score'; checked here, as pages send strings
        descending: bool = True,
    ) -> list[SessionSummary]:
        """Sessions with status, scores and decision; filtered by role and status, sorted."""
        self._allow(token, Action.VIEW_SESSIONS)
        if sort_by not in ("updated", "score"):
            raise InputError(f"cannot sort by '{sort_by}'; use 'updated' or 'score'")
        rows = [
            r
            for r in summaries(self.store, self.catalog, role_id)
            if status is None or r.status == status
        ]
        if sort_by == "score":  # unscored sessions last, whichever the direction
            scored = sorted(
                (r for r in rows if r.overall is not None),
                key=lambda r: r.overall or 0.0,
                reverse=descending,
            )
            return scored + [r for r in rows if r.overall is None]
        return sorted(rows, key=lambda r: r.updated_at, reverse=descending)

    def transcript(self, token: str, session_id: str) -> TranscriptView:
        """One session with each answer's score, evidence, probes, versions and any overrides.

        Each reading is logged: a candidate may ask who has seen their interview."""
        actor = self._allow(token, Action.VIEW_TRANSCRIPT)
        view = self._view(session_id)
        self.store.append_event(actor.label, "transcript.viewed", {}, session_id)
        return view

    def override(
        self, token: str, session_id: str, question_id: str, score: float, level: int, reason: str
    ) -> TranscriptView:
        """Keep a person's score for one answer beside the model's, with the reason; logged."""
        actor = self._allow(token, Action.OVERRIDE_SCORE)
        reason = (reason or "").strip()
        if len(reason) < MIN_REASON:
            raise InputError(
                f"an override needs a reason of at least {MIN_REASON} characters saying why "
                "the model's score is wrong; write one and save again"
            )
        if not 0.0 <= score <= 1.0 or not 1 <= level <= 5:
            raise InputError(f"score {score} / level {level} out of range; use 0..1 and 1..5")
        view = self._view(session_id)
        if question_id not in {a.question_id for a in view.answers}:
            known = ", ".join(a.question_id for a in view.answers)
            raise InputError(f"no question '{question_id}' in this session (questions: {known})")
        self.store.add_override(
            session_id, question_id, float(score), int(level), reason, actor.label
        )
        self._learn(view, question_id, int(level), actor.label)
        return self._view(session_id)

    def confirm(self, token: str, session_id: str, question_id: str) -> TranscriptView:
        """A recruiter agrees with the evaluator's level for an answer: the answer becomes a
        graded example at that level (the evaluator learns from agreement too)."""
        actor = self._allow(token, Action.OVERRIDE_SCORE)
        view = self._view(session_id)
        found = next((a for a in view.answers if a.question_id == question_id), None)
        if found is None or found.model_score is None:
            raise InputError(f"question '{question_id}' has no score in this session to confirm")
        level = found.override.level if found.override else found.model_score.level
        if not self._learn(view, question_id, level, actor.label):
            raise InputError("this role keeps recruiters' grades out of scoring "
                             "(learn_from_grades: false); nothing was kept")  # fmt: skip
        payload = {"question_id": question_id, "level": level}
        self.store.append_event(actor.label, "score.confirmed", payload, session_id)
        return self._view(session_id)

    def _learn(self, view: TranscriptView, question_id: str, level: int, actor: str) -> bool:
        """Keep the graded answer as an example for its question (its role permitting)."""
        summary = view.summary
        role = self.catalog.role(summary.role_id, summary.template_version)
        found = next((a for a in view.answers if a.question_id == question_id), None)
        text = " ".join(found.answers).strip() if found else ""
        if not role.learn_from_grades or not text:
            return False
        base = found.model_score.score if found and found.model_score else None
        self.store.add_example(role.id, question_id, text, level, actor, summary.id, base)
        return True

    def decide(self, token: str, session_id: str, decision: str, note: str = "") -> TranscriptView:
        """Record advance, hold or reject with a note; earlier decisions stay in the history."""
        actor = self._allow(token, Action.DECIDE)
        if decision not in DECISIONS:
            raise InputError(f"'{decision}' is not a decision; choose {', '.join(DECISIONS)}")
        self.store.add_decision(session_id, decision, (note or "").strip(), actor.label)
        return self._view(session_id)

    def score_distribution(self, token: str, role_id: str) -> dict[str, list[float]]:
        """Final scores of a role's sessions, per competency name and 'Overall', for a chart."""
        self._allow(token, Action.VIEW_CHART)
        out: dict[str, list[float]] = {}
        for summary in summaries(self.store, self.catalog, role_id):
            for c in summary.competencies:
                if c.score is not None:
                    out.setdefault(c.name, []).append(c.score)
            if summary.overall is not None:
                out.setdefault("Overall", []).append(summary.overall)
        return out
