"""Staff accounts, invites, recruiters' overrides and decisions, and candidates' feedback."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from bot.core.errors import StoreError
from bot.store.engine import Database
from bot.store.rows import (
    DecisionRow,
    FeedbackRow,
    InviteRow,
    OverrideRow,
    UserRow,
    event_model,
    to_row,
    utc_now,
)
from bot.store.tables import (
    DecisionModel,
    EventModel,
    FeedbackModel,
    InviteModel,
    OverrideModel,
    SessionModel,
    UserModel,
)


class PeopleRecords(Database):
    """The Store's records of the people around an interview; each method one transaction."""

    # Staff accounts ------------------------------------------------------------------------
    def add_user(
        self, name: str, role: str, password_hash: str, actor: str = "system:cli"
    ) -> UserRow:
        """Create a staff account, and log who created it; StoreError if the name is taken."""
        with self._tx(f"add user '{name}'") as s:
            if s.scalar(select(UserModel.id).where(UserModel.name == name)) is not None:
                raise StoreError(f"user '{name}' already exists; choose another name")
            user = UserModel(
                name=name,
                role=role,
                password_hash=password_hash,
                created_at=utc_now(),
                disabled=False,
            )
            s.add(user)
            s.flush()
            s.add(event_model(actor, "user.added", {"name": name, "role": role}))
            return to_row(UserRow, user)

    def user(self, name: str) -> UserRow | None:
        """One staff account by name, or None."""
        with self._tx(f"read user '{name}'") as s:
            found = s.scalar(select(UserModel).where(UserModel.name == name))
            return to_row(UserRow, found) if found else None

    def users(self) -> list[UserRow]:
        """Every staff account, by name."""
        with self._tx("list users") as s:
            return [
                to_row(UserRow, m) for m in s.scalars(select(UserModel).order_by(UserModel.name))
            ]

    def set_user(
        self, name: str, actor: str, *, disabled: bool | None = None, password_hash: str = ""
    ) -> None:
        """Disable/enable an account or replace its password hash, and log it (never the hash)."""
        with self._tx(f"change user '{name}'") as s:
            user = s.scalar(select(UserModel).where(UserModel.name == name))
            if user is None:
                raise StoreError(f"no user '{name}'; list them with `interviewer users list`")
            changed: dict[str, Any] = {"name": name}
            if disabled is not None:
                user.disabled = changed["disabled"] = disabled
            if password_hash:
                user.password_hash, changed["password"] = password_hash, "changed"
            s.add(event_model(actor, "user.changed", changed))

    def failed_logins(self, name: str, since: datetime) -> int:
        """Failed logins with this name since `since` and since its last login or new password."""
        query = (
            select(EventModel)
            .where(EventModel.at >= since)
            .where(EventModel.kind.in_(("login", "login.failed", "user.changed")))
            .order_by(EventModel.id)
        )
        failures = 0
        with self._tx("count failed logins") as s:
            for event in s.scalars(query):
                if event.kind == "login.failed" and event.payload.get("name") == name[:100]:
                    failures += 1
                elif event.kind == "login" and event.actor.endswith(f":{name}"):
                    failures = 0
                elif event.kind == "user.changed" and event.payload.get("name") == name:
                    failures = 0 if event.payload.get("password") else failures
        return failures

    # Invites -------------------------------------------------------------------------------
    def add_invite(
        self,
        token_hash: str,
        role_id: str,
        email: str | None,
        actor: str,
        expires_at: datetime,
    ) -> InviteRow:
        """Keep a new invite (its token's hash only) and log who created it."""
        with self._tx(f"create an invite for role '{role_id}'") as s:
            invite = InviteModel(
                token_hash=token_hash,
                role_id=role_id,
                email=email,
                created_by=actor,
                created_at=utc_now(),
                expires_at=expires_at,
            )
            s.add(invite)
            payload = {"role_id": role_id, "email": email, "invite": token_hash[:12]}
            s.add(event_model(actor, "invite.created", payload))
            return to_row(InviteRow, invite)

    def invite(self, token_hash: str) -> InviteRow | None:
        """One invite by its token's hash, or None."""
        with self._tx("read an invite") as s:
            found = s.get(InviteModel, token_hash)
            return to_row(InviteRow, found) if found else None

    def invites(self) -> list[InviteRow]:
        """Every invite, oldest first."""
        query = select(InviteModel).order_by(InviteModel.created_at)
        with self._tx("list invites") as s:
            return [to_row(InviteRow, m) for m in s.scalars(query)]

    def bind_invite(
        self, token_hash: str, template_version: int, state: dict[str, Any]
    ) -> tuple[str, bool]:
        """The invite's session, created and bound on first use: (session id, created now)."""
        with self._tx("open an invite") as s:
            # Write before reading: the row lock (SQLite: the write lock) makes two first
            # opens of one link take turns, so the second finds the first one's session.
            s.execute(
                update(InviteModel)
                .where(InviteModel.token_hash == token_hash)
                .values(used_at=func.coalesce(InviteModel.used_at, utc_now()))
            )
            invite = s.get(InviteModel, token_hash)
            if invite is None:
                raise StoreError("no such invite; ask the recruiter for a new link")
            if invite.session_id is not None:
                return invite.session_id, False
            session_id = uuid.uuid4().hex
            now = utc_now()
            s.add(
                SessionModel(
                    id=session_id,
                    state_version=0,
                    role_id=invite.role_id,
                    template_version=template_version,
                    status="created",
                    consent=None,
                    state=state,
                    created_at=now,
                    updated_at=now,
                )
            )
            s.flush()
            invite.session_id = session_id
            s.add(
                event_model("candidate", "invite.opened", {"invite": token_hash[:12]}, session_id)
            )
            return session_id, True

    # Recruiters' judgements and candidates' feedback ---------------------------------------
    def add_override(
        self, session_id: str, question_id: str, score: float, level: int, reason: str, actor: str
    ) -> OverrideRow:
        """Keep a person's score beside the model's (which stays as it was), and log it."""
        with self._tx(f"override a score in session '{session_id}'") as s:
            self._live_session(s, session_id)
            row = OverrideModel(
                session_id=session_id,
                question_id=question_id,
                score=score,
                level=level,
                reason=reason,
                actor=actor,
                created_at=utc_now(),
            )
            s.add(row)
            s.flush()
            payload = {"question_id": question_id, "score": score, "level": level, "reason": reason}
            s.add(event_model(actor, "score.overridden", payload, session_id))
            return to_row(OverrideRow, row)

    def overrides(self, session_id: str | None = None) -> list[OverrideRow]:
        """Score overrides in order made; only one session's when session_id is given."""
        query = select(OverrideModel).order_by(OverrideModel.id)
        if session_id is not None:
            query = query.where(OverrideModel.session_id == session_id)
        with self._tx("read score overrides") as s:
            return [to_row(OverrideRow, m) for m in s.scalars(query)]

    def add_decision(self, session_id: str, decision: str, note: str, actor: str) -> DecisionRow:
        """Keep a recruiter's decision (earlier ones stay in the history), and log it."""
        with self._tx(f"record a decision for session '{session_id}'") as s:
            self._live_session(s, session_id)
            row = DecisionModel(
                session_id=session_id,
                decision=decision,
                note=note,
                actor=actor,
                created_at=utc_now(),
            )
            s.add(row)
            s.flush()
            s.add(
                event_model(
                    actor, "decision.recorded", {"decision": decision, "note": note}, session_id
                )
            )
            return to_row(DecisionRow, row)

    def decisions(self, session_id: str | None = None) -> list[DecisionRow]:
        """Decisions in order made; only one session's when session_id is given."""
        query = select(DecisionModel).order_by(DecisionModel.id)
        if session_id is not None:
            query = query.where(DecisionModel.session_id == session_id)
        with self._tx("read decisions") as s:
            return [to_row(DecisionRow, m) for m in s.scalars(query)]

    def add_feedback(self, session_id: str, rating: int | None, comment: str) -> FeedbackRow:
        """Keep a candidate's optional feedback on the interview."""
        with self._tx(f"save feedback for session '{session_id}'") as s:
            self._get_session(s, session_id)
            row = FeedbackModel(session_id=session_id, rating=rating, comment=comment, at=utc_now())
            s.add(row)
            s.flush()
            s.add(event_model("candidate", "feedback.left", {"rating": rating}, session_id))
            return to_row(FeedbackRow, row)

    def feedback(self, session_id: str | None = None) -> list[FeedbackRow]:
        """Candidates' feedback in order left; only one session's when session_id is given."""
        query = select(FeedbackModel).order_by(FeedbackModel.id)
        if session_id is not None:
            query = query.where(FeedbackModel.session_id == session_id)
        with self._tx("read feedback") as s:
            return [to_row(FeedbackRow, m) for m in s.scalars(query)]
