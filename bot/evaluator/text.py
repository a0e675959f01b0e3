"""Splitting an answer into the sentences that can serve as evidence (standard library only)."""

from __future__ import annotations

import re

from bot.core.messages import sentences

# Sentences end where the interview's reading of a message says (core/messages.py: at . ! ?
# before whitespace, or at a line break); bullets and numbering at a line start are dropped.
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")

MAX_UNITS = 16  # sentences scored per key point; longer answers are grouped into windows
# Clause breaks inside a sentence: "X, then Y", "X; Y", "X and then Y", "X, and Y".
_CLAUSE = re.compile(r",\s*(?:and\s+)?then\s+|;\s*|\s+and\s+then\s+|,\s+and\s+|,\s+also\s+", re.I)
_GENDERED = {
    "he": "they", "she": "they", "him": "them", "her": "them", "his": "their", "hers": "theirs",
    "himself": "themself", "herself": "themself", "man": "person", "woman": "person",
    "men": "people", "women": "people", "boy": "child", "girl": "child", "boys": "children",
    "girls": "children", "brother": "sibling", "sister": "sibling", "father": "parent",
    "mother": "parent", "husband": "partner", "wife": "partner", "mr": "mx", "mrs": "mx",
    "ms": "mx", "sir": "mx", "madam": "mx", "gentleman": "person", "lady": "person",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")
# "her" before a noun is possessive ("her mother" -> "their parent"), otherwise an object.
_OBJECT_FOLLOWERS = "and|or|to|that|the|a|an|in|on|at|for|with|if|because|about|but|so|as|when"
_HER_POSSESSIVE = re.compile(rf"\b[Hh]er(?=\s+(?!(?:{_OBJECT_FOLLOWERS})\b)[A-Za-z])")


def split_sentences(answer: str) -> list[str]:
    """The answer's sentences, stripped, in order; empty pieces dropped."""
    parts = (_BULLET.sub("", p).strip() for p in sentences(answer))
    return [p for p in parts if any(ch.isalnum() for ch in p)]


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses ("roll back, then check the logs" -> two), when it has several."""
    parts = [p.strip(" ,;.") for p in _CLAUSE.split(sentence)]
    # "check the logs and tell the team" is two points; "salt and water" is one thing.
    split: list[str] = []
    for part in parts:
        halves = part.split(" and ")
        if len(halves) == 2 and all(len(h.split()) >= 3 for h in halves):
            split += halves
        else:
            split.append(part)
    split = [p for p in split if len(p.split()) >= 2]
    return split if len(split) > 1 else []


def evidence_units(answer: str, max_units: int = MAX_UNITS) -> list[str]:
    """Sentences (and the clauses of compound ones) to check each key point against.

    A compound sentence makes several points, and the model judges one point against one
    clause better than against the whole sentence. A very long answer would cost one model
    call per unit per key point; past `max_units` sentences, neighbours are grouped into
    windows, so the cost stays bounded while every quoted unit is still answer text.
    """
    sentences = split_sentences(answer)
    if len(sentences) <= max_units:
        units = sentences + [c for s in sentences for c in clauses(s)]
        return units[: 2 * max_units]
    size = -(-len(sentences) // max_units)  # ceiling division
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]


def clip(text: str, limit: int) -> str:
    """The text cut to at most `limit` characters, at a word boundary where one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 0.8 else cut


def quote(text: str, limit: int = 160) -> str:
    """A short double-quoted excerpt for an explanation."""
    short = clip(text, limit)
    return f'"{short}{"..." if len(short) < len(text) else ""}"'


def replace_words(text: str, table: dict[str, str]) -> str:
    """Every word found in `table` (by its lower case) replaced, keeping a leading capital."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        new = table.get(word.lower())
        if new is None:
            return word
        return new.capitalize() if word[0].isupper() else new

    return _WORD.sub(swap, text)


# A person's name where only a person can stand: after "my colleague", before "said" or
# "and I", or "with X, and they ...". The name itself (Emily or Mohammed) must not move a
# score, and a list of names would only know the names its authors thought of; a capitalised
# word elsewhere ("with Python") is left alone, since it may be what the answer is about.
STAND_IN = "Sam"  # every person's name reads the same to the evaluator
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)?"
_PERSON_BEFORE = (r"colleague|co-?worker|manager|teammate|team\s+lead|tech\s+lead|boss|"
                  r"mentor|supervisor|director|engineer|developer|analyst|designer|customer|"
                  r"client|friend|intern|named|called|mr|mrs|ms|mx|dr")  # fmt: skip
_PERSON_AFTER = (r"said|says|agreed|asked|told|suggested|explained|mentioned|replied|wanted|"
                 r"thought|felt|noticed|proposed|helped|disagreed|insisted|pointed|argued|"
                 r"reviewed|approved|and\s+I|and\s+me")  # fmt: skip
# Verbs and phrases whose object is a person: "asked Jorge", "paired with Wei".
_PERSON_OBJECT = (r"asked|told|thanked|mentored|coached|emailed|messaged|phoned|pinged|"
                  r"paired\s+with|talk(?:ed|ing)\s+to|spoke\s+(?:to|with)|met\s+with")
_NAME_RULES = (
    re.compile(rf"\b((?i:{_PERSON_BEFORE}),?\s+)({_NAME})\b"),
    re.compile(rf"()\b({_NAME})(?=,?\s+(?:{_PERSON_AFTER})\b)"),
    re.compile(rf"\b((?i:with|and|asked|told|helped|thanked)\s+)({_NAME})"
               r"(?=,?\s+and\s+(?:they|them|their|he|she)\b)"),
    re.compile(rf"\b((?i:with|to|asked|told|showed|thanked)\s+)({_NAME})(?=,\s+who\b)"),
    re.compile(rf"\b((?i:{_PERSON_OBJECT})\s+)({_NAME})\b"),
    re.compile(rf"()\b({_NAME})(?=\s+from\s+(?:the\s+|our\s+|my\s+)?[a-z]+\s+"
               rf"(?:{_PERSON_AFTER}|wrote|sent|called)\b)"),
)
# Capitalised words that are not names although they stand where one could.
_NOT_NAMES = {"i", "we", "they", "he", "she", "you", "it", "everyone", "someone", "nobody",
              "then", "so", "and", "but", "also", "the", "this", "that", "who", "later",
              "finally", "first", "next", "after", "when", "our", "my", "their"}  # fmt: skip


def without_names(text: str) -> str:
    """People's names, where the words around them show a person is meant, all one name."""

    def one(m: re.Match[str]) -> str:
        words = m.group(2).split()
        keep = []
        while words and words[0].lower() in _NOT_NAMES:
            keep.append(words.pop(0))
        if not words:
            return m.group(0)
        return m.group(1) + " ".join([*keep, STAND_IN])

    for rule in _NAME_RULES:
        text = rule.sub(one, text)
    return text


def blind(text: str) -> str:
    """The text as the evaluator reads it: no gendered words, no people's names."""
    return without_names(neutral_gender(text))


def neutral_gender(text: str) -> str:
    """Gendered words and pronouns replaced by neutral ones, so they cannot move a score."""
    possessive = _HER_POSSESSIVE.sub(lambda m: "their" if m.group(0)[0] == "h" else "Their", text)
    return replace_words(possessive, _GENDERED)
