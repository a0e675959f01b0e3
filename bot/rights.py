"""A candidate's rights over their data, exercised with their invite link: a copy, a
correction, erasure, and after a decision an explanation of how it was reached.

Retention: `interviewer retention apply` erases what is past `retention_days`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.core.errors import InputError
from bot.core.messages import plain_text
from bot.store import ERASED
from bot.transcript import marked

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.settings import Settings
    from bot.store import Store

CORRECTION_MAX_CHARS = 2000
MAX_CORRECTIONS = 10  # per interview: a page, not a channel for unlimited text


@dataclass(frozen=True)
class Rights:
    """What a candidate may ask of their own session."""

    store: Store
    catalog: RoleCatalog
    settings: Settings

    def copy(self, session_id: str) -> dict[str, Any]:
        """Everything kept about the candidate's interview, in plain data."""
        session = self.store.load_session(session_id)
        role = self.catalog.role(session.role_id, session.template_version)
        turns = self.store.turns(session_id)
        decisions = self.store.decisions(session_id)
        decided = decisions[-1] if decisions else None
        out: dict[str, Any] = {
            "role": role.title,
            "started": session.created_at.isoformat(),
            "status": session.status,
            "conversation": [
                {"who": t.speaker, "kind": t.kind, "at": t.created_at.isoformat(),
                 "text": marked(t.text, (t.meta or {}).get("set_aside", ()))}
                for t in turns
            ],
            "decision": {"decision": decided.decision, "at": decided.created_at.isoformat()}
            if decided else None,
            "feedback": [{"rating": f.rating, "comment": f.comment}
                         for f in self.store.feedback(session_id)],
            "voluntary_self_identification": "kept apart from your interview if you gave it; "
            "it is erased with the rest",
        }  # fmt: skip
        if decided and self.settings.scores_to_candidates:
            out["scores"] = [
                {"question": t.question_id, "score": t.score.score, "level": t.score.level}
                for t in turns if t.score is not None
            ]  # fmt: skip
        return out

    def correct(self, session_id: str, note: str) -> None:
        """A note from the candidate, shown to the recruiter beside their transcript."""
        note = plain_text(note).strip()
        if not note:
            raise InputError("write what should be corrected first")
        if len(note) > CORRECTION_MAX_CHARS:
            raise InputError(f"the note is {len(note):,} characters; the limit is "
                             f"{CORRECTION_MAX_CHARS:,}")  # fmt: skip
        self._not_erased(session_id)
        sent = sum(t.kind == "correction" for t in self.store.turns(session_id))
        if sent >= MAX_CORRECTIONS:
            raise InputError(
                f"you have sent {sent} corrections, the most this page takes; write to "
                f"{self.settings.contact} to add more"
            )
        self.store.add_note_turn(session_id, "candidate", "correction", note)

    def erase(self, session_id: str, why: str = "candidate request") -> dict[str, int]:
        """Erase the candidate's data; the log keeps that it happened."""
        self._not_erased(session_id)
        return self.store.erase_session(session_id, "candidate", why)

    def explain(self, session_id: str) -> str:
        """How the decision was reached, from the stored record, once there is one."""
        session = self.store.load_session(session_id)
        decisions = self.store.decisions(session_id)
        if not decisions:
            raise InputError("there is no decision yet; an explanation is available after one")
        role = self.catalog.role(session.role_id, session.template_version)
        names = sorted({c.name for c in role.competencies})
        answered = {t.question_id for t in self.store.turns(session_id) if t.score is not None}
        people = {o.actor for o in self.store.overrides(session_id)}
        return (
            f"You were interviewed for {role.title} with the same {len(role.questions)} "
            f"questions every candidate for this role is asked ({len(answered)} answered). "
            f"They assess: {', '.join(names)}. An AI evaluator compared each answer with the "
            "points the hiring team wrote for it and gave the recruiter a score and the "
            "sentences behind it; it does not judge tone, fluency or emotion, and it decides "
            f"nothing. A person decided ({decisions[-1].decision}, "
            f"{decisions[-1].created_at:%Y-%m-%d})"
            + (", after reviewing and changing some of the AI's scores" if people else "")
            + ". To ask for a human review or to correct something, reply with a correction "
            f"here or write to {self.settings.contact}."
        )

    def _not_erased(self, session_id: str) -> None:
        if self.store.load_session(session_id).status == ERASED:
            raise InputError("this interview's data has already been erased")


def past_retention(store: Store, days: int, now: datetime) -> list[str]:
    """Sessions whose decision (or, undecided, last activity) is older than `days`."""
    cut = now - timedelta(days=days)
    decided: dict[str, datetime] = {}
    for d in store.decisions():
        decided[d.session_id] = max(decided.get(d.session_id, d.created_at), d.created_at)
    return [
        s.id for s in store.sessions()
        if s.status != ERASED and decided.get(s.id, s.updated_at) < cut
    ]  # fmt: skip
