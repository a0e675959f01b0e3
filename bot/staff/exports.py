"""Exports of recruiters' views: CSV (one row per answer), JSON (everything), printable HTML.

Everything a candidate wrote is untrusted: HTML escapes every string it shows, and CSV defuses
cells a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, get_args

from bot.core.errors import InputError
from bot.ports import LABEL_WORDS, NEEDS_REVIEW
from bot.staff.review import candidate_label
from bot.transcript import marked

if TYPE_CHECKING:
    from bot.staff.review import AnswerView, TranscriptView

Format = Literal["csv", "json", "html"]
FORMATS: tuple[str, ...] = get_args(Format)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Control characters (NUL, ESC, ...) other than tab and line breaks: a terminal or a
# spreadsheet may act on them, and no answer needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """The text without control characters (tabs and line breaks kept)."""
    return _CONTROL.sub("", text)

CSV_COLUMNS = (
    "session_id",
    "role_id",
    "template_version",
    "status",
    "candidate_email",
    "question_id",
    "competency",
    "question",
    "answer",
    "probes",
    "model_score",
    "model_level",
    "model_label",
    "model_confidence",
    "needs_review",
    "model_version",
    "covered_key_points",
    "missing_key_points",
    "override_score",
    "override_level",
    "override_reason",
    "override_by",
    "final_score",
    "final_level",
    "decision",
    "decision_note",
)


def export(views: Sequence[TranscriptView], fmt: str, name: str) -> tuple[str, bytes]:
    """(file name, bytes) of the views in a format; name is the file's stem, e.g. 'session-ab12'."""
    if fmt not in FORMATS:
        raise InputError(f"cannot export as '{fmt}'; choose one of {', '.join(FORMATS)}")
    render = {"csv": to_csv, "json": to_json, "html": to_html}[fmt]
    return f"{_safe_stem(name)}.{fmt}", render(views)


def _safe_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or "export"


def csv_cell(value: object) -> str:
    """A cell's text; one a spreadsheet would read as a formula is prefixed with a quote."""
    text = printable("" if value is None else str(value))
    return "'" + text if text.startswith(_FORMULA) else text


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _csv_row(view: TranscriptView, a: AnswerView) -> list[object]:
    s, o, d = a.model_score, a.override, view.summary.decision
    t = view.transcript
    return [
        t.session_id,
        t.role_id,
        t.template_version,
        t.status,
        view.summary.candidate_email,
        a.question_id,
        a.competency,
        a.question,
        "\n".join(a.answers),
        "\n".join(a.probes),
        _score(s.score if s else None),
        s.level if s else "",
        LABEL_WORDS.get(s.label, s.label) if s else "",
        f"{s.confidence:.2f}" if s else "",
        "yes" if a.needs_review else "",
        a.model_version,
        "; ".join(k.text for k in a.key_points if k.covered),
        "; ".join(k.text for k in a.key_points if not k.covered),
        _score(o.score if o else None),
        o.level if o else "",
        o.reason if o else "",
        o.actor if o else "",
        _score(a.final_score),
        a.final_level,
        d.decision if d else "",
        d.note if d else "",
    ]


def to_csv(views: Sequence[TranscriptView]) -> bytes:
    """One row per core question per session, with the model's and any person's score."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for view in views:
        for answer in view.answers:
            writer.writerow([csv_cell(v) for v in _csv_row(view, answer)])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _jsonable(view: TranscriptView) -> dict:
    data = _printable_all(dataclasses.asdict(view))
    for turn in data["transcript"]["turns"]:
        turn["text"] = marked(turn["text"], turn["meta"].get("set_aside", ()))
    for a, answer in zip(data["answers"], view.answers, strict=True):
        a.update(final_score=answer.final_score, final_level=answer.final_level)
    return data


def to_json(views: Sequence[TranscriptView]) -> bytes:
    """Everything in the views: transcript turns, scores, evidence, overrides, decisions."""
    body = {
        "exported_at": datetime.now(UTC).isoformat(),
        "sessions": [_jsonable(v) for v in views],
    }
    return json.dumps(body, indent=2, default=str, ensure_ascii=False).encode("utf-8")


def _printable_all(value: Any) -> Any:
    """Every string inside nested data without control characters."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable_all(v) for v in value]
    return value


def highlighted(text: str, evidence: Sequence[str]) -> str:
    """The text as safe HTML, with each evidence sentence found in it wrapped in <mark>."""
    text = printable(text)
    spans = []
    for sentence in {e.strip() for e in evidence if e and e.strip()}:
        at = text.find(sentence)
        if at >= 0:
            spans.append((at, at + len(sentence)))
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue  # overlapping evidence: the earlier span already marks it
        out += [html.escape(text[pos:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


_CSS = """
body { font: 11pt/1.45 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; color: #111; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
.turn { margin: .4rem 0; white-space: pre-wrap; } .who { font-weight: 600; }
.score { margin: .3rem 0 .8rem 1rem; font-size: .95em; } mark { background: #fff2a8; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .2rem .5rem; }
section { page-break-after: always; } @media print { body { margin: 0; } }
"""


def _e(value: object) -> str:
    return html.escape(printable("" if value is None else str(value)))


def _answer_html(a: AnswerView) -> list[str]:
    evidence = [k.evidence for k in a.key_points if k.evidence]
    parts = [f"<h3>{_e(a.question_id)} · {_e(a.competency)}</h3>", f"<p>{_e(a.question)}</p>"]
    parts += [f'<div class="turn">{highlighted(text, evidence)}</div>' for text in a.answers]
    s = a.model_score
    if s is not None:
        parts.append(
            f'<div class="score">model: {s.score:.2f}, level {s.level}/5, '
            f"{_e(LABEL_WORDS.get(s.label, s.label))} (confidence {s.confidence:.0%}; "
            f"{_e(s.model_version)})</div>"
        )
        if a.needs_review:
            parts.append(f'<div class="score"><strong>{_e(NEEDS_REVIEW)}</strong></div>')
    for k in a.key_points:
        mark = "says the opposite" if k.contradicted else "covered" if k.covered else "missing"
        quote = f" — “{_e(k.evidence)}”" if k.evidence else ""
        parts.append(f'<div class="score">{mark}: {_e(k.text)}{quote}</div>')
    for o in a.overrides:
        parts.append(
            f'<div class="score">override by {_e(o.actor)}: {o.score:.2f}, level {o.level}/5 — '
            f"{_e(o.reason)}</div>"
        )
    return parts


def _session_html(view: TranscriptView) -> str:
    t, s = view.transcript, view.summary
    overall = "—" if s.overall is None else f"{s.overall:.2f}"
    parts = [
        "<section>",
        f"<h1>{_e(t.role_title)} — session {_e(t.session_id)}</h1>",
        f"<p>template v{t.template_version} · status {_e(t.status)} · consent {_e(t.consent)}"
        f" · candidate {_e(candidate_label(s))} · overall {overall}</p>",
        "<h2>Transcript</h2>",
    ]
    for turn in t.turns:
        who = "Candidate" if turn.speaker == "candidate" else "Interviewer"
        said = marked(turn.text, turn.meta.get("set_aside", ()))
        parts.append(f'<div class="turn"><span class="who">{who}:</span> {_e(said)}</div>')
    parts.append("<h2>Scores and evidence</h2>")
    for a in view.answers:
        parts += _answer_html(a)
    parts.append("<h2>Decision</h2>")
    parts += [
        f"<p>{_e(d.decision)} by {_e(d.actor)} at {_e(d.created_at)}: {_e(d.note)}</p>"
        for d in view.decisions
    ] or ["<p>none yet</p>"]
    parts.append("</section>")
    return "\n".join(parts)


def to_html(views: Sequence[TranscriptView]) -> bytes:
    """A printable transcript per session; every string from the database is escaped."""
    page = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Interview transcripts</title>',
        f"<style>{_CSS}</style></head><body>",
        *(_session_html(v) for v in views),
        "</body></html>",
    ]
    return "\n".join(page).encode("utf-8")
