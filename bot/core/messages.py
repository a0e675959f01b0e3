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
# Words a candidate puts before a question of their own: "By the way, ...?", "Also, ...?".
_LEAD_IN = (r"and|but|so|also|oh|sorry|btw|by the way|one more thing|one last thing|"
            r"just curious|out of curiosity|quick question|one question|another question|"
            r"a question|last question|i was wondering|i wonder|may i ask|can i ask|"
            r"could i ask")  # fmt: skip
_OPENS_LIKE_A_QUESTION = re.compile(
    rf"^\s*(?:(?:{_LEAD_IN})\s*[,:;-]?\s+)*"
    r"(?:can|could|may|might|what|whats|what's|when|where|who|whom|whose|which|how|is|are|am|was"
    r"|were|do|does|did|will|would|should|shall|have|has|any|anything|if|whether)\b",
    re.I,
)
# A question set apart from an answer by its lead-in: what follows it is about the question
# ("Also, do you sponsor visas? I live in Canada."), not part of the answer.
_ASIDE = re.compile(rf"^\s*(?!(?:and|but|so)\b)(?:{_LEAD_IN})\b", re.I)
# A question in the middle of a message is the candidate's own only when it is put to us
# ("Which framework do you use?", "Is the team remote?"); "How did I find it? ..." is how an
# answer tells its story, and stays part of it.
_TO_US = re.compile(
    r"\b(?:you|your|yours|the (?:role|position|job|team|company|office|salary|pay|interview|"
    r"process|offer|contract|first (?:week|month))|this (?:role|position|job|team|company)|"
    r"here|remote|hybrid|on-?call|visas?|sponsor\w*|relocat\w*|benefits?|salary|budget|"
    r"holidays?|vacation|start date|working hours)\b",
    re.I,
)
_TELLS_OWN_STORY = re.compile(
    r"^\s*(?:\w+\s+){0,2}(?:did|do|would|could|should|can|was)\s+(?:i|we)\b", re.I
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


_ASKS_ABOUT_OWN_WORK = re.compile(r"\bwhat (?:i|we) (?:did|do|found|changed)\b", re.I)


def is_put_to_us(sentence: str) -> bool:
    """A question in the middle of a message that asks us something, not one the candidate
    asks themselves on the way to their answer."""
    return (is_question(sentence) and bool(_TO_US.search(sentence))
            and not _TELLS_OWN_STORY.match(sentence)
        and not _ASKS_ABOUT_OWN_WORK.search(sentence))  # fmt: skip


def read_message(text: str) -> Reading:
    """Split a message into its answer, the candidate's own questions and what is set aside.

    Questions at the end are the candidate's own; so is one anywhere that is put to us ("Which
    framework do you use? I have used Django for years." answers the question and scores the
    rest), and what follows a question set apart by its lead-in ("Also, do you sponsor visas?
    I live in Canada.") belongs to that question. A question an answer asks itself ("Why?
    Because it was reliable.") stays part of the answer."""
    parts = sentences(text)
    if not parts:
        return Reading("", "", ())
    asked: list[str] = []
    while parts and (is_question(parts[-1]) or (asked and parts[-1].endswith("?"))):
        asked.insert(0, parts.pop())
    if len(parts) == 1 and not asked and parts[0].endswith("?") and len(parts[0].split()) <= 30:
        asked, parts = parts, []  # one short sentence that asks: "I am 52, is that too old?"
    kept: list[str] = []
    aside = False  # inside a question's context, after "Also, ...?"
    for s in parts:
        if is_put_to_us(s):
            asked.append(s)
            aside = bool(_ASIDE.match(s))
        elif aside:
            asked.append(s)
        else:
            kept.append(s)
    parts = kept
    set_aside = tuple(s for s in [*parts, *asked] if discloses(s))
    # A question that is itself a disclosure gets the set-aside reply, not the documents.
    question = " ".join(s for s in _in_order(asked, text) if s not in set_aside)
    answer = " ".join(s for s in parts if s not in set_aside)
    if len(answer.split()) < MIN_ANSWER_WORDS:
        answer = ""
    return Reading(answer, question, set_aside)


def _in_order(said: list[str], text: str) -> list[str]:
    """Sentences in the order the message has them."""
    return sorted(said, key=lambda s: text.find(s))
