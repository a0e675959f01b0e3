"""Answering a candidate's question by quoting the company's documents, or deferring.

Extractive: among the retrieved passages, the sentence, list item or table nearest the question
in meaning that also holds what it names is quoted whole, with its source and heading. When no
passage does both, the question goes to the recruiter: no fact, number or yes/no ever comes
from a model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.ports import Snippet

# A passage is quoted only when it is near the question in meaning (the embeddings' cosine,
# which knows that "work from home" is "remote") AND holds what the question names (its
# informative words, weighted by how rare they are among the passages retrieved, so a word every
# passage has, like the company's name, counts for little and a word none has, like "parking",
# counts most). Either alone quotes the wrong passage: measured on questions written apart from
# these rules (README, "Candidates' questions"), never on the sample documents' own wording.
RULES = ((0.3, 0.7), (0.55, 0.3))  # (least similarity, least share of the named words)
POINT_MARGIN = 0.08  # how much nearer the question without a missing word may come
# The role's own document is preferred to the company's: "Is this role remote?" is answered by
# the job's "Location" section, not by "Each job description says whether the role is remote".
ROLE_FIRST = 0.12
TITLED = 0.6  # share of the named words a section's own title holds to be about the question
MAX_QUOTE = 600

Similarity = Callable[[str, Sequence[str]], Sequence[float]]

_WORD = re.compile(r"[a-z0-9][a-z0-9,.%:-]*[a-z0-9%]|[a-z0-9]")
# A sentence ends at . ! ? after a word (not after "4." in a numbered list).
_UNIT = re.compile(r"(?<=[A-Za-z)\]\"'*][.!?])\s+(?=[A-Z(*])|\n+")
# Plain English function words and question words: they say how something is asked, not what.
_STOP = frozenset(
    "a an and are as at be been can could do does did for from get have has how i if in is "
    "it its me my of on or our the their them there this that these those to was we what "
    "when where which who whom will with would you your any anything about there's is there "
    "here please tell know like much many long often need needs use used using want get "
    "getting i'm im also still just really some so than then they he she his her us "
    # fillers of spoken English: "the API stuff", "that kind of thing"
    "stuff thing things kind sort lot bit actually basically".split()
)
# "I'd", "I'm", "don't": the clitic says nothing about what is asked.
_CLITIC = re.compile(r"(?<=[a-z])'(?:d|m|s|re|ve|ll|t)\b|n't\b")
# Questions whose answer is a number: a passage without one does not answer them.
_QUANTITY = re.compile(r"\b(how (many|much|long|big|old|often|soon)|what time|when)\b", re.I)
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"twenty|thirty|forty|fifty|hundred|thousand|once|twice|half)\b", re.I)
# "How many days ...": the number must count days.
_COUNTED = re.compile(r"\bhow many ([a-z]+)", re.I)
# "Which database do you use?", "Which countries ...": the answer names something (a capitalised
# name after the first word: a product, a place), not a sentence about databases in general.
_NAMING = re.compile(r"\bwhich\b|^\s*what\b.*\b(?:use|uses|run|runs|built|work with)\b", re.I)
_WHERE = re.compile(r"^\s*where\b|\bwhere (?:is|are|do|does|would|will|can|should)\b", re.I)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][A-Za-z0-9]+")
_PEOPLE = frozenset("people persons employees staff members folks".split())
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# "Snowflake or BigQuery?": either option named in a passage meets the question.
_OPTIONS = re.compile(r"([a-z0-9][a-z0-9.+#-]*)\s+or\s+([a-z0-9][a-z0-9.+#-]*)")
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_MARKER = re.compile(r"(\d+)[.)]")


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
    """A crude root, so 'messaging' meets 'message', 'databases' 'database' and 'APIs' 'API'."""
    word = word.strip(".,:")
    for suffix in ("ing", "ed", "es", "e", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith("s") and len(word) >= 4 and not word.endswith(("ss", "us", "sis")):
        return word[:-1]  # a short plural: "apis", "jobs", "days"
    return word


def words(text: str) -> list[str]:
    """The informative words of a text, as roots, in order (what BM25 counts)."""
    found = _WORD.findall(_CLITIC.sub("", text.lower().replace("\u2019", "'")))
    return [_stem(w) for w in found if w not in _STOP and not (len(w) == 1 and w.isalpha())]


def _terms(text: str) -> set[str]:
    return set(words(text))


def _asked(question: str) -> list[frozenset[str]]:
    """What the question names: a group of roots per informative word; the two options of
    'X or Y' form one group, met by either."""
    lowered = question.lower()
    groups: list[frozenset[str]] = []
    paired: set[str] = set()
    for first, second in _OPTIONS.findall(lowered):
        if first not in _STOP and second not in _STOP:
            groups.append(frozenset({_stem(first), _stem(second)}))
            paired |= {_stem(first), _stem(second)}
    groups += [frozenset({t}) for t in sorted(_terms(question) - paired)]
    return groups


def _weights(asked: list[frozenset[str]], texts: Sequence[set[str]]) -> list[float]:
    """How much each named group counts: more the fewer passages hold it (inverse document
    frequency over what was retrieved), most when none does."""
    n = len(texts)
    weights = []
    for group in asked:
        held = sum(1 for terms in texts if group & terms)
        weights.append(math.log((n + 1) / (held + 0.5)))
    return weights


def _share(asked: list[frozenset[str]], weights: list[float], terms: set[str]) -> float:
    total = sum(weights) or 1.0
    return sum(w for group, w in zip(asked, weights, strict=True) if group & terms) / total


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


@dataclass(frozen=True)
class _Candidate:
    unit: str
    shown: str
    snippet: Snippet
    terms: set[str]  # the unit's with its headings'
    rank: int


def answer_from(question: str, context: Sequence[Snippet], similarity: Similarity) -> Quote | None:
    """The quote that answers the question, or None to defer to the recruiter.
    `similarity(question, texts)`: the cosine of the question's embedding with each text's."""
    asked = _asked(question)
    if not asked:
        return None
    found = _candidates(asked, context)
    if not found:
        return None
    weights = _weights(asked, [c.terms for c in found])
    near = similarity(question, [f"{c.snippet.heading.split('>')[-1].strip()}: {c.unit}"
                                 for c in found])  # fmt: skip
    head = _HEAD.match(question)
    named = {_stem(head.group(1).lower())} - _STOP if head else set()
    passing: list[tuple[float, _Candidate, str, float]] = []
    for c, sem in zip(found, near, strict=True):
        share = _share(asked, weights, c.terms)
        title = _terms(c.snippet.heading.split(">")[-1]) if ">" in c.snippet.heading else set()
        # A section whose own title holds most of what was asked is about it ("Tech stack"),
        # as is one titled with what a "which" question asks for ("Which tools ...?": "Tools").
        # Not "what": "What happens if ...?" is not answered by "What happens after ...".
        which = bool(named & title) and question.lstrip().lower().startswith("which")
        titled = which or _share(asked, weights, title) >= TITLED
        if not (titled and sem >= RULES[0][0]) and not any(
            sem >= least_sem and share >= least_share for least_sem, least_share in RULES
        ):
            continue
        if not _fits(question, c.unit, c.shown):
            continue  # "how many" without a number, "where" without a place, ...
        rank_by = (sem + 0.6 * share + (ROLE_FIRST if c.snippet.source.startswith("jobs/") else 0)
                   + (0.2 if titled or named & title else 0) - 0.005 * c.rank)  # fmt: skip
        passing.append((rank_by, c, f"{c.snippet.heading.split('>')[-1].strip()}: {c.unit}", sem))
    for _, c, text, sem in sorted(passing, key=lambda p: -p[0]):
        if not _misses_the_point(question, asked, c.terms, text, sem, similarity):
            return Quote(_shown(c.shown, c.snippet), c.snippet)
    return None


def _fits(question: str, unit: str, shown: str) -> bool:
    """Whether the passage holds the kind of thing asked for: a number for "how many/much/
    long", of the thing counted for "how many X"; a name for "which"; a place for "where".
    The number may be in what is shown with the unit; the name must be in the unit itself."""
    plain = shown.replace("*", "")
    if _QUANTITY.search(question) and not _NUMBER.search(plain):
        return False
    counted = _COUNTED.search(question)
    if counted and counted.group(1).lower() not in _STOP | _PEOPLE:  # "14 specialists"
        if _stem(counted.group(1).lower()) not in _terms(plain):
            return False
    names = {n.lower() for n in _NAME.findall(unit.replace("*", ""))}
    if _WHERE.search(question) and not names - _CALENDAR:
        return False
    return not (_NAMING.search(question) and not names and not _NUMBER.search(plain))


def _misses_the_point(
    question: str, asked: list[frozenset[str]], terms: set[str], text: str, sem: float,
    similarity: Similarity,
) -> bool:  # fmt: skip
    """True when a word the passage lacks is what the question is about: asked without it
    ("Is there ___ at the Lisbon office?"), the question comes much nearer the passage. A word
    the passage says in its own way ("work from home" for "remote") moves it little."""
    absent = [g for g in asked if not g & terms]
    if not absent:
        return False
    dropped = {w for g in absent for w in g}
    kept = [w for w in re.findall(r"[\w'-]+|[^\w\s]", question)
            if _stem(w.lower()) not in dropped]  # fmt: skip
    without = " ".join(kept)
    return similarity(without, [text])[0] - sem > POINT_MARGIN


def _candidates(asked: list[frozenset[str]], context: Sequence[Snippet]) -> list[_Candidate]:
    """Every sentence, list item and table of the passages, with what it would show."""
    out = []
    for rank, snippet in enumerate(context):
        heading = snippet.heading.replace(">", " ")
        section = snippet.heading.split(">")[-1] if ">" in snippet.heading else ""
        units, _mid, leads = _units(snippet)
        # "What is your stack": a section titled "Tech stack" answers from its start.
        held = sum(1 for g in asked if g & _terms(section)) if section else 0
        titled = held >= max(1, (len(asked) + 1) // 2)  # most of what was asked is its title
        for i, unit in enumerate(units):
            own = _terms(unit)
            if titled and sum(1 for g in asked if g & own) < held:  # the title says it better
                shown = _section(units, 0)
            elif leads.get(i) and len(leads[i]) + len(unit) < MAX_QUOTE:
                shown = f"{leads[i]} {unit}"
            else:
                shown = _with_next(units, i)
            out.append(_Candidate(unit, shown, snippet, _terms(f"{heading} {unit}"), rank))
    return out


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
