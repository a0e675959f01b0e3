"""Invite links: what a token opens, and for how long. Shared by the candidate desk (which
opens them) and the staff desks (which make them); the store keeps only each token's hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.errors import AccessDenied

if TYPE_CHECKING:
    from bot.store import InviteRow, Store

EXPIRED = "this invite link has expired; ask the recruiter for a new one"
UNKNOWN = (
    "this invite link is not valid; check it was copied whole, or ask the recruiter for a new one"
)


def hash_token(token: str) -> str:
    """What the store keeps of an invite token: its sha256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_invite(
    store: Store, token: str | None, ttl_hours: int, for_rights: bool = False
) -> InviteRow:
    """The invite a token opens, or AccessDenied saying what the candidate can do.

    An unused link works until it expires; once opened it stays bound to its interview for
    ttl_hours from the first opening, so an untimed interview can be resumed. For the
    candidate's rights (a copy, a correction, erasure, an explanation) an opened link works
    for as long as the data is kept: the disclosure says "at any time".
    """
    if not token or len(token) > 200:
        raise AccessDenied(UNKNOWN)
    invite = store.invite(hash_token(token))
    if invite is None:
        raise AccessDenied(UNKNOWN)
    now = datetime.now(UTC)
    deadline = invite.expires_at
    if invite.session_id is not None and invite.used_at is not None:
        if for_rights:
            return invite
        deadline = invite.used_at + timedelta(hours=ttl_hours)
    if now >= deadline:
        raise AccessDenied(EXPIRED)
    return invite
