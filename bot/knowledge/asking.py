"""A candidate's question to the documents: the role's passages found, the one that answers
quoted (bot/knowledge/answers.py), else deferred. No model writes any of it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bot.core.policy import DEFERRAL
from bot.knowledge.answers import answer_from
from bot.ports import Snippet, Written

CACHED_TEXTS = 4096  # passages' vectors kept: the documents' sentences, embedded once


class Nearness:
    """similarity(question, texts): cosines from the knowledge base's own embedding model.
    The documents' sentences repeat from question to question, so their vectors are kept."""

    def __init__(self, load: Callable[[], Any]) -> None:
        self.load = load  # the model is loaded at the first question, not at start-up
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, question: str, texts: Sequence[str]) -> list[float]:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        fresh = self.load().embed([question, *missing])
        with self._lock:
            for text, vector in zip(missing, fresh[1:], strict=True):
                self._vectors[text] = vector
            while len(self._vectors) > CACHED_TEXTS:
                self._vectors.popitem(last=False)
            vectors = [self._vectors.get(t) for t in texts]
        asked = fresh[0]
        return [float(asked @ v) if v is not None else 0.0 for v in vectors]


def answer_from_documents(
    question: str, context: Sequence[Snippet], nearness: Nearness
) -> Written:
    """Quote the passage that answers the question, with its source; else defer to the
    recruiter."""
    found = answer_from(question, context, nearness)
    if found is None:
        return Written(DEFERRAL, "fallback", "documents", rejected="no passage answers it")
    return Written(found.text, "documents", "documents", sources=(found.snippet,))
