"""Carrying out what the interview's state machine asks for in a turn: score the answer,
probe or acknowledge it, answer the candidate's question from the documents, set aside what
must not be scored, finish. Everything the model writes is guarded, and HR's own words stand
in when it fails or is busy; every step's time is kept with the turn's events.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, assert_never

from bot.core import interview
from bot.core.errors import BotError, ModelBusy
from bot.core.interview import (
    Acknowledge,
    Action,
    AnswerCandidate,
    Finish,
    Heard,
    InterviewState,
    Probe,
    ProbeSent,
    RecordConsent,
    Say,
    ScoreAnswer,
    Scored,
    Script,
    SetAside,
)
from bot.core.policy import DEFERRAL
from bot.ports import AnswerScore, GradedAnswer, Written
from bot.transcript import Message, snippet_meta

if TYPE_CHECKING:
    from bot.ports import QuestionWriter, Retriever, Scorer
    from bot.roles.schema import RoleTemplate
    from bot.settings import Settings
    from bot.store import Store

log = logging.getLogger("bot.turns")


@dataclass
class Turn:
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


class TurnActions:
    """The actions of one turn, carried out with the runner's models and store."""

    settings: Settings
    store: Store
    scorer: Scorer
    writer: QuestionWriter
    retriever: Retriever

    def _script(self, role: RoleTemplate) -> Script:
        raise NotImplementedError  # the runner's: each role version's script, read once

    def _carry_out(
        self, action: Action, role: RoleTemplate, turn: Turn, session_id: str
    ) -> interview.Event | None:
        match action:
            case Heard(kind=kind):
                turn.candidate_kind = kind
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
                return Scored(score.to_probe)
            case Probe(question_id=qid, missing=missing):
                question = role.question(qid)
                by_id = {k.id: k for k in question.key_points}
                points = [by_id[i] for i in missing if i in by_id]  # most plainly missing first
                answer = self._for_models("\n".join(turn.state.answers))
                written = self._write(
                    turn,
                    "probe",
                    lambda: self.writer.probe(question, answer, points, turn.state.asked),
                    fallback=question.probe_for(points[0]),
                )
                self._say_written(turn, "probe", written, qid, {"missing": list(missing)})
                return ProbeSent(written.text)
            case Acknowledge(question_id=qid, answer=said):
                number = next(i for i, q in enumerate(role.questions) if q.id == qid)
                line = self._script(role).acknowledgement(number)
                if self.settings.acknowledgements == "script":
                    written = Written(line, "script", self.writer.version)
                else:
                    question = role.question(qid)
                    answer = self._for_models(said)
                    written = self._write(
                        turn,
                        "acknowledgement",
                        lambda: self.writer.acknowledge(question, answer, turn.state.asked),
                        fallback=line,
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
            case _:
                assert_never(action)
        return None

    def _score(self, role: RoleTemplate, qid: str, answer: str, turn: Turn) -> AnswerScore:
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

    def _answer_candidate(self, role: RoleTemplate, asked: str, turn: Turn) -> None:
        def from_documents() -> Written:
            try:
                return self.retriever.answer(role, asked, self.settings.retrieval_k)
            except BotError as exc:
                log.warning("retrieval failed, deferring the candidate's question: %s", exc)
                return Written(DEFERRAL, "fallback", "documents", rejected=f"retrieval: {exc}")

        written = self._write(turn, "candidate_question", from_documents, fallback=DEFERRAL)
        kind = "knowledge_answer" if written.sources else "deferral"
        meta = {"sources": [snippet_meta(s) for s in written.sources]}
        self._say_written(turn, kind, written, None, meta)
        if kind == "deferral":
            turn.events.append(("candidate_question_deferred", {"question": asked}))

    def _say_written(
        self, turn: Turn, kind: str, written: Written, qid: str | None, meta: dict
    ) -> None:
        meta = {**meta, "source": written.source}
        if written.rejected:
            meta["rejected"] = written.rejected
            turn.events.append(("generator_fallback", {"kind": kind, "reason": written.rejected}))
        message = Message("interviewer", kind, written.text, tuple(written.sources))
        turn.messages.append((message, qid, written.model_version, meta))

    def _write(self, turn: Turn, kind: str, write, fallback: str) -> Written:  # type: ignore[no-untyped-def]
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
