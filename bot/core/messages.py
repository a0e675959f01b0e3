"""Reading a candidate's message: the answer in it, a question of their own, and anything said
about a protected characteristic, which is set aside and never scored (standard library).

"I am 52 years old, is that too old for this team?" holds no answer, a question to us, and a
disclosure of age: the interview answers the question, says the age plays no part, and scores
nothing. "I profiled every column. Is the role remote?" is an answer and a question: the
answer is scored, the question answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What no message needs and some viewers act on: controls other than tab and line breaks, and
# the bidirectional overrides and isolates that make "gpj.exe" read as "exe.jpg" in a
# recruiter's view or an export.
_UNSHOWN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain_text(text: str) -> str:
    """A candidate's text as it is stored and shown: a lone surrogate (which no encoder can
    write out) becomes U+FFFD, and invisible controls are dropped; nothing else changes."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _UNSHOWN.sub("", text)


_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\s*\n+\s*")
_OPENS_LIKE_A_QUESTION = re.compile(
    r"^\s*(?:and |but |so |also |oh,? |sorry,? |quick question:? |one question:? )?"
    r"(?:can|could|may|might|what|whats|what's|when|where|who|whom|whose|which|how|is|are|am|was"
    r"|were|do|does|did|will|would|should|shall|have|has|any|anything|if)\b",
    re.I,
)
# Saying something about oneself that no hiring decision may rest on. Narrow on purpose: a
# candidate's work ("I was 52 hours into the incident", "my team's pregnancy app") must not
# be set aside.
_DISCLOSURE = re.compile(
    r"\bI(?:'m| am)\s+(?:now\s+)?\d{2}(?:\s+years?(?:\s+old)?)?(?=\s*(?:[,.!?;]|$|and\b|but\b))"
    r"|\b\d{2}[- ]years?[- ]old\b"
    r"|\bmy age\b|\bat my age\b|\btoo old\b|\btoo young\b"
    r"|\bI(?:'m| am)\s+(?:currently\s+)?pregnant\b|\bexpecting a baby\b|\bmaternity leave\b"
    r"|\bmy (?:husband|wife|spouse|partner|kids|children|son|daughter|baby|pregnancy"
    r"|religion|faith|church|mosque|synagogue|disability|diagnosis|illness|condition"
    r"|ethnicity|race|nationality|sexuality|sexual orientation|gender)\b"
    r"|\b(?:I(?:'m| am)|as)\s+(?:a\s+)?(?:single\s+)?(?:mother|father|mum|mom|dad|parent)\b"
    r"|\bI(?:'m| am)\s+(?:a\s+)?(?:muslim|christian|jewish|jew|hindu|buddhist|sikh|atheist"
    r"|catholic|gay|lesbian|bisexual|trans|transgender|non-binary|disabled|deaf|blind"
    r"|autistic|dyslexic)\b"
    r"|\bI have (?:a\s+)?(?:disability|diabetes|cancer|depression|anxiety|adhd|autism"
    r"|epilepsy|a chronic)\b",
    re.I,
)
MIN_ANSWER_WORDS = 1  # any words left once questions and disclosures are out


@dataclass(frozen=True)
class Reading:
    """What a candidate's message holds."""

    answer: str  # the sentences that answer (empty when there are none)
    question: str  # the candidate's own question to us (empty when none)
    set_aside: tuple[str, ...]  # sentences about a protected characteristic: never scored


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def is_question(sentence: str) -> bool:
    """A sentence that asks us something ('Is the role remote?'), not a rhetorical 'Why?'."""
    s = sentence.strip()
    return s.endswith("?") and len(s.split()) >= 2 and bool(_OPENS_LIKE_A_QUESTION.match(s))


def discloses(sentence: str) -> bool:
    """Whether a sentence tells us about a protected characteristic of the candidate."""
    return bool(_DISCLOSURE.search(sentence))


def read_message(text: str) -> Reading:
    """Split a message into its answer, its trailing question and what is set aside.

    Only questions at the end count as the candidate's own: a question in the middle of an
    answer ("Why? Because it was reliable.") is part of the answer."""
    parts = sentences(text)
    if not parts:
        return Reading("", "", ())
    asked: list[str] = []
    while parts and (is_question(parts[-1]) or (asked and parts[-1].endswith("?"))):
        asked.insert(0, parts.pop())
    if len(parts) == 1 and not asked and parts[0].endswith("?") and len(parts[0].split()) <= 30:
        asked, parts = parts, []  # one short sentence that asks: "I am 52, is that too old?"
    set_aside = tuple(s for s in [*parts, *asked] if discloses(s))
    # A question that is itself a disclosure gets the set-aside reply, not the documents.
    question = " ".join(s for s in asked if s not in set_aside)
    answer = " ".join(s for s in parts if s not in set_aside)
    if len(answer.split()) < MIN_ANSWER_WORDS:
        answer = ""
    return Reading(answer, question, set_aside)
