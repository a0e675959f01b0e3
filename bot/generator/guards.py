"""Guards on every generated text before a candidate sees it. Pure functions, no framework.

A text that fails a guard is never shown: the writer falls back to HR-written text and logs
the reason. The rules lean towards refusing: a refused probe costs nothing (HR's own probe is
asked instead), a shown bad one can cost a candidate a fair interview.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from bot.core.policy import protected_topics

MAX_CHARS = 300  # one or two sentences: a probe or an acknowledgement
NEAR_DUPLICATE = 0.8  # token-sequence similarity at which a text repeats an earlier question


@dataclass(frozen=True)
class GuardResult:
    """Whether a text may be shown, and if not, why (for the log and the transcript)."""

    ok: bool
    reason: str | None = None


PASS = GuardResult(True)




# Judging the answer, to the candidate's face: praise, blame, sympathy, or a decision.
_EVALUATIVE_OPENING = re.compile(
    r"^\W*(?:great|excellent|perfect|good|nice|awesome|wonderful|fantastic|brilliant|impressive|"
    r"amazing|outstanding|superb|well done|correct|exactly|absolutely|right|wrong|incorrect|"
    r"not quite|nope|unfortunately|sorry|i'?m sorry|i am sorry|interesting|bravo"
    r"|congratulations)\b",
    re.IGNORECASE,
)
_EVALUATIVE_ANYWHERE = re.compile(
    r"\b(?:(?:great|excellent|good|strong|weak|poor|perfect|wrong|incorrect|correct|impressive|"
    r"solid|nice|bad|thorough|incomplete|fantastic|wonderful|detailed|clear|insightful|thoughtful|"
    r"helpful|comprehensive|complete|interesting|brilliant) (?:answer|response|point|job|"
    r"explanation|example|work|start)"
    r"|you(?:'re| are) (?:right|wrong|correct|incorrect|mistaken)"
    r"|that(?:'s| is| was) (?:wrong|incorrect|correct|right|not right|not correct|great|excellent|"
    r"perfect|impressive|a (?:great|good|strong|weak) )"
    r"|i'?m sorry to hear|i am sorry to hear|well done|good job|nice work|great job"
    r"|(?:i'?m|i am) (?:glad|happy|pleased|impressed|delighted|disappointed|sad)"
    r" (?:to hear|that|by|with)"
    r"|(?:glad|happy|pleased) to hear|i (?:like|love|appreciate) (?:that|how|your)"
    r"|you (?:missed|forgot|failed|overlooked)"
    r"|(?:you|your answer) (?:didn't|did not|doesn't|does not) (?:mention|cover|address|explain)"
    r"|you(?:'ve| have)? (?:passed|failed)|next round|(?:not|won't) (?:be )?mov(?:e|ing) forward"
    r"|hire you|reject(?:ed)? you|your application|your score|you scored)",
    re.IGNORECASE,
)

# Residue of the prompt or the chat format: role tokens, labels the prompts use, template braces.
_LEAK = re.compile(
    r"<\|[^|>]*\|?>|</?s>|\[/?INST\]|\[/?SYS\]|<<SYS>>|###|[{}]"
    r"|(?:^|\n)\s*(?:system|user|assistant|human|ai|interviewer|candidate|question|answer|"
    r"context|missing|key points?|example)\s*:"
    r"|\b(?:you are an? (?:interviewer|assistant|ai)|as an ai|language model|system prompt|"
    r"key point|smollm|the candidate)\b",
    re.IGNORECASE,
)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def question_count(text: str) -> int:
    """How many questions a text asks: runs of '?' count once."""
    return len(re.findall(r"\?+", text))


def is_near_duplicate(text: str, earlier: str, threshold: float = NEAR_DUPLICATE) -> bool:
    """True when two texts say nearly the same words in nearly the same order."""
    a, b = _tokens(text), _tokens(earlier)
    if not a or not b:
        return False
    if a == b:
        return True
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


def forbidden_topic(text: str) -> str | None:
    """The protected topic a text touches, if any (age, family, health, religion, ...)."""
    found = protected_topics(text)
    return found[0][0] if found else None


def evaluates(text: str) -> bool:
    """True when a text judges the candidate's answer (praise, blame, sympathy, decision)."""
    return bool(_EVALUATIVE_OPENING.search(text) or _EVALUATIVE_ANYWHERE.search(text))


def leaks(text: str) -> bool:
    """True when a text carries prompt or chat-format residue."""
    return bool(_LEAK.search(text))


def _repetitive(words: list[str]) -> bool:
    # Small models loop ("the the the", a phrase over and over): few distinct words for the length.
    return len(words) >= 8 and len(set(words)) / len(words) < 0.5


def _shape(text: str, *, min_questions: int, max_questions: int, max_chars: int) -> GuardResult:
    words = _tokens(text)
    if len(words) < 2:
        return GuardResult(False, "empty or too short")
    if len(text) > max_chars:
        return GuardResult(False, f"too long ({len(text)} > {max_chars} characters)")
    asks = question_count(text)
    if asks > max_questions:
        return GuardResult(False, f"asks {asks} questions (at most {max_questions})")
    if asks < min_questions:
        return GuardResult(False, "is not a question")
    if _repetitive(words):
        return GuardResult(False, "repetitive text")
    return PASS


def check(
    text: str,
    asked: Sequence[str] = (),
    *,
    min_questions: int = 0,
    max_questions: int = 1,
    max_chars: int = MAX_CHARS,
) -> GuardResult:
    """Whether the interviewer may say `text` after asking `asked`; the first failed rule wins."""
    shape = _shape(
        text, min_questions=min_questions, max_questions=max_questions, max_chars=max_chars
    )
    if not shape.ok:
        return shape
    if leaks(text):
        return GuardResult(False, "leaks prompt or role tokens")
    if evaluates(text):
        return GuardResult(False, "evaluates the answer")
    topic = forbidden_topic(text)
    if topic:
        return GuardResult(False, f"forbidden topic: {topic}")
    for earlier in asked:
        if is_near_duplicate(text, earlier):
            return GuardResult(False, f"repeats an earlier question: {earlier[:60]!r}")
    return PASS


# Function words and the answer's own scaffolding: not evidence either way.
_COMMON = frozenset(
    "this that with from have will your they them their there about which when what where would "
    "could should also been were into than then each some such only over more most other these "
    "those does here role company team work offer offers yes".split()
)


def _stems(text: str) -> set[str]:
    return {
        w[:5] for w in _tokens(text) if len(w) > 3 and w not in _COMMON and w not in _QUESTION_WORDS
    }


_QUESTION_WORDS = frozenset(
    "could would tell more describe explain walk give share example about".split()
)


def on_topic(text: str, topic: Sequence[str]) -> bool:
    """True when a probe shares a content word (crudely stemmed) with what it should ask about."""
    return bool(_stems(text) & _stems(" ".join(topic)))


def asks_for_covered(
    text: str, missing: Sequence[str], covered: Sequence[Sequence[str]], said: str = ""
) -> bool:
    """True when a probe leans towards a key point the answer already covered.

    Words the candidate used do not count (a probe may start from what was said); a probe is
    refused when it shares more of the remaining words with a covered point than with the
    missing one.
    """
    words = _stems(text) - _stems(said)
    toward_missing = len(words & _stems(" ".join(missing)))
    return any(len(words & _stems(" ".join(point))) > toward_missing for point in covered)


def gives_away(text: str, point: str, allowed: Sequence[str] = (), run: int = 4) -> bool:
    """True when a probe recites the rubric: `run` words in a row from the key point that
    neither HR's probe, the question nor the candidate's answer already said."""
    said = _tokens(text)
    known = {
        tuple(words[i : i + run])
        for source in allowed
        for words in [_tokens(source)]
        for i in range(len(words) - run + 1)
    }
    rubric = _tokens(point)
    for i in range(len(rubric) - run + 1):
        gram = tuple(rubric[i : i + run])
        if gram in known:
            continue
        if any(tuple(said[j : j + run]) == gram for j in range(len(said) - run + 1)):
            return True
    return False


_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")


def question_only(text: str) -> str:
    """The probe's question, with a lead-in kept only when it addresses the candidate ("You
    restarted the servers; ..."): a model that speaks as the candidate ("I checked the logs.
    How ...?") or recites the rubric before asking loses its lead-in."""
    parts = _SENTENCE.split(text.strip())
    questions = [i for i, p in enumerate(parts) if p.endswith("?")]
    if not questions:
        return text.strip()
    last = questions[0]
    lead = " ".join(parts[:last])
    ask = parts[last]
    if lead and re.match(r"^(?:you|your|so you|when you|after you|once you)\b", lead, re.I) and (
        len(_tokens(lead)) <= 14
    ):
        return f"{lead} {ask}"
    return ask[0].upper() + ask[1:]
