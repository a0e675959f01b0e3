"""A resume made blind before any model reads it; what was masked is kept for the recruiter.

Masked: the name (wherever it recurs), email addresses, phone numbers, links, street
addresses and the header's location, date of birth and age, gender words and pronouns,
nationality and citizenship, marital status and family, a photo's mention, and graduation
years (an age proxy). What stays is what a requirement can be met by: employers, titles,
dates of work, duties, skills, degrees and schools' subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.evaluator.text import neutral_gender
from bot.resumes.sections import kind_of

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b(?:linkedin|github|gitlab)\.com/\S*", re.I)
_PHONE = re.compile(r"(?<![\w-])\+?\(?\d[\d ()./-]{6,}\d(?![\w-])")
_STREET = re.compile(
    r"\b\d{1,5}[a-z]?\s+(?:[A-Z][\w.'-]*\s+){0,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|"
    r"dr|boulevard|blvd|way|court|ct|place|pl|square|sq|straße|strasse|weg|allee)\b\.?[^\n|]*",
    re.I,
)
# "Label: value" fields that say who someone is rather than what they can do.
_FIELDS = {
    "date of birth": r"date of birth|d\.?o\.?b\.?|born|birth ?date|birthday",
    "age": r"age",
    "gender": r"gender|sex",
    "pronouns": r"pronouns",
    "nationality": r"nationality|citizenship|citizen of|national origin",
    "marital status": r"marital status|family status|civil status|children|dependants",
    "address": r"address|location|lives in|based in|city|residence",
    "photo": r"photo|picture|headshot",
    "religion": r"religion|faith",
    "name": r"name|full name",
}
_FIELD = re.compile(
    r"(?P<label>\b(?:" + "|".join(_FIELDS.values()) + r"))\s*[:\-–]\s*(?P<value>[^|\n;·•]+)", re.I
)
_NEXT_LABEL = re.compile(r"\s{2,}|\s+(?=[A-Z][\w ]{0,20}:)")
_FREE = [
    ("age", re.compile(r"\b(?:aged?\s+\d{2}|\d{2}\s*(?:years?|yrs?)[ -]old)\b", re.I)),
    ("date of birth", re.compile(r"\bborn\s+(?:on|in)\s+[^,;.\n]+", re.I)),
    ("marital status", re.compile(
        r"\b(?:married|single|divorced|widowed|engaged)\b(?:\s+with\s+\w+\s+(?:children|kids))?"
        r"|\b(?:mother|father|parent) of (?:\w+|\d+)\b", re.I)),
    ("nationality", re.compile(r"\b[A-Z][a-z]+ (?:national|citizen|citizenship)\b")),
    ("pronouns", re.compile(r"\((?:she|he|they)/(?:her|him|them)(?:/\w+)?\)|\b(?:she|he|they)/"
                            r"(?:her|him|them)\b", re.I)),
    ("photo", re.compile(r"\[(?:photo|picture|image)[^\]]*\]", re.I)),
]  # fmt: skip
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NAME_LINE = re.compile(r"^[#*_\s]*((?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’.-]+)[*_\s]*$")
_NOT_NAMES = re.compile(r"resume|curriculum|vitae|\bcv\b|profile|summary|engineer|developer|"
                        r"analyst|manager|specialist|experience|education|skills", re.I)


@dataclass(frozen=True)
class Masked:
    """One thing masked: its kind and the text as the resume had it."""

    kind: str
    text: str


@dataclass(frozen=True)
class BlindResume:
    text: str  # what models read
    masked: tuple[Masked, ...]  # what the recruiter is told was masked

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(m.kind for m in self.masked))


def blind_resume(text: str) -> BlindResume:
    """The resume with everything that says who someone is (not what they can do) masked."""
    masked: list[Masked] = []

    def cut(kind: str, pattern: re.Pattern, source: str, group: str | int = 0) -> str:
        def one(m: re.Match) -> str:
            masked.append(Masked(kind, m.group(group).strip()))
            return m.group(0).replace(m.group(group), f"[{kind}]")

        return pattern.sub(one, source)

    names = _names(text)
    for name in names:
        masked.append(Masked("name", name))
        for part in sorted({name, *name.split()}, key=len, reverse=True):
            if len(part) > 2:
                text = re.sub(rf"\b{re.escape(part)}\b", "[name]", text)
    text = cut("email", _EMAIL, text)
    text = cut("link", _LINK, text)
    text = _phones(text, masked)
    text = cut("address", _STREET, text)
    text = _fields(text, masked)
    for kind, pattern in _FREE:
        text = cut(kind, pattern, text)
    text = _graduation_years(text, masked)
    neutral = neutral_gender(text)
    changed = _changed_words(text, neutral)
    if changed:
        masked.append(Masked("gender words", ", ".join(changed)))
    return BlindResume(neutral, tuple(masked))


def _names(text: str) -> list[str]:
    """The person's name: a 'Name:' field, else the first line when it reads as a name."""
    if m := re.search(r"^\s*(?:full )?name\s*:\s*(.+)$", text, re.I | re.M):
        return [m.group(1).strip(" *_")]
    for line in text.split("\n")[:3]:
        if not line.strip():
            continue
        first = line.split("|")[0].split("  ")[0].strip()
        if (m := _NAME_LINE.match(first)) and not _NOT_NAMES.search(first):
            return [m.group(1)]
        break
    return []


def _phones(text: str, masked: list[Masked]) -> str:
    """Numbers of nine digits or more (eight after a +) that are not a range of dates."""

    def one(m: re.Match) -> str:
        found = m.group(0)
        digits = sum(ch.isdigit() for ch in found)
        dates = re.fullmatch(r"[\d/.]*(?:19|20)\d\d\s*[-–/.]\s*[\d/.]*(?:19|20)\d\d", found)
        if dates or digits < (8 if found.startswith("+") else 9):
            return found
        masked.append(Masked("phone", found.strip()))
        return "[phone]"

    return _PHONE.sub(one, text)


def _fields(text: str, masked: list[Masked]) -> str:
    def one(m: re.Match) -> str:
        label = m.group("label").lower()
        kind = next(k for k, p in _FIELDS.items() if re.fullmatch(p, label, re.I))
        value = _NEXT_LABEL.split(m.group("value"))[0]
        if kind != "address":
            value = value.split(",")[0]
        value = value.strip()
        if not value or re.fullmatch(r"\[[\w ]+\]", value):  # empty, or masked already
            return m.group(0)
        if kind == "age" and not re.search(r"\d", value):
            return m.group(0)  # "age" in another sense ("Age: n/a" aside, a word like "page")
        masked.append(Masked(kind, value))
        return m.group(0).replace(value, f"[{kind}]")

    return _FIELD.sub(one, text)


def _graduation_years(text: str, masked: list[Masked]) -> str:
    """Years in the education section (when someone graduated says how old they are)."""
    out, kind = [], "header"
    for line in text.split("\n"):
        kind = kind_of(line) or kind
        if kind == "education" and _YEAR.search(line) and not kind_of(line):
            for year in _YEAR.findall(line):
                masked.append(Masked("graduation year", year))
            line = _YEAR.sub("[year]", line)
        elif re.search(r"\bclass of\s+(?:19|20)\d\d\b", line, re.I):
            masked.append(Masked("graduation year", _YEAR.findall(line)[0]))
            line = re.sub(r"(?i)(class of\s+)(?:19|20)\d\d", r"\1[year]", line)
        out.append(line)
    return "\n".join(out)


def _changed_words(before: str, after: str) -> list[str]:
    a, b = before.split(), after.split()
    if len(a) != len(b):
        return []
    pairs = zip(a, b, strict=True)
    return list(dict.fromkeys(x.strip(".,;:()").lower() for x, y in pairs if x != y))
