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
