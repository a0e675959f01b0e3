"""What the evaluator measures of a (reference, answer) pair besides the models (stdlib only).

Repetition must never raise a score, so an answer is read once per distinct sentence; the
lexical signals count a reference word once however often the answer says it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.evaluator.text import split_sentences

_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an the and or but if then so of to in on at by for with from as is are was were be been "
    "being it its this that these those there here i you he she we they me him her us them my "
    "your his our their what which who whom when where why how do does did done doing have has "
    "had having not no yes can could would should will shall may might must also just very "
    "more most less some any all each other such than too only own same into out up down over "
    "under again further once about because while during before after above below between "
    "both few many much get got make made one".split()
)


def stem(word: str) -> str:
    """A light suffix strip, so 'indexes', 'indexing' and 'index' meet."""
    for suffix in ("ational", "ization", "ations", "ation", "ings", "ing", "edly", "ed",
                   "ies", "es", "ly", "s"):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> set[str]:
    """The text's stemmed words, stopwords left out."""
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


def _normal(sentence: str) -> str:
    return " ".join(_WORD.findall(sentence.lower()))


def said_once(text: str) -> str:
    """The text with a run of itself said again removed ("a b c a b c a b" -> "a b c").

    Short answers often end without a full stop, so an answer pasted three times is one
    "sentence" the splitter cannot take apart; repeating must never count as saying more.
    """
    spans = [(m.group(), m.start()) for m in _WORD.finditer(text.lower())]
    words = [w for w, _ in spans]
    n = len(words)
    for period in range(1, n // 2 + 1):
        if all(words[i] == words[i - period] for i in range(period, n)):
            return text[: spans[period][1]].rstrip()  # up to where it starts again
    return text


def distinct_sentences(answer: str) -> list[str]:
    """The answer's sentences in order, each said once (case and punctuation ignored)."""
    seen: set[str] = set()
    out = []
    for sentence in split_sentences(said_once(answer)):
        sentence = said_once(sentence)
        key = _normal(sentence)
        if key and key not in seen:
            seen.add(key)
            out.append(sentence)
    return out


def lexical(reference: str, answer: str) -> tuple[float, float, float]:
    """(recall, precision, log length ratio) of content words, each counted once."""
    ref, ans = content_words(reference), content_words(answer)
    shared = len(ref & ans)
    recall = shared / len(ref) if ref else 0.0
    precision = shared / len(ans) if ans else 0.0
    ratio = math.log((len(ans) + 1) / (len(ref) + 1))
    return recall, precision, ratio


def windows(sentences: Sequence[str], sizes: Sequence[int], budget: int) -> list[str]:
    """Consecutive sentences grouped into windows of at most `budget` tokens, overlapping by
    one sentence, so a point made across a window boundary is still read whole once."""
    if sum(sizes) <= budget or len(sentences) <= 1:
        return [" ".join(sentences)]
    out: list[str] = []
    start = 0
    while start < len(sentences):
        end, used = start, 0
        while end < len(sentences) and (end == start or used + sizes[end] <= budget):
            used += sizes[end]
            end += 1
        out.append(" ".join(sentences[start:end]))
        if end >= len(sentences):
            break
        start = end - 1 if end - 1 > start else end
    return out


# The small words that make a list of terms into something said ("I", "the", "to", "because").
_GLUE = frozenset(
    "i we you he she they it the a an to of in on for with by at from and or but so because "
    "then when if that this which who is are was were be been have has had do did will would "
    "can could my our their his her its not no me us your him them as about there what how "
    "first after before all".split()
)


def says_something(text: str) -> bool:
    """False for a list of terms with nothing said about them ("logs, metrics, rollback,
    alert"): a passage of five or more words with hardly a function word in it."""
    words = _WORD.findall(text.lower())
    if len(words) < 5:
        return True
    return sum(w in _GLUE for w in words) / len(words) >= 0.1
