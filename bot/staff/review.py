"""What a recruiter reads: session summaries and transcripts with scores, evidence and overrides.

Read-only views built from the store; no models are loaded. A question's FINAL score is the
latest person's override if there is one, else the model's last score on it; the model's score
is always shown beside it, never replaced.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from bot.ports import AnswerScore
from bot.transcript import Transcript, marked, read_transcript

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.roles.schema import RoleTemplate
    from bot.store import DecisionRow, FeedbackRow, InviteRow, OverrideRow, SessionRow, Store

R = TypeVar("R")


@dataclass(frozen=True)
class KeyPointView:
    """One rubric key point: covered or not, and the answer sentence that shows it."""

    id: str
    text: str
    covered: bool
    contradicted: bool
    evidence: str | None
    needs_review: bool = False  # the model was unsure of this verdict


@dataclass(frozen=True)
class AnswerView:
    """One core question as the candidate answered it, scored by the model and maybe a person."""

    question_id: str
    question: str
    competency_id: str
    competency: str
    answers: tuple[str, ...]  # the candidate's words: the answer, then replies to probes
    probes: tuple[str, ...]  # the follow-ups the interviewer asked
    model_score: AnswerScore | None  # the model's last score on this question
    key_points: tuple[KeyPointView, ...]
    overrides: tuple[OverrideRow, ...]  # every person's score, oldest first

    @property
    def override(self) -> OverrideRow | None:
        return self.overrides[-1] if self.overrides else None

    @property
    def final_score(self) -> float | None:
        if self.override is not None:
            return self.override.score
        return self.model_score.score if self.model_score else None

    @property
    def final_level(self) -> int | None:
        if self.override is not None:
            return self.override.level
        return self.model_score.level if self.model_score else None

    @property
    def model_version(self) -> str | None:
        return self.model_score.model_version if self.model_score else None

    @property
    def needs_review(self) -> bool:
        """The model was unsure of this answer and no person has scored it yet."""
        return bool(self.model_score and self.model_score.needs_review and not self.overrides)


@dataclass(frozen=True)
class CompetencyScore:
    id: str
    name: str
    score: float | None  # mean of its questions' final scores
    model_score: float | None  # mean of the model's scores alone


@dataclass(frozen=True)
class SessionSummary:
    """One row of the recruiter's session list."""

    id: str
    role_id: str
    role_title: str
    template_version: int
    status: str
    consent: bool | None
    started_at: datetime
    updated_at: datetime
    candidate_email: str | None  # when the session came from an invite with an email
    overall: float | None  # mean of the questions' final scores
    overall_model: float | None  # the same from the model's scores alone
    competencies: tuple[CompetencyScore, ...]
    answered: int  # questions with a final score
    questions: int
    decision: DecisionRow | None  # the latest one
    needs_review: int = 0  # answers the model was unsure of that no person has scored yet
    invited_by: str | None = None  # who made the invite, when there was one
    invited_at: datetime | None = None  # and when


def candidate_label(s: SessionSummary) -> str:
    """How a recruiter tells sessions apart: the email, or who invited them and when (or when
    a terminal interview began)."""
    if s.candidate_email:
        return s.candidate_email
    if s.invited_at is not None:
        return f"no email (invited {s.invited_at:%Y-%m-%d %H:%M} by {s.invited_by})"
    return f"no email (terminal interview, {s.started_at:%Y-%m-%d %H:%M})"


@dataclass(frozen=True)
class TranscriptView:
    """A whole session for the recruiter: what was said, how it scored, and what people decided."""

    transcript: Transcript
    summary: SessionSummary
    answers: tuple[AnswerView, ...]  # one per core question, in the template's order
    decisions: tuple[DecisionRow, ...]  # oldest first; summary.decision is the latest
    feedback: tuple[FeedbackRow, ...]
    # The candidate's resume match (bot/resumes/records.py), beside the interview, never in it.
    resume: dict | None = None


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _key_points(question_points: Sequence, score: AnswerScore | None) -> tuple[KeyPointView, ...]:
    results = {k.key_point_id: k for k in score.key_points} if score else {}
    views = []
    for point in question_points:
        found = results.get(point.id)
        views.append(
            KeyPointView(
                point.id,
                point.text,
                bool(found and found.covered),
                bool(found and found.contradicted),
                found.evidence if found else None,
                bool(found and found.needs_review),
            )
        )
    return tuple(views)


def _answer_views(
    role: RoleTemplate,
    scores: Mapping[str, AnswerScore],
    overrides: Sequence[OverrideRow],
    transcript: Transcript | None = None,
) -> tuple[AnswerView, ...]:
    """Each core question with its scores; with the transcript, also what was said."""
    names = {c.id: c.name for c in role.competencies}
    views = []
    for q in role.questions:
        turns = [t for t in transcript.turns if t.question_id == q.id] if transcript else []
        score = scores.get(q.id)
        views.append(
            AnswerView(
                question_id=q.id,
                question=q.text,
                competency_id=q.competency,
                competency=names.get(q.competency, q.competency),
                answers=tuple(marked(t.text, t.meta.get("set_aside", ()))
                              for t in turns if t.speaker == "candidate"),  # fmt: skip
                probes=tuple(t.text for t in turns if t.kind == "probe"),
                model_score=score,
                key_points=_key_points(q.key_points, score),
                overrides=tuple(o for o in overrides if o.question_id == q.id),
            )
        )
    return tuple(views)


def _last_scores(transcript: Transcript) -> dict[str, AnswerScore]:
    """The model's last score on each question (a probe's reply is scored with the answer)."""
    return {t.question_id: t.score for t in transcript.turns if t.question_id and t.score}


def _summary(
    session: SessionRow,
    role: RoleTemplate,
    answers: Sequence[AnswerView],
    decisions: Sequence[DecisionRow],
    invite: InviteRow | None,
) -> SessionSummary:
    """The session-list row for one session."""
    competencies = []
    for cid in dict.fromkeys(a.competency_id for a in answers):
        mine = [a for a in answers if a.competency_id == cid]
        competencies.append(
            CompetencyScore(
                cid,
                mine[0].competency,
                _mean([a.final_score for a in mine]),
                _mean([a.model_score.score if a.model_score else None for a in mine]),
            )
        )
    return SessionSummary(
        id=session.id,
        role_id=session.role_id,
        role_title=role.title,
        template_version=session.template_version,
        status=session.status,
        consent=session.consent,
        started_at=session.created_at,
        updated_at=session.updated_at,
        candidate_email=invite.email if invite else None,
        invited_by=invite.created_by if invite else None,
        invited_at=invite.created_at if invite else None,
        overall=_mean([a.final_score for a in answers]),
        overall_model=_mean([a.model_score.score if a.model_score else None for a in answers]),
        competencies=tuple(competencies),
        answered=sum(a.final_score is not None for a in answers),
        questions=len(answers),
        decision=decisions[-1] if decisions else None,
        needs_review=sum(a.needs_review for a in answers),
    )


def transcript_view(
    store: Store, catalog: RoleCatalog, session_id: str, invite: InviteRow | None = None
) -> TranscriptView:
    """The full recruiter's view of one session."""
    session = store.load_session(session_id)
    role = catalog.role(session.role_id, session.template_version)
    transcript = read_transcript(store, catalog, session_id)
    decisions = store.decisions(session_id)
    overrides = store.overrides(session_id)
    answers = _answer_views(role, _last_scores(transcript), overrides, transcript)
    summary = _summary(session, role, answers, decisions, invite)
    resume = store.resume_of_session(session_id)
    return TranscriptView(
        transcript, summary, answers, tuple(decisions), tuple(store.feedback(session_id)),
        {"score": resume.score, "file_name": resume.file_name, **resume.match} if resume else None,
    )


def summaries(
    store: Store, catalog: RoleCatalog, role_id: str | None = None
) -> list[SessionSummary]:
    """Every session's list row (one role's when given), from a handful of reads in all."""
    scores = store.latest_scores(role_id)
    overrides = _by_session(store.overrides())
    decisions = _by_session(store.decisions())
    invites = invites_by_session(store)
    out = []
    for session in store.sessions(role_id):
        role = catalog.role(session.role_id, session.template_version)
        sid = session.id
        answers = _answer_views(role, scores.get(sid, {}), overrides.get(sid, []))
        out.append(_summary(session, role, answers, decisions.get(sid, []), invites.get(sid)))
    return out


def _by_session(rows: Iterable[R]) -> dict[str, list[R]]:
    grouped: dict[str, list[R]] = {}
    for row in rows:
        grouped.setdefault(row.session_id, []).append(row)  # type: ignore[attr-defined]
    return grouped


def invites_by_session(store: Store) -> dict[str, InviteRow]:
    """Each opened invite by the session it started."""
    return {i.session_id: i for i in store.invites() if i.session_id is not None}
