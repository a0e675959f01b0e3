"""What was said in an interview, as the candidate's page and the recruiter read it back.

Read from the store alone (no model is loaded), so recruiters' tools stay light and the
interview service and the staff workspaces share these types without importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from bot.ports import AnswerScore, Snippet

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.store import Store, TurnRow


SET_ASIDE_MARK = "[set aside, not to be considered: {}]"


def marked(text: str, set_aside: Sequence[str] = ()) -> str:
    """The candidate's words with each sentence that was set aside (about a protected
    characteristic, never scored) marked where it stands, so no view, export or copy shows
    it unmarked inside an answer."""
    for sentence in dict.fromkeys(s for s in set_aside if s):
        text = text.replace(sentence, SET_ASIDE_MARK.format(sentence), 1)
    return text


@dataclass(frozen=True)
class Message:
    """One chat bubble, as the candidate (or a recruiter reading back) sees it."""

    speaker: Literal["interviewer", "candidate"]
    kind: str
    text: str
    sources: tuple[Snippet, ...] = ()


@dataclass(frozen=True)
class TranscriptTurn:
    speaker: str
    kind: str
    text: str
    question_id: str | None
    score: AnswerScore | None
    model_version: str | None
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Transcript:
    session_id: str
    role_id: str
    role_title: str
    template_version: int
    status: str
    consent: bool | None
    turns: tuple[TranscriptTurn, ...]


def snippet_meta(s: Snippet) -> dict:
    """A quoted snippet as kept in a turn's meta."""
    return {"source": s.source, "heading": s.heading, "text": s.text[:300]}


def sources_of(meta: dict) -> tuple[Snippet, ...]:
    """The snippets a turn quoted, from its meta."""
    return tuple(
        Snippet(text=s.get("text", ""), source=s["source"], heading=s.get("heading", ""))
        for s in meta.get("sources", [])
    )


def _transcript_turn(t: TurnRow) -> TranscriptTurn:
    return TranscriptTurn(
        t.speaker, t.kind, t.text, t.question_id, t.score, t.model_version, t.meta
    )


def read_transcript(store: Store, catalog: RoleCatalog, session_id: str) -> Transcript:
    """A session's transcript with its scores; needs no model, so recruiters' tools stay light."""
    session = store.load_session(session_id)
    role = catalog.role(session.role_id, session.template_version)
    return Transcript(
        session_id=session.id,
        role_id=role.id,
        role_title=role.title,
        template_version=session.template_version,
        status=session.status,
        consent=session.consent,
        turns=tuple(_transcript_turn(t) for t in store.turns(session_id)),
    )
