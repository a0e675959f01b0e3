"""Answering a candidate's question by quoting the company's documents, or deferring.

Extractive first: among the retrieved passages, the sentence, list item or table that shares
most of the question's words (under its heading, with a few everyday synonyms: "pay" finds
"salary", "vacation" finds "holiday") is quoted whole, with its source and heading. When no
passage covers enough of what was asked, the question goes to the recruiter: no fact, number
or yes/no ever comes from a model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.ports import Snippet

COVERAGE = 0.7  # share of the question's weighted words a passage must hold to be quoted
FAR = 0.85  # cosine distance beyond which a passage is not about the question at all
MAX_QUOTE = 600

_WORD = re.compile(r"[a-z0-9][a-z0-9,.%:-]*[a-z0-9%]|[a-z0-9]")
# A sentence ends at . ! ? after a word (not after "4." in a numbered list).
_UNIT = re.compile(r"(?<=[A-Za-z)\]\"'*][.!?])\s+(?=[A-Z(*])|\n+")
_STOP = frozenset(
    "a an and are as at be been can could do does did for from get have has how i if in is "
    "it its me my of on or our the their them there this that these those to was we what "
    "when where which who whom will with would you your any anything about there's is there "
    "here please tell know like much many long often need needs use used using want get "
    "getting i'm im also still".split()
)
# Words that say little about what is asked: they count for less.
_WEAK = frozenset("northwind company role job work team offer position tool tools".split())
_QUANTITY = re.compile(r"^\s*(how (many|much|long|big|old)|what (is|are) the (salary|pay|range)"
                       r"|when)\b", re.I)  # fmt: skip
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_MARKER = re.compile(r"(\d+)[.)]")
# Everyday words for what the documents say in their own words (both directions).
_SYNONYMS = {
    "remote": {"remote", "remotely", "remote-friendly", "hybrid"},
    "remotely": {"remote", "remote-friendly", "hybrid"},
    "salary": {"salary", "pay", "band", "bands"},
    "pay": {"salary", "pay", "paid", "band"},
    "paid": {"pay", "salary", "paid"},
    "earn": {"salary", "pay"},
    "wage": {"salary", "pay"},
    "holiday": {"holiday", "holidays", "leave"},
    "holidays": {"holiday", "leave"},
    "vacation": {"holiday", "holidays", "leave"},
    "weekend": {"saturday", "sunday", "weekend"},
    "weekends": {"saturday", "sunday", "weekend"},
    "shift": {"shift", "shifts", "rota"},
    "shifts": {"shift", "rota"},
    "database": {"database", "databases", "postgresql"},
    "stack": {"stack", "language", "frameworks"},
    "queue": {"queue", "rabbitmq", "kafka", "messaging"},
    "analysts": {"analysts", "analyst"},
    "people": {"people", "specialists", "staff", "employees", "engineers", "analysts"},
    "interview": {"interview", "pre-screen", "screen"},
    "instead": {"instead", "rather", "alternative"},
    "talk": {"talk", "speak", "call"},
    "tools": {"tools", "tool"},
    "big": {"people", "size"},
    "size": {"people", "size"},
    "founded": {"founded"},
    "degree": {"degree"},
    "office": {"office", "offices"},
    "offices": {"office", "offices"},
    "person": {"person", "recruiter", "people"},
    "human": {"person", "recruiter"},
    "kept": {"kept", "deleted", "keep"},
    "after": {"after", "next"},
}


@dataclass(frozen=True)
class Quote:
    """A passage that answers, and where it is from."""

    text: str  # Markdown: a blockquote, or a table
    snippet: Snippet


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)


_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_HTML_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.I | re.S)
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>", re.I)
_BARE_URL = re.compile(r"(?<![`\w])((?:https?|ftp)://[^\s<>`|)]+|www\.[^\s<>`|)]+)", re.I)


def without_images(text: str) -> str:
    """Markdown or HTML images replaced by their alt text, and links by plain text: a quote
    never makes the candidate's browser fetch anything, and nothing the interviewer says is a
    link to click (a document's link would read as the company's own advice to follow it);
    an address is shown as code, to read and type, not to click."""
    text = _HTML_IMAGE.sub("", _IMAGE.sub(lambda m: m.group(1), text))
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _HTML_LINK.sub(lambda m: m.group(1), text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    return _BARE_URL.sub(_as_code, text)


def _as_code(found: re.Match[str]) -> str:
    url = found.group(1)
    kept = url.rstrip(".,;:!?'\"")
    return f"`{kept}`{url[len(kept):]}"


def _stem(word: str) -> str:
    """A crude root, so 'messaging' meets 'message' and 'databases' meets 'database'."""
    word = word.strip(".,:")
    for suffix in ("ing", "ed", "es", "e", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP}


def _asked(question: str) -> dict[str, tuple[set[str], float]]:
    """Each informative word of the question: the words that show it, and its weight."""
    out = {}
    for w in _WORD.findall(question.lower()):
        if w in _STOP:
            continue
        forms = {_stem(x) for x in _SYNONYMS.get(w, set())} | {_stem(w)}
        out[_stem(w)] = (forms, 0.3 if w in _WEAK else 1.0)
    return out


def _units(snippet: Snippet) -> tuple[list[str], bool, dict[int, str]]:
    """Sentences and list items, hard-wrapped lines joined back, each Markdown table whole;
    a fragment the chunk starts in the middle of is left out (and said: True); and for each
    list item, the words that introduce its list ("If you would rather talk to a person,
    email ... We can, for example:"), without which an item reads out of context."""
    items: list[str] = []
    listed: set[int] = set()  # indexes of items that are list items
    open_item = False
    for line in without_images(snippet.text).splitlines():
        stripped = line.strip()
        if not stripped:
            open_item = False
        elif stripped.startswith("|"):
            if items and items[-1].startswith("|"):
                items[-1] += "\n" + stripped
            else:
                items.append(stripped)
            open_item = False
        elif _ITEM.match(line) or not open_item or items[-1].startswith("|"):
            if _ITEM.match(line):
                listed.add(len(items))
            items.append(_ITEM.sub("", stripped))
            open_item = True
        else:
            items[-1] += " " + stripped
    numbers = [int(m.group(1)) for i in items if (m := _MARKER.fullmatch(i))]
    # The chunk began mid-sentence, or in the middle of a numbered list.
    mid = bool(items) and (
        (items[0][:1].islower() and 0 not in listed) or bool(numbers and numbers[0] > 1)
    )
    kept = [(n, i) for n, i in enumerate(items) if not _MARKER.fullmatch(i)]  # "1." split off
    if kept and kept[0][1][:1].islower() and kept[0][0] not in listed:
        kept = kept[1:]
    units: list[str] = []
    leads: dict[int, str] = {}
    lead = ""
    for n, item in kept:
        parts = [item] if item.startswith("|") else [u for u in _UNIT.split(item) if u.strip()]
        if n in listed:
            for k in range(len(units), len(units) + len(parts)):
                leads[k] = lead
        elif parts and parts[-1].endswith(":"):
            # "We can, for example:" says little alone: the sentence before it comes too.
            short = len(parts[-1]) < 60 and len(parts) > 1
            lead = " ".join(parts[-2:]) if short else parts[-1]
        else:
            lead = ""
        units += parts
    return units, mid, leads


_HEAD = re.compile(r"^\s*(?:which|what)\s+(?:kind of\s+|sort of\s+)?([a-z][a-z-]+)", re.I)


def _head(question: str) -> set[str]:
    """What a 'which/what X ...' question asks for: X and its everyday forms ('tools')."""
    m = _HEAD.match(question)
    if not m or m.group(1).lower() in _STOP:
        return set()
    word = m.group(1).lower()
    return {_stem(x) for x in _SYNONYMS.get(word, set())} | {_stem(word)}


def _coverage(asked: dict[str, tuple[set[str], float]], text: str) -> float:
    have = _terms(text)
    total = sum(w for _, w in asked.values()) or 1.0
    return sum(w for forms, w in asked.values() if forms & have) / total


def answer_from(question: str, context: Sequence[Snippet]) -> Quote | None:
    """The quote that answers the question, or None to defer to the recruiter."""
    asked = _asked(question)
    if not asked:
        return None
    counting = bool(_QUANTITY.match(question))
    head = _head(question)
    said = {w for w in _WORD.findall(question.lower()) if w not in _STOP}
    best: tuple[float, float, str, Snippet] | None = None
    for rank, snippet in enumerate(context):
        if snippet.distance > FAR:
            continue
        heading = snippet.heading.replace(">", " ")
        section = snippet.heading.split(">")[-1]
        units, mid, leads = _units(snippet)
        covered = _coverage(asked, heading)
        # The section's own title (not the document's) names what was asked.
        topic = _coverage(asked, section) if ">" in snippet.heading else 0.0
        # "Which tools ...": a section titled "Tools" is the answer, whatever else matches.
        named = bool(head & _terms(section)) and ">" in snippet.heading
        whole = covered >= COVERAGE  # "Tech stack" answers "what is your stack"
        for i, unit in enumerate(units):
            # The heading speaks for the unit ("Salary range" above a table of numbers).
            score = _coverage(asked, f"{heading} {unit}")
            if score < COVERAGE:
                continue
            own = _coverage(asked, unit)
            rank_by = (0.4 * score + 0.4 * max(own, covered)
                       + (0.1 if counting and re.search(r"\d", unit) else 0)
                       + 0.05 * len(said & set(_WORD.findall(unit.lower()))) / max(len(said), 1)
                       + 0.3 * topic + (0.3 if named else 0)
                       - 0.02 * rank - (0.05 if mid else 0) - 0.001 * i)  # fmt: skip
            if own == 0 and not whole:
                continue  # only the heading matched, and it does not cover the question
            if best is None or rank_by > best[0]:
                # Only the heading matches: the section from its start ("1. Transcript review").
                if whole and own < COVERAGE:
                    shown = _section(units, 0)
                elif leads.get(i) and len(leads[i]) + len(units[i]) < MAX_QUOTE:
                    shown = f"{leads[i]} {units[i]}"
                else:
                    shown = _with_next(units, i)
                best = (rank_by, score, shown, snippet)
    if best is None:
        return None
    return Quote(_shown(best[2], best[3]), best[3])


def _section(units: Sequence[str], i: int) -> str:
    """The unit and those after it, up to a quote's length: a whole short list."""
    out = units[i]
    for unit in units[i + 1 :]:
        if len(out) + len(unit) > MAX_QUOTE:
            break
        out += ("\n" if unit.startswith("|") else "; ") + unit
    return out


def _with_next(units: Sequence[str], i: int) -> str:
    """A short lead-in ('Pay bands are per country:') reads with what follows it."""
    unit = units[i]
    if i + 1 < len(units) and (unit.endswith(":") or len(unit) < 60) and not unit.startswith("|"):
        joint = "\n" if units[i + 1].startswith("|") else " "
        return f"{unit}{joint}{units[i + 1]}"
    return unit


def _shown(text: str, snippet: Snippet) -> str:
    where = snippet.heading.split(">")[-1].strip() or snippet.source
    title = snippet.source.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ")
    clean = text.replace("**", "")
    if "\n|" in clean or clean.startswith("|"):
        lead, _, table = clean.partition("|")
        body = ("|" + table) if table else clean
        return f"From our {title} document ({where}): {lead.strip()}\n\n{body}"
    return f"From our {title} document ({where}):\n\n> {clean[:MAX_QUOTE]}"
