"""Exports of recruiters' views: CSV (one row per answer), JSON (everything), printable HTML.

Everything a candidate wrote is untrusted: the HTML comes from a template that escapes every
value it shows, and CSV defuses cells a spreadsheet would run as a formula.
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

from markupsafe import Markup

from bot.core.errors import InputError
from bot.ports import LABEL_WORDS, NEEDS_REVIEW
from bot.staff.pages import printable, render
from bot.staff.review import candidate_label
from bot.transcript import marked

if TYPE_CHECKING:
    from bot.staff.review import AnswerView, TranscriptView

Format = Literal["csv", "json", "html"]
FORMATS: tuple[str, ...] = get_args(Format)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

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


def _with_evidence(text: str, a: AnswerView) -> Markup:
    """An answer as safe HTML, the sentences that showed its key points marked."""
    # highlighted() escapes every piece of the candidate's text itself and adds only the
    # <mark> tags: it is HTML already, and escaping it again would print the tags.
    return Markup(highlighted(text, [k.evidence for k in a.key_points if k.evidence]))


def to_html(views: Sequence[TranscriptView]) -> bytes:
    """A printable transcript per session; every string from the database is escaped."""
    page = render(
        "transcript.html.j2",
        views=views,
        candidate_label=candidate_label,
        marked=marked,
        with_evidence=_with_evidence,
        label_words=LABEL_WORDS,
        needs_review=NEEDS_REVIEW,
    )
    return page.encode("utf-8")
