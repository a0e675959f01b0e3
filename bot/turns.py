"""The turn runner: one candidate message, end to end.

One turn: load the session (state and state_version) once, step the pure state machine with
every event, carry out its actions (score, probe, acknowledge, answer from knowledge), then
commit every turn, score and event in one transaction, only if the session is still at the
version loaded (compare-and-set), *before* the reply goes back to the candidate. Within a
process a session's turns take turns behind a lock; across processes the compare-and-set
refuses the later one. A message re-sent with the same idempotency key is answered from the
store, never stored twice.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.catalog import RoleCatalog
from bot.core import interview
from bot.core.errors import (
    AccessDenied,
    InputError,
    StoreError,
    TurnConflict,
)
from bot.core.interview import (
    CandidateSaid,
    InterviewState,
    Script,
    Stage,
    Started,
)
from bot.core.messages import plain_text
from bot.ports import QuestionWriter, Retriever, Scorer
from bot.roles.schema import RoleTemplate
from bot.roles.script import load_script
from bot.settings import Settings
from bot.store import ERASED
from bot.transcript import Message, Transcript, read_transcript, sources_of
from bot.turn_actions import Turn, TurnActions

if TYPE_CHECKING:
    from bot.store import SessionRow, Store, TurnRow

log = logging.getLogger(__name__)
ERASED_NOTE = "this interview's data was erased at your request; nothing is left"
MOVED_ON = (
    "This interview moved on in another window or tab, so this message was not sent. "
    "Reload the page to see the latest question, then answer it there."
)


def message_key(seen: int, text: str) -> str:
    """The idempotency key of a message: the version the page showed and what was typed.
    The same text sent twice from the same view (a double click, a re-send after a dropped
    connection) gets the same key, and is stored once."""
    return hashlib.sha256(f"{seen}\n{plain_text(text)}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class TurnResult:
    """What one turn returns to the page: the interviewer's messages (already stored), the
    stage to show, and the state version the page now holds (sent back with its next turn)."""

    messages: tuple[Message, ...]
    stage: Stage
    version: int


class TurnRunner(TurnActions):
    """Runs interviews' turns. Holds models and connections, never a candidate's conversation."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        scorer: Scorer,
        writer: QuestionWriter,
        retriever: Retriever,
        catalog: RoleCatalog | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.scorer = scorer
        self.writer = writer
        self.retriever = retriever
        if catalog is None:  # standing alone (tests, tools): HR's files are the catalog
            catalog = RoleCatalog(store, settings.roles_dir)
            catalog.publish_role_files()
        self.catalog = catalog
        self._scripts: dict[tuple[str, int], Script] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def role(self, role_id: str, version: int | None = None) -> RoleTemplate:
        return self.catalog.role(role_id, version)

    def roles(self) -> list[RoleTemplate]:
        """Roles a candidate can be interviewed for now (retired ones left out)."""
        return self.catalog.roles()

    def warm_up(self, stop: threading.Event | None = None) -> None:
        """Have the writer prepare every role's probes and acknowledgements (in the background)."""
        prepare = getattr(self.scorer, "prepare", None)
        if prepare is not None:  # HR's examples scored once, before any candidate waits
            for role in self.roles():
                for question in role.questions:
                    if stop is not None and stop.is_set():
                        return
                    prepare(question)
        warm = getattr(self.writer, "warm", None)
        if warm is None:
            return
        started = time.perf_counter()
        count = warm(self.roles(), stop)
        log.info("generator warmed: %d texts in %.0fs", count, time.perf_counter() - started)

    # Interviews ----------------------------------------------------------------------------
    def start(self, role_id: str) -> str:
        """Open a new interview session and store its disclosure; returns the session id."""
        role = self.role(role_id)
        if role.retired:
            raise InputError(f"role '{role_id}' is retired; ask HR to publish it again")
        session_id = self.store.create_session(role.id, role.version, InterviewState().to_dict())
        self.run(session_id, Started(), None)
        return session_id

    def reply(
        self, session_id: str, text: str, key: str | None = None, seen: int | None = None
    ) -> TurnResult:
        """Take the candidate's message; return what the interviewer says next (already stored).

        `key` is the page's idempotency key: a message already stored under it is answered
        from the store. `seen` is the state version the page showed: a message written for a
        question that has since been answered is refused (TurnConflict) rather than stored as
        the answer to the next one.
        """
        text = plain_text(text)
        limit = self.settings.answer_max_chars
        if len(text) > limit:
            raise InputError(
                f"your message is {len(text):,} characters long and the limit is {limit:,}; "
                "please shorten it and send it again (your text is still in the box)"
            )
        return self.run(session_id, CandidateSaid(text), text, key, seen)

    def stage(self, session_id: str) -> TurnResult:
        """Where an interview stands, for a page that (re)opens it: no messages, its stage."""
        session = self.store.load_session(session_id)
        role = self.role(session.role_id, session.template_version)
        state = InterviewState.from_dict(session.state)
        return TurnResult((), interview.stage(state, role), session.state_version)

    def history(self, session_id: str) -> list[Message]:
        """Everything said so far, to redraw the chat after a reload."""
        return [
            Message(t.speaker, t.kind, t.text, sources_of(t.meta))  # type: ignore[arg-type]
            for t in self.store.turns(session_id)
        ]

    def is_finished(self, session_id: str) -> bool:
        session = self.store.load_session(session_id)
        return InterviewState.from_dict(session.state).finished

    def transcript(self, session_id: str) -> Transcript:
        return read_transcript(self.store, self.catalog, session_id)

    # One turn --------------------------------------------------------------------------------
    def _lock(self, session_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(session_id, threading.Lock())

    def _script(self, role: RoleTemplate) -> Script:
        """The product's words for a role version, read once (not on every turn)."""
        key = (role.id, role.version)
        if key not in self._scripts:
            self._scripts[key] = load_script(
                self.settings.system_prompts_dir / "script.yaml",
                role,
                self.settings.company_name,
                self.settings.contact,
                self.settings.retention_days,
            )
        return self._scripts[key]

    def run(
        self,
        session_id: str,
        event: interview.Event,
        candidate_text: str | None,
        key: str | None = None,
        seen: int | None = None,
    ) -> TurnResult:
        """One turn, owned: a second turn on this session waits here for the first."""
        entered = time.perf_counter()
        with self._lock(session_id):
            # Time spent behind another turn of this session.
            waited_ms = round((time.perf_counter() - entered) * 1000)
            if key is not None:
                stored = self.store.keyed_turns(session_id, key)
                if stored is not None:  # sent before (a double click, a re-send after a crash)
                    return self._replayed(session_id, stored)
            session = self.store.load_session(session_id)
            if session.status == ERASED:
                raise AccessDenied(ERASED_NOTE)
            if seen is not None and seen != session.state_version:
                raise TurnConflict(MOVED_ON)
            state = InterviewState.from_dict(session.state)
            role = self.role(session.role_id, session.template_version)
            if state.finished:
                return TurnResult((), interview.stage(state, role), session.state_version)
            return self._run(session, role, state, event, candidate_text, key, waited_ms)

    def _replayed(self, session_id: str, stored: list[TurnRow]) -> TurnResult:
        now = self.stage(session_id)
        said = tuple(
            Message("interviewer", t.kind, t.text, sources_of(t.meta))
            for t in stored
            if t.speaker == "interviewer"
        )
        return TurnResult(said, now.stage, now.version)

    def _run(
        self,
        session: SessionRow,
        role: RoleTemplate,
        state: InterviewState,
        event: interview.Event,
        candidate_text: str | None,
        key: str | None = None,
        waited_ms: int = 0,
    ) -> TurnResult:
        script = self._script(role)
        turn = Turn(state=state, status=session.status, consent=session.consent)
        started = time.perf_counter()
        pending: list[interview.Event] = [event]
        while pending:
            turn.state, actions = interview.step(turn.state, pending.pop(0), role, script)
            for action in actions:
                follow = self._carry_out(action, role, turn, session.id)
                if follow is not None:
                    pending.append(follow)
        ms = round((time.perf_counter() - started) * 1000)
        turn.events.append(("turn", {"ms": ms, "waited_ms": waited_ms}))
        self._commit(session, turn, candidate_text, key)
        return TurnResult(
            tuple(m for m, *_ in turn.messages),
            interview.stage(turn.state, role),
            session.state_version + 1,
        )

    def _commit(
        self, session: SessionRow, turn: Turn, candidate_text: str | None, key: str | None
    ) -> None:
        from bot.store import EventIn, TurnIn

        session_id = session.id
        turns: list[TurnIn] = []
        if candidate_text is not None:
            turns.append(
                TurnIn(
                    speaker="candidate",
                    kind=turn.candidate_kind,
                    text=candidate_text,  # kept whole, even past the model limit
                    question_id=turn.candidate_question_id,
                    model_version=turn.candidate_score.model_version
                    if turn.candidate_score
                    else None,
                    meta=turn.candidate_meta,
                    score=turn.candidate_score,
                    client_key=key,
                )
            )
        for message, qid, version, meta in turn.messages:
            turns.append(TurnIn("interviewer", message.kind, message.text, qid, version, meta))
        events = [EventIn("system", kind, payload) for kind, payload in turn.events]
        try:
            self.store.commit_step(
                session_id,
                state=turn.state.to_dict(),
                status=turn.status,
                consent=turn.consent,
                turns=turns,
                events=events,
                expected_version=session.state_version,
            )
        except TurnConflict as exc:
            raise TurnConflict(MOVED_ON) from exc
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"could not save the turn for session {session_id}: {exc}") from exc
