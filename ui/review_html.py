"""The recruiter's reading views as HTML: a transcript with scores, evidence and overrides.

Every string that came from a candidate, a model or the database is escaped here; the only
markup added is our own (headings, tables and <mark> around evidence sentences).
"""

from __future__ import annotations

from bot.ports import LABEL_WORDS, NEEDS_REVIEW
from bot.resumes.records import verdict_counts
from bot.staff.exports import highlighted
from bot.staff.review import AnswerView, SessionSummary, TranscriptView, candidate_label
from bot.transcript import marked
from ui.shown import e, score_text

CONSENT = {True: "given", False: "declined", None: "not yet"}
STATUS = {"created": "in progress", "completed": "completed", "declined": "declined"}
KIND = {
    "disclosure": "disclosure",
    "consent_request": "consent request",
    "consent": "consent",
    "declined": "declined",
    "question": "core question",
    "reask": "question asked again",
    "reminder": "reminder",
    "skip": "moved on",
    "answer": "answer",
    "empty": "empty reply",
    "candidate_question": "question to us",
    "probe": "follow-up probe",
    "acknowledgement": "acknowledgement",
    "knowledge_answer": "answer from documents",
    "deferral": "passed to recruiter",
    "closing": "closing",
    "set_aside": "about a protected characteristic: set aside",
    "correction": "correction from the candidate, after the interview",
}
SET_ASIDE = (
    "Set aside, not scored: this says something about a protected characteristic. "
    "Do not consider it."
)


def status_label(status: str) -> str:
    return STATUS.get(status, status)


def competencies_text(summary: SessionSummary) -> str:
    """'Python 0.62 · Collaboration —' for the session list."""
    return " · ".join(f"{c.name} {score_text(c.score)}" for c in summary.competencies)


def transcript_html(view: TranscriptView) -> str:
    """The whole session for reading: header, scores per question, then the conversation."""
    parts = [_header(view), _competency_table(view.summary)]
    parts += [_answer_card(a) for a in view.answers]
    parts.append(_conversation(view))
    if view.feedback:
        items = "".join(
            f"<li>rating {e(f.rating)} · {e(f.comment) or '(no comment)'}</li>"
            for f in view.feedback
        )
        parts.append(f"<h3>Candidate's feedback</h3><ul>{items}</ul>")
    return f'<div class="review" id="transcript-view">{"".join(parts)}</div>'


def _versions(view: TranscriptView) -> str:
    models = sorted({t.model_version for t in view.transcript.turns if t.model_version})
    return ", ".join(e(m) for m in models) or "—"


def _header(view: TranscriptView) -> str:
    t, s = view.transcript, view.summary
    decision = (
        f"{e(s.decision.decision)} by {e(s.decision.actor)}: {e(s.decision.note) or '(no note)'}"
        if s.decision
        else "none yet"
    )
    return (
        f"<h2>{e(t.role_title)} · session <code>{e(t.session_id)}</code></h2>"
        '<dl class="facts">'
        f"<dt>Status</dt><dd>{e(status_label(t.status))}</dd>"
        f"<dt>Consent</dt><dd>{CONSENT[t.consent]}</dd>"
        f"<dt>Candidate</dt><dd>{e(candidate_label(s))}</dd>"
        f"<dt>Overall</dt><dd>{score_text(s.overall)} "
        f"<span class='muted'>(model alone {score_text(s.overall_model)}; "
        f"{s.answered} of {s.questions} questions scored)</span></dd>"
        f"<dt>Resume match</dt><dd>{_resume(view.resume)}</dd>"
        f"<dt>Decision</dt><dd>{decision}</dd>"
        f"<dt>Template</dt><dd>{e(t.role_id)} version {t.template_version}</dd>"
        f"<dt>Models</dt><dd>{_versions(view)}</dd>"
        "</dl>"
    )


def _resume(found: dict | None) -> str:
    """The resume's match beside the interview score (its own tab has the evidence)."""
    if not found:
        return "<span class='muted'>no resume</span>"
    return (
        f"{found['score']:.2f} <span class='muted'>({e(verdict_counts(found))}; "
        f"{e(found['file_name'])}; shown beside the interview, not part of its score)</span>"
    )


def _competency_table(s: SessionSummary) -> str:
    rows = "".join(
        f"<tr><td>{e(c.name)}</td><td>{score_text(c.score)}</td>"
        f"<td>{score_text(c.model_score)}</td></tr>"
        for c in s.competencies
    )
    return (
        '<table class="competencies"><caption>Per competency</caption>'
        "<tr><th>Competency</th><th>Score</th><th>Model's score</th></tr>"
        f"{rows}</table>"
    )


def _scores(a: AnswerView) -> str:
    s = a.model_score
    model = (
        f"<span class='model-score'>model: {s.score:.2f}, level {s.level}/5, "
        f"{e(LABEL_WORDS.get(s.label, s.label))} (confidence {s.confidence:.0%}; "
        f"{e(s.model_version)})</span>"
        if s
        else "<span class='model-score'>not scored yet</span>"
    )
    if a.needs_review:
        model += f" <strong class='needs-review'>{e(NEEDS_REVIEW)}</strong>"
    people = "".join(
        f"<div class='override'>override by {e(o.actor)}: {o.score:.2f}, level {o.level}/5 "
        f"<span class='reason'>— {e(o.reason)}</span></div>"
        for o in a.overrides
    )
    return f'<div class="scores">{model}{people}</div>'


def _key_points(a: AnswerView) -> str:
    items = []
    for k in a.key_points:
        state = "contradicted" if k.contradicted else "covered" if k.covered else "missing"
        mark = {"covered": "✓", "missing": "✗", "contradicted": "!"}[state]
        words = {"covered": "covered", "missing": "missing",
                 "contradicted": "says the opposite"}[state]  # fmt: skip
        quote = f' <q class="evidence">{e(k.evidence)}</q>' if k.evidence else ""
        unsure = " <em class='needs-review'>(unsure)</em>" if k.needs_review else ""
        items.append(
            f'<li class="kp {state}"><span aria-hidden="true">{mark}</span> '
            f"<strong>{words}</strong>{unsure}: {e(k.text)}{quote}</li>"
        )
    return f'<ul class="key-points">{"".join(items)}</ul>'


def _answer_card(a: AnswerView) -> str:
    evidence = [k.evidence for k in a.key_points if k.evidence]
    answers = (
        "".join(
            f'<blockquote class="answer">{highlighted(t, evidence)}</blockquote>' for t in a.answers
        )
        or "<p class='muted'>not answered yet</p>"
    )
    probes = "".join(f"<li>{e(p)}</li>" for p in a.probes)
    return (
        f'<section class="answer-card" data-question="{e(a.question_id)}">'
        f"<h3>{e(a.question_id)} · {e(a.competency)}</h3>"
        f'<p class="question">{e(a.question)}</p>{answers}'
        + (f'<div class="probes">Probes asked:<ul>{probes}</ul></div>' if probes else "")
        + _scores(a)
        + (_key_points(a) if a.model_score else "")
        + "</section>"
    )


def _conversation(view: TranscriptView) -> str:
    rows = []
    for t in view.transcript.turns:
        who = "Candidate" if t.speaker == "candidate" else "Interviewer"
        rows.append(
            f'<div class="turn {e(t.speaker)}"><span class="who">{who}</span> '
            f'<span class="kind">{e(KIND.get(t.kind, t.kind))}</span>'
            f'<div class="said">{e(marked(t.text, t.meta.get("set_aside", ())))}</div>'
            + (f'<p class="needs-review">{e(SET_ASIDE)}: {e(" ".join(t.meta["set_aside"]))}</p>'
               if t.meta.get("set_aside") else "")
            + "</div>"
        )
    return f'<h3>Conversation</h3><div class="conversation">{"".join(rows)}</div>'
