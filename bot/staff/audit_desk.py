"""What an auditor reads: impact ratios for a role, and the event log itself."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.staff import audit
from bot.staff.access import Action
from bot.staff.staff_desk import StaffDesk

if TYPE_CHECKING:
    from bot.store import EventRow


class AuditDesk(StaffDesk):
    """The impact report and the audit log; reading the report is itself logged."""

    def impact_report(
        self,
        token: str,
        role_id: str,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> audit.ImpactReport:
        """LL144-style impact ratios for a role's sessions started in [since, until)."""
        actor = self._allow(token, Action.VIEW_AUDIT)
        report = audit.gather(
            self.store, self.catalog, role_id, since, until, self.settings.fairness_min_group
        )
        self.store.append_event(actor.label, "audit.impact", {"role": role_id})
        return report

    def events(self, token: str, session_id: str | None = None) -> list[EventRow]:
        """The audit log, or one session's part of it."""
        self._allow(token, Action.VIEW_EVENTS)
        return self.store.events(session_id)
