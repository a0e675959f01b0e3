"""InterviewService: a candidate's turn, end to end.

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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.catalog import RoleCatalog
from bot.core import interview
from bot.core.errors import (
    AccessDenied,
    BotError,
    InputError,
    ModelBusy,
    StoreError,
    TurnConflict,
)
from bot.core.interview import (
    Acknowledge,
    Action,
    AnswerCandidate,
    CandidateSaid,
    Finish,
    InterviewState,
    Probe,
    ProbeSent,
    RecordConsent,
    Say,
    ScoreAnswer,
    Scored,
    Script,
    SetAside,
    Stage,
    Started,
)
from bot.core.messages import plain_text
from bot.core.policy import ACKNOWLEDGEMENT, DEFERRAL, PREFER_NOT, RACES, SEXES
from bot.core.script import load_script
from bot.core.templates.schema import RoleTemplate
from bot.ports import AnswerScore, GradedAnswer, QuestionWriter, Retriever, Scorer, Written
from bot.rights import Rights
from bot.settings import Settings
from bot.store import ERASED
from bot.transcript import Message, Transcript, read_transcript, snippet_meta, sources_of

if TYPE_CHECKING:
    from bot.store import SessionRow, Store, TurnRow

log = logging.getLogger(__name__)
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


@dataclass
class _Turn:
    """What one reply produces before it is committed."""

    state: InterviewState
    status: str
    consent: bool | None
    candidate_kind: str = "answer"
    candidate_question_id: str | None = None
    candidate_score: AnswerScore | None = None
    candidate_meta: dict = field(default_factory=dict)
    messages: list[tuple[Message, str | None, str | None, dict]] = field(default_factory=list)
    events: list[tuple[str, dict]] = field(default_factory=list)


class InterviewService:
    """Runs interviews. Holds models and connections, never a candidate's conversation."""

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
        self.rights = Rights(store, catalog, settings)
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
        self._turn(session_id, Started(), None)
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
        return self._turn(session_id, CandidateSaid(text), text, key, seen)

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
        return self.stage(session_id).stage.phase in ("closed", "declined")

    def transcript(self, session_id: str) -> Transcript:
        return read_transcript(self.store, self.catalog, session_id)

    # Candidates arrive by invite: the token, never a session id, says whose interview it is --
    def open_invite(self, token: str) -> str:
        """The invite's interview: started on first use (latest template version), then resumed."""
        from bot.staff.access import check_invite, hash_token

        invite = check_invite(self.store, token, self.settings.invite_ttl_hours)
        if invite.session_id is not None:
            return invite.session_id
        role = self.role(invite.role_id)
        if role.retired:
            raise AccessDenied(
                f"the {role.title} role is no longer open for interviews; ask the recruiter"
            )
        fresh = InterviewState()
        session_id, created = self.store.bind_invite(
            hash_token(token), role.version, fresh.to_dict()
        )
        if created:
            self._turn(session_id, Started(), None)
        return session_id

    def session_for_invite(
        self, token: str, session_id: str | None = None, rights: bool = False
    ) -> str:
        """The session an opened invite is bound to; AccessDenied for any other session.
        `rights`: for reading and the candidate's rights, which outlive the invite's TTL."""
        from bot.staff.access import check_invite

        invite = check_invite(self.store, token, self.settings.invite_ttl_hours, rights)
        if invite.session_id is None:
            raise AccessDenied("this invite link has not been opened yet; open it first")
        if session_id is not None and session_id != invite.session_id:
            raise AccessDenied(
                "this invite link belongs to another interview; open your own invite link again"
            )
        if self.store.load_session(invite.session_id).status == ERASED:
            raise AccessDenied("this interview's data was erased at your request; nothing is left")
        return invite.session_id

    def candidate_reply(
        self,
        token: str,
        text: str,
        session_id: str | None = None,
        key: str | None = None,
        seen: int | None = None,
    ) -> TurnResult:
        """reply() for the candidate page: the session comes from the token, never the page."""
        return self.reply(self.session_for_invite(token, session_id), text, key, seen)

    def candidate_stage(self, token: str, session_id: str | None = None) -> TurnResult:
        """stage() for the candidate page, checked against the token."""
        return self.stage(self.session_for_invite(token, session_id))

    def candidate_heading(
        self, token: str, session_id: str | None = None, rights: bool = False
    ) -> str:
        """What the candidate's page is titled: 'Data Analyst at Northwind Labs'."""
        session = self.store.load_session(self.session_for_invite(token, session_id, rights))
        role = self.role(session.role_id, session.template_version)
        return f"{role.title} at {self.settings.company_name}"

    def candidate_history(
        self, token: str, session_id: str | None = None, rights: bool = False
    ) -> list[Message]:
        """history() for the candidate page, checked against the token (`rights`: read-only,
        after the invite's TTL too)."""
        return self.history(self.session_for_invite(token, session_id, rights))

    def leave_feedback(self, token: str, rating: int | None, comment: str = "") -> None:
        """The candidate's optional feedback on the interview: a 1-5 rating and/or a comment."""
        session_id = self.session_for_invite(token)
        if rating is not None and not 1 <= rating <= 5:
            raise InputError(f"rating {rating} is out of range; choose 1 to 5, or leave it empty")
        comment = plain_text(comment).strip()
        if len(comment) > self.settings.feedback_max_chars:
            raise InputError(
                f"the comment is {len(comment):,} characters long and the limit is "
                f"{self.settings.feedback_max_chars:,}; please shorten it"
            )
        if rating is None and not comment:
            raise InputError("the feedback form is empty; choose a rating or write a comment")
        if not self.is_finished(session_id):
            raise InputError("feedback opens when the interview has ended; answer first")
        if self.store.feedback(session_id):
            raise InputError("thank you: your feedback for this interview is already saved")
        self.store.add_feedback(session_id, rating, comment)

    def candidate_copy(self, token: str) -> dict:
        """A copy of everything kept about the candidate's interview."""
        return self.rights.copy(self.session_for_invite(token, rights=True))

    def candidate_correction(self, token: str, note: str) -> None:
        """A correction from the candidate, shown to the recruiter with the transcript."""
        self.rights.correct(self.session_for_invite(token, rights=True), note)

    def candidate_erasure(self, token: str) -> dict[str, int]:
        """Erase the candidate's data now; the audit log keeps only that it happened."""
        return self.rights.erase(self.session_for_invite(token, rights=True))

    def candidate_explanation(self, token: str) -> str:
        """After a decision: which questions, what the model did, that a person decided."""
        return self.rights.explain(self.session_for_invite(token, rights=True))

    def self_identify(self, token: str, sex: str, race_ethnicity: str) -> None:
        """The candidate's voluntary answers, after the interview only, kept apart from
        everything that scores, shows or exports their interview."""
        session_id = self.session_for_invite(token)
        if not self.is_finished(session_id):
            raise InputError("this optional form opens when the interview has ended")
        if sex not in (*SEXES, PREFER_NOT) or race_ethnicity not in (*RACES, PREFER_NOT):
            raise InputError("choose one of the options offered, or 'Prefer not to say'")
        self.store.add_self_id(session_id, sex, race_ethnicity)

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

    def _turn(
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
        phase_before = state.phase
        turn = _Turn(state=state, status=session.status, consent=session.consent)
        started = time.perf_counter()
        pending: list[interview.Event] = [event]
        while pending:
            turn.state, actions = interview.step(turn.state, pending.pop(0), role, script)
            for action in actions:
                follow = self._carry_out(action, role, turn, session.id)
                if follow is not None:
                    pending.append(follow)
        if candidate_text is not None:
            if phase_before == "consent":
                turn.candidate_kind = "consent"
            elif not candidate_text.strip():
                turn.candidate_kind = "empty"
        ms = round((time.perf_counter() - started) * 1000)
        turn.events.append(("turn", {"ms": ms, "waited_ms": waited_ms}))
        self._commit(session, turn, candidate_text, key)
        return TurnResult(
            tuple(m for m, *_ in turn.messages),
            interview.stage(turn.state, role),
            session.state_version + 1,
        )

    def _carry_out(
        self, action: Action, role: RoleTemplate, turn: _Turn, session_id: str
    ) -> interview.Event | None:
        match action:
            case Say(kind=kind, text=text, question_id=qid):
                turn.messages.append((Message("interviewer", kind, text), qid, None, {}))
            case RecordConsent(given=given):
                turn.consent = given
                turn.events.append(("consent", {"given": given}))
            case ScoreAnswer(question_id=qid, answer=answer):
                turn.candidate_kind = "answer"  # scored, even if it also asked or set aside
                score = self._score(role, qid, answer, turn)
                turn.candidate_score = score
                turn.candidate_question_id = qid
                return Scored(score.missing)
            case Probe(question_id=qid, missing=missing):
                question = role.question(qid)
                points = [k for k in question.key_points if k.id in missing]
                answer = self._for_models("\n".join(turn.state.answers))
                written = self._write(
                    turn,
                    "probe",
                    lambda: self.writer.probe(question, answer, points, turn.state.asked),
                    fallback=question.probe_for(points[0]),
                )
                self._say_written(turn, "probe", written, qid, {"missing": list(missing)})
                return ProbeSent(written.text)
            case Acknowledge(question_id=qid):
                question = role.question(qid)
                answer = self._for_models("\n".join(turn.state.answers) or "")
                written = self._write(
                    turn,
                    "acknowledgement",
                    lambda: self.writer.acknowledge(question, answer, turn.state.asked),
                    fallback=ACKNOWLEDGEMENT,
                )
                self._say_written(turn, "acknowledgement", written, qid, {})
            case AnswerCandidate(question=asked):
                turn.candidate_kind = "candidate_question"
                self._answer_candidate(role, asked, turn)
            case SetAside(sentences=said):
                # Never scored; the recruiter sees it marked as not to be considered.
                turn.candidate_kind = "set_aside"
                turn.candidate_meta["set_aside"] = list(said)
                turn.events.append(("set_aside", {"sentences": len(said)}))
            case Finish(status=status):
                turn.status = status
                turn.events.append(("finished", {"status": status}))
        return None

    def _score(self, role: RoleTemplate, qid: str, answer: str, turn: _Turn) -> AnswerScore:
        # The evaluator reads each sentence once and then applies the length limit itself.
        turn.candidate_meta["truncated_for_models"] = len(answer) > self.settings.answer_char_limit
        started = time.perf_counter()
        score = self.scorer.score(role.question(qid), answer, self.graded_answers(role, qid))
        turn.events.append(
            ("scored", {"question_id": qid, "ms": round((time.perf_counter() - started) * 1000)})
        )
        return score

    def graded_answers(self, role: RoleTemplate, question_id: str) -> list[GradedAnswer]:
        """The answers recruiters graded for this question (HR's examples are in the
        template), unless the role keeps grades out of scoring."""
        if not role.learn_from_grades:
            return []
        return [
            GradedAnswer(e.text, e.level, e.base_score, "recruiter")
            for e in self.store.examples(role.id, question_id)
        ]

    def _answer_candidate(self, role: RoleTemplate, asked: str, turn: _Turn) -> None:
        try:
            context = self.retriever.retrieve(role, asked, self.settings.retrieval_k)
        except BotError as exc:
            log.warning("retrieval failed, deferring the candidate's question: %s", exc)
            context = []
        written = self._write(
            turn,
            "candidate_question",
            lambda: self.writer.answer_question(role, asked, context),
            fallback=DEFERRAL,
        )
        kind = "knowledge_answer" if written.sources else "deferral"
        meta = {"sources": [snippet_meta(s) for s in written.sources]}
        self._say_written(turn, kind, written, None, meta)
        if kind == "deferral":
            turn.events.append(("candidate_question_deferred", {"question": asked}))

    def _say_written(
        self, turn: _Turn, kind: str, written: Written, qid: str | None, meta: dict
    ) -> None:
        meta = {**meta, "source": written.source}
        if written.rejected:
            meta["rejected"] = written.rejected
            turn.events.append(("generator_fallback", {"kind": kind, "reason": written.rejected}))
        message = Message("interviewer", kind, written.text, tuple(written.sources))
        turn.messages.append((message, qid, written.model_version, meta))

    def _write(self, turn: _Turn, kind: str, write, fallback: str) -> Written:  # type: ignore[no-untyped-def]
        """A model error never reaches the candidate: HR's text is used and the error logged.
        The time it took is kept with the turn's events (where a slow turn's time went)."""
        started = time.perf_counter()
        try:
            written = write()
        except ModelBusy as exc:  # busy with other candidates: expected under load, no traceback
            log.info("generator busy; using the HR-written text for the %s", kind)
            written = Written(fallback, "fallback", self.writer.version, rejected=f"busy: {exc}")
        except Exception as exc:  # noqa: BLE001 - any model failure falls back, and is logged
            log.exception("generator failed; using the HR-written text")
            written = Written(fallback, "fallback", self.writer.version, rejected=f"error: {exc}")
        ms = round((time.perf_counter() - started) * 1000)
        turn.events.append(("written", {"kind": kind, "ms": ms, "source": written.source}))
        return written

    def _for_models(self, text: str) -> str:
        return text[: self.settings.answer_char_limit]

    def _commit(
        self, session: SessionRow, turn: _Turn, candidate_text: str | None, key: str | None
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
