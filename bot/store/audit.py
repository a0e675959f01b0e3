"""Self-identification, stored apart and read only in aggregate by the impact-ratio report."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.core.errors import InputError
from bot.store.engine import Database
from bot.store.rows import event_model, utc_now
from bot.store.tables import SelfIdModel


@dataclass(frozen=True)
class SelfId:
    session_id: str
    sex: str
    race_ethnicity: str


class AuditRecords(Database):
    """The one door to self-identification. Nothing else in the store reads its table."""

    def add_self_id(self, session_id: str, sex: str, race_ethnicity: str) -> None:
        """Keep a candidate's answers to the voluntary form, once."""
        with self._tx("save the voluntary self-identification") as s:
            if s.get(SelfIdModel, session_id) is not None:
                raise InputError("thank you: your answers to this form are already saved")
            s.add(SelfIdModel(session_id=session_id, sex=sex, race_ethnicity=race_ethnicity,
                              at=utc_now()))  # fmt: skip
            # The log says that it happened, never what was chosen.
            s.add(event_model("candidate", "self_id.given", {}, session_id))

    def self_ids_for_audit(self, session_ids: list[str]) -> dict[str, SelfId]:
        """Self-identification of these sessions, for the aggregate report only."""
        if not session_ids:
            return {}
        with self._tx("read self-identification for the audit") as s:
            rows = s.scalars(select(SelfIdModel).where(SelfIdModel.session_id.in_(session_ids)))
            return {r.session_id: SelfId(r.session_id, r.sex, r.race_ethnicity) for r in rows}


ERASED = "erased"  # a session's status once its candidate's data is gone


class ErasureRecords(Database):
    """Erasing a candidate's data on request or when it is past its retention."""

    def erase_session(self, session_id: str, actor: str, why: str) -> dict[str, int]:
        """Remove everything the candidate said or that was said about them: turns, scores,
        overrides, decisions' notes, feedback, self-identification, the invite's email, and
        the text inside audit-log entries. The log keeps that an erasure happened, and when,
        with counts only."""
        from sqlalchemy import delete, update

        from bot.store.tables import (
            DecisionModel,
            EventModel,
            FeedbackModel,
            GradedExampleModel,
            InviteModel,
            OverrideModel,
            ResumeModel,
            ScoreModel,
            SessionModel,
            TurnModel,
        )

        removed: dict[str, int] = {}
        with self._tx(f"erase session '{session_id}'") as s:
            self._get_session(s, session_id)
            for name, model in (("scores", ScoreModel), ("turns", TurnModel),
                                ("overrides", OverrideModel), ("feedback", FeedbackModel),
                                ("self_identification", SelfIdModel),
                                ("graded_examples", GradedExampleModel)):  # fmt: skip
                done = s.execute(delete(model).where(model.session_id == session_id))
                removed[name] = int(done.rowcount)  # type: ignore[attr-defined]
            s.execute(update(DecisionModel).where(DecisionModel.session_id == session_id)
                      .values(note=""))  # fmt: skip
            invites = list(s.scalars(select(InviteModel.token_hash)
                                     .where(InviteModel.session_id == session_id)))  # fmt: skip
            gone = s.execute(delete(ResumeModel).where(ResumeModel.invite_hash.in_(invites)))
            removed["resumes"] = int(gone.rowcount)  # type: ignore[attr-defined]
            s.execute(update(InviteModel).where(InviteModel.session_id == session_id)
                      .values(email=None))  # fmt: skip
            # The invite was logged before its session existed, with the candidate's email.
            logged = select(EventModel).where(
                EventModel.session_id.is_(None), EventModel.kind.like("invite%")
            )
            for event in s.scalars(logged):
                if any(event.payload.get("invite") == h[:12] for h in invites):
                    event.payload = {}
            s.execute(update(EventModel).where(EventModel.session_id == session_id)
                      .values(payload={}))  # fmt: skip
            s.execute(update(SessionModel).where(SessionModel.id == session_id)
                      .values(state={}, status=ERASED, updated_at=utc_now()))  # fmt: skip
            s.add(event_model(actor, "session.erased", {"why": why, **removed}, session_id))
        self.forget_deleted()
        return removed

    def add_note_turn(self, session_id: str, speaker: str, kind: str, text: str) -> None:
        """A turn added after the interview (a candidate's correction), outside its steps."""
        from sqlalchemy import func

        from bot.store.tables import TurnModel

        with self._tx(f"add a note to session '{session_id}'") as s:
            self._get_session(s, session_id)
            seqs = select(func.max(TurnModel.seq)).where(TurnModel.session_id == session_id)
            last = s.scalar(seqs)
            s.add(TurnModel(session_id=session_id, seq=(last or 0) + 1, speaker=speaker, kind=kind,
                            text=text, question_id=None, model_version=None, meta={},
                            created_at=utc_now()))  # fmt: skip
            s.add(event_model(speaker, f"{kind}.added", {}, session_id))
