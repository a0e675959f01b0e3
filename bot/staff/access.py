"""Who may do what: staff accounts, signed login tokens, the permission table, candidate invites.

Staff (HR and recruiters) log in with a name and password and get an opaque signed token that
every server-side call verifies again. Candidates have no account: an invite token opens their
own interview and nothing else. The permission table is pure data, so it is tested whole.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, get_args

from bot.core.errors import AccessDenied, InputError
from bot.invites import hash_token

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from bot.catalog import RoleCatalog
    from bot.settings import Settings
    from bot.store import Store

log = logging.getLogger(__name__)

StaffRole = Literal["hr", "recruiter"]
STAFF_ROLES: tuple[str, ...] = get_args(StaffRole)
LOGIN_HOURS = 12
# Guessing passwords: after this many wrong ones for a name, that name is locked for a while
# (a new password or the time running out lifts it). The lock is in the audit log, so a
# restart does not lift it.
LOGIN_ENDED = "your login is missing, has expired or has ended; log in again"
LOCKOUT_FAILURES = 5  # wrong passwords per name and source before a wait
LOCKOUT_FIRST = timedelta(minutes=1)  # the first wait; each next one doubles
LOCKOUT_MINUTES = 15  # the longest wait
# Over every source together: an attacker rotating addresses gets this many guesses per
# back-off step. A source the name has logged in from before is not held by it.
ACCOUNT_FAILURES = 20
MIN_PASSWORD = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"']{2,}$")


class Action(StrEnum):
    """Every action a member of staff can take; each server-side entry point requires one."""

    VIEW_SESSIONS = "view_sessions"
    VIEW_TRANSCRIPT = "view_transcript"
    OVERRIDE_SCORE = "override_score"
    DECIDE = "decide"
    EXPORT = "export"
    CREATE_INVITE = "create_invite"
    VIEW_CHART = "view_chart"
    LIST_TEMPLATES = "list_templates"
    EDIT_TEMPLATE = "edit_template"
    PUBLISH_TEMPLATE = "publish_template"
    RETIRE_TEMPLATE = "retire_template"
    PREVIEW_TEMPLATE = "preview_template"
    UPLOAD_DOCUMENT = "upload_document"
    DRAFT_QUESTIONS = "draft_questions"
    VIEW_EVENTS = "view_events"
    VIEW_AUDIT = "view_audit"  # impact ratios and the counterfactual audit, in aggregate
    SCREEN_RESUMES = "screen_resumes"  # match resumes with a role's requirements


A = Action
# Recruiters judge candidates; HR shape what is asked. HR may read sessions and transcripts
# (to see how their questions work in practice) but never score, decide or export them.
PERMISSIONS: Mapping[str, frozenset[Action]] = {
    "recruiter": frozenset(
        {
            A.VIEW_SESSIONS,
            A.VIEW_TRANSCRIPT,
            A.OVERRIDE_SCORE,
            A.DECIDE,
            A.EXPORT,
            A.CREATE_INVITE,
            A.VIEW_CHART,
            A.VIEW_AUDIT,
            A.SCREEN_RESUMES,
        }
    ),
    "hr": frozenset(
        {
            A.VIEW_SESSIONS,
            A.VIEW_TRANSCRIPT,
            A.CREATE_INVITE,
            A.LIST_TEMPLATES,
            A.EDIT_TEMPLATE,
            A.PUBLISH_TEMPLATE,
            A.RETIRE_TEMPLATE,
            A.PREVIEW_TEMPLATE,
            A.UPLOAD_DOCUMENT,
            A.DRAFT_QUESTIONS,
            A.VIEW_EVENTS,
            A.VIEW_AUDIT,
        }
    ),
}


def allowed(role: str, action: Action | str) -> bool:
    """Whether a staff role may take an action; unknown roles and actions may do nothing."""
    return action in PERMISSIONS.get(role, frozenset())


@dataclass(frozen=True)
class Actor:
    """A logged-in member of staff, as verified from their token."""

    name: str
    role: StaffRole

    @property
    def label(self) -> str:
        """How the event log names them, e.g. 'recruiter:ana'."""
        return f"{self.role}:{self.name}"


def require(actor: Actor, action: Action) -> None:
    """Raise AccessDenied unless the actor's role may take the action."""
    if not allowed(actor.role, action):
        raise AccessDenied(
            f"{actor.name} ({actor.role}) may not {action.value.replace('_', ' ')}; ask an HR "
            f"admin for an account with the right role if your work needs it"
        )


# Tokens ------------------------------------------------------------------------------------


def check_name(name: str) -> str:
    """A staff name as typed, or BotError saying what a name may contain."""
    if not _NAME.match(name):
        raise InputError(
            f"'{name}' is not a usable name: use 2 to 100 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    return name


def check_password(password: str) -> str:
    """A password long enough to keep, or BotError naming the rule."""
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"the password is shorter than {MIN_PASSWORD} characters; choose a longer one"
        )
    return password


def check_email(email: str | None) -> str | None:
    """An invite's optional email, trimmed, or BotError."""
    if email is None or not email.strip():
        return None
    email = email.strip()
    if len(email) > 320 or not _EMAIL.match(email):
        raise InputError(f"'{email}' does not look like an email address; fix it or leave it out")
    return email


class Accounts:
    """Staff accounts and logins. A login token is opaque and random; the store keeps its hash
    with the login, so every token is checked against the store, and ending it there ends it."""

    def __init__(self, store: Store, hasher: PasswordHasher | None = None) -> None:
        from argon2 import PasswordHasher

        self.store = store
        self._hasher = hasher or PasswordHasher()
        # Verified when a name is unknown, so a wrong name costs as long as a wrong password.
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def add_user(self, name: str, role: str, password: str, by: str = "system:cli") -> Actor:
        """Create an HR or recruiter account with an argon2-hashed password."""
        if role not in STAFF_ROLES:
            raise InputError(
                f"role '{role}' is not a staff role; use one of {', '.join(STAFF_ROLES)}"
            )
        check_name(name)
        check_password(password)
        user = self.store.add_user(name, role, self._hasher.hash(password), by)
        return Actor(user.name, user.role)  # type: ignore[arg-type]

    def login(
        self, name: str, password: str, hours: int = LOGIN_HOURS, source: str = "local"
    ) -> str:
        """A new login token for a right name and password; else AccessDenied, logged.

        Wrong passwords are counted per name and `source` (the client's address), before the
        password is checked: after LOCKOUT_FAILURES the pair waits, twice as long each time.
        They are also counted per name over every source (OWASP ASVS: per-account back-off as
        well as per address): after ACCOUNT_FAILURES the name waits the same way, from sources
        it has not logged in from before. So rotating addresses buys no more guesses, and a
        stranger can slow guessing at a name but not keep its owner out.
        """
        from argon2.exceptions import InvalidHashError, VerificationError

        from bot.store.logins import ANY_SOURCE

        cap = timedelta(minutes=LOCKOUT_MINUTES)
        locked = self.store.take_attempt(name, source, LOCKOUT_FAILURES, LOCKOUT_FIRST, cap)
        if locked is None and not self.store.known_source(name, source):
            locked = self.store.take_attempt(name, ANY_SOURCE, ACCOUNT_FAILURES, LOCKOUT_FIRST, cap)
        if locked is not None:
            wait = max(1, round(locked.total_seconds() / 60))
            raise AccessDenied(
                f"too many wrong passwords from here for this name: wait {wait} minute"
                f"{'s' if wait != 1 else ''} and try again, or ask an HR admin to set a new "
                "one (`interviewer users password NAME`)"
            )
        user = self.store.user(name)
        try:
            self._hasher.verify(user.password_hash if user else self._dummy, password)
            ok = user is not None and not user.disabled
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or user is None:
            why = "unknown name" if user is None else "disabled" if user.disabled else "password"
            self.store.append_event("anonymous", "login.failed", {"name": name[:100], "why": why})
            raise AccessDenied("wrong name or password; try again or ask an HR admin to reset it")
        self.store.attempt_succeeded(name, source)
        if self._hasher.check_needs_rehash(user.password_hash):
            self.store.set_user(name, "system", password_hash=self._hasher.hash(password))
        token = secrets.token_urlsafe(32)
        self.store.add_login(hash_token(token), user.name, user.role, hours)
        return token

    def actor(self, token: str | None) -> Actor:
        """The member of staff whose login this is, if it is current and not ended.

        Logins live in the store: logging out, a new password or a disabled account ends
        them everywhere at once; a token alone proves nothing.
        """
        if not isinstance(token, str) or not 20 <= len(token) <= 200:
            raise AccessDenied(LOGIN_ENDED)
        return self.actor_of(hash_token(token))

    def actor_of(self, login_hash: str) -> Actor:
        """The member of staff of a login (by its token's hash), if it is current."""
        denied = AccessDenied(LOGIN_ENDED)
        login = self.store.login_row(login_hash)
        if login is None or login.ended_at is not None or login.expires_at < datetime.now(UTC):
            raise denied
        user = self.store.user(login.user_name)
        if user is None or user.disabled or user.role != login.role:
            raise denied
        return Actor(user.name, user.role)  # type: ignore[arg-type]

    def logout(self, token: str | None) -> None:
        """End this login everywhere (another tab or a copied token stops working too)."""
        try:
            actor = self.actor(token)
        except AccessDenied:
            return  # already ended or never valid: nothing to end
        self.store.end_logins(actor.name, hash_token(str(token)), "logout")

    def set_password(self, name: str, password: str, actor: str) -> None:
        """Replace a password; every login made with the old one ends now."""
        check_password(password)
        self.store.set_user(name, actor, password_hash=self._hasher.hash(password))
        self.store.end_logins(name, why="new password")
        self.store.clear_failures(name)

    def disable(self, name: str, actor: str) -> None:
        """Disable an account; its logins end now."""
        self.store.set_user(name, actor, disabled=True)
        self.store.end_logins(name, why="disabled")


# Invites -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invite:
    """A new invite: the token exists only here and in the link the recruiter sends."""

    token: str
    role_id: str
    email: str | None
    expires_at: datetime

    @property
    def url_path(self) -> str:
        return f"/?invite={self.token}"


def create_invite(
    store: Store, actor: Actor, role_id: str, email: str | None, ttl_hours: int
) -> Invite:
    """Make an unguessable single-candidate invite for a role; logged with who made it."""
    require(actor, Action.CREATE_INVITE)
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=ttl_hours)
    email = check_email(email)
    store.add_invite(hash_token(token), role_id, email, actor.label, expires)
    return Invite(token, role_id, email, expires)


def invite_for(
    store: Store,
    catalog: RoleCatalog,
    settings: Settings,
    actor: Actor,
    role_id: str,
    email: str | None,
) -> Invite:
    """An invite for an open role (shared by the recruiter page and the CLI)."""
    role = catalog.role(role_id)
    if role.retired:
        raise InputError(f"role '{role_id}' is retired; ask HR to publish it again first")
    return create_invite(store, actor, role.id, email, settings.invite_ttl_hours)


def invite_url(settings: Settings, invite: Invite) -> str:
    """The full link a candidate opens."""
    return f"{settings.base_url}{invite.url_path}"
