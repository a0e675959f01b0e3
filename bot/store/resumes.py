"""Resumes kept with the candidate's invite: the masked text, what was masked, the match.

The file a resume came in is not kept (nothing a recruiter needs is only there); what was
masked is, for the recruiter who may see it, and goes with the candidate's erasure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.core.errors import StoreError
from bot.store.engine import Database
from bot.store.rows import event_model, to_row, utc_now
from bot.store.tables import InviteModel, ResumeModel


@dataclass(frozen=True)
class ResumeRow:
    id: int
    invite_hash: str
    role_id: str
    template_version: int
    file_name: str
    blind_text: str
    masked: dict
    match: dict
    score: float
    added_by: str
    added_at: datetime


class ResumeRecords(Database):
    """Each method one transaction."""

    def add_resume(
        self, invite_hash: str, template_version: int, file_name: str, blind_text: str,
        masked: list[tuple[str, str]], match: dict[str, Any], score: float, actor: str,
    ) -> ResumeRow:  # fmt: skip
        """Keep a resume with its invite; a newer one replaces the candidate's earlier one."""
        with self._tx("keep a resume") as s:
            invite = s.get(InviteModel, invite_hash)
            if invite is None:
                raise StoreError("no such invite; create the candidate's invite first")
            for old in s.scalars(select(ResumeModel).where(ResumeModel.invite_hash == invite_hash)):
                s.delete(old)
            row = ResumeModel(
                invite_hash=invite_hash, role_id=invite.role_id,
                template_version=template_version, file_name=file_name[:255],
                blind_text=blind_text, masked={"items": [list(m) for m in masked]},
                match=match, score=score, added_by=actor, added_at=utc_now(),
            )  # fmt: skip
            s.add(row)
            s.flush()
            # The log says a resume came, never what it says (erasure must not chase copies).
            s.add(event_model(actor, "resume.added", {"invite": invite_hash[:12],
                                                      "score": round(score, 4)},
                              invite.session_id))  # fmt: skip
            return to_row(ResumeRow, row)

    def resumes(self, role_id: str) -> list[ResumeRow]:
        """A role's resumes, newest first."""
        query = (select(ResumeModel).where(ResumeModel.role_id == role_id)
                 .order_by(ResumeModel.added_at.desc(), ResumeModel.id.desc()))  # fmt: skip
        with self._tx(f"read the resumes for {role_id}") as s:
            return [to_row(ResumeRow, m) for m in s.scalars(query)]

    def resume(self, resume_id: int) -> ResumeRow | None:
        with self._tx("read a resume") as s:
            found = s.get(ResumeModel, resume_id)
            return to_row(ResumeRow, found) if found else None

    def resume_of_session(self, session_id: str) -> ResumeRow | None:
        """The resume of the candidate whose invite opened this session, if they gave one."""
        query = (select(ResumeModel).join(InviteModel,
                                          InviteModel.token_hash == ResumeModel.invite_hash)
                 .where(InviteModel.session_id == session_id))  # fmt: skip
        with self._tx("read a session's resume") as s:
            found = s.scalars(query).first()
            return to_row(ResumeRow, found) if found else None
