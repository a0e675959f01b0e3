"""A resume's text -> its sections and its dated experience entries (standard library only).

Sections are found by their headings ("Experience", "## Work history", "SKILLS:"), entries by
their date ranges ("Jan 2019 - Mar 2022", "2019-2022", "03/2018 – present", "since 2021").
An entry's lines are the ones under its dated line, up to the next dated line or section.
Years of experience are the union of the entries' months: overlapping jobs count once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

KINDS = {
    "experience": r"(?:work|professional|relevant|employment|career)?\s*(?:experience|history)"
    r"|employment|work|career|positions?|jobs?",
    "education": r"education|academic.*|qualifications?|degrees?|training|studies",
    "skills": r"(?:technical |core |key )?skills(?: and \w+)?|competenc(?:e|ies)|tools|"
    r"technologies|tech stack|expertise",
    "summary": r"summary|profile|about(?: me)?|objective|overview",
    "other": r"projects?|certifications?|certificates|languages?|interests|hobbies|volunteer\w*"
    r"|awards?|publications?|references?|courses|personal(?: details)?|contact",
}
_HEADING = re.compile(
    r"^\s{0,3}(?:#{1,6}\s*)?[*_]*(" + "|".join(f"(?:{v})" for v in KINDS.values()) + r")[*_]*"
    r"\s*:?\s*$",
    re.I,
)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_POINT = rf"(?:{_MONTH}\s*(?:19|20)\d\d|\d{{1,2}}\s*[/.]\s*(?:19|20)\d\d|(?:19|20)\d\d)"
_NOW = r"(?:present|now|current(?:ly)?|today|ongoing|date)"
_RANGE = re.compile(
    rf"(?P<start>{_POINT})\s*(?:-|–|—|to|until|till)\s*(?P<end>{_POINT}|{_NOW})", re.I
)
_SINCE = re.compile(rf"\b(?:since|from)\s+(?P<start>{_POINT})", re.I)


@dataclass(frozen=True)
class Entry:
    """One dated experience: the line with the dates (title, employer) and the lines under it."""

    heading: str
    start: date
    end: date
    lines: tuple[str, ...] = ()

    @property
    def months(self) -> int:
        """Months worked, both ends included ("Jan 2019 - Mar 2019" is three)."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        return max(0, months + 1)


@dataclass
class Sections:
    """The resume's lines by kind, and its dated experience entries."""

    by_kind: dict[str, list[str]] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    def lines(self, kind: str) -> list[str]:
        return self.by_kind.get(kind, [])


def kind_of(line: str) -> str | None:
    """The section a heading line opens, or None for any other line."""
    m = _HEADING.match(line)
    if not m or len(line.split()) > 5:
        return None
    word = m.group(1).lower()
    return next(k for k, pattern in KINDS.items() if re.fullmatch(pattern, word, re.I))


def split_sections(text: str, today: date | None = None) -> Sections:
    """The resume's sections; lines before the first heading are 'header'."""
    today = today or date.today()
    out = Sections()
    kind = "header"
    for line in text.split("\n"):
        found = kind_of(line)
        if found:
            kind = found
            continue
        if line.strip():
            out.by_kind.setdefault(kind, []).append(line.strip())
    out.entries = entries(out.lines("experience") or _dated(text), today)
    return out


def _dated(text: str) -> list[str]:
    """No experience heading: every line, so dated lines still make entries."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def entries(lines: list[str], today: date) -> list[Entry]:
    """Dated entries in the order written; a line's dates open a new entry."""
    found: list[Entry] = []
    for line in lines:
        span = date_range(line, today)
        if span is not None:
            found.append(Entry(line, *span))
        elif found:
            last = found[-1]
            found[-1] = Entry(last.heading, last.start, last.end, (*last.lines, line))
    return found


def date_range(line: str, today: date) -> tuple[date, date] | None:
    """(start, end) of the first date range on the line, or None."""
    if m := _RANGE.search(line):
        start = _point(m.group("start"), today, first=True)
        end = _point(m.group("end"), today, first=False)
    elif m := _SINCE.search(line):
        start, end = _point(m.group("start"), today, first=True), today
    else:
        return None
    if start is None or end is None or end < start:
        return None
    return start, min(end, today)


def _point(text: str, today: date, first: bool) -> date | None:
    text = text.strip().lower()
    if re.fullmatch(_NOW, text, re.I):
        return today
    year = int(re.findall(r"(?:19|20)\d\d", text)[0])
    if m := re.match(_MONTH, text, re.I):
        month = _MONTHS[m.group(0)[:3].lower()]
    elif m := re.match(r"(\d{1,2})\s*[/.]", text):
        month = int(m.group(1))
        if not 1 <= month <= 12:
            return None
    else:  # a year alone: from its start, or to its end
        month = 1 if first else 12
    return date(year, month, 1)


def years_of(chosen: list[Entry]) -> float:
    """Years covered by the entries, overlapping months counted once."""
    months: set[tuple[int, int]] = set()
    for e in chosen:
        y, m = e.start.year, e.start.month
        for _ in range(e.months):
            months.add((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return round(len(months) / 12, 1)


_YEARS_ASKED = re.compile(r"(\d+(?:\.\d+)?)\s*\+?\s*(?:or more\s+)?years?", re.I)


def years_asked(text: str) -> float | None:
    """The years of experience a requirement asks for ("3+ years", "at least 2 years")."""
    found = _YEARS_ASKED.search(text)
    return float(found.group(1)) if found else None
