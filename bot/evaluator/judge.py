"""The evaluator's judge: one (reference, answer) pair -> a calibrated verdict with confidence.

For each pair it reads the answer once per distinct sentence (repeating text never raises a
score), sets aside sentences about something else entirely, judges the rest with the
cross-encoder in windows that fit the model (a point in the last paragraph still counts),
measures the bi-encoder cosine and the shared content words, and combines these signals with
the logistic fits stored in the artifact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.encoders.runtime import Output
from bot.encoders.tokens import PairTokenizer
from bot.evaluator.combiner import FEATURES, Logistic, biased, doubt_features, logit
from bot.evaluator.features import content_words, distinct_sentences, lexical, windows
from bot.evaluator.rubric import Pair, Verdict
from bot.evaluator.text import blind

# A full sentence that shares no content word with the reference or the question and whose
# bi-encoder cosine with both stays under this is about something else ("I also play chess"):
# it neither adds to nor takes from the score. On training answers graded correct, 4% of
# sentences fall under 0.15 by cosine alone, nearly all short fragments that carry content in
# context ("Flags", "Yes."), which the length and shared-word conditions keep; 90-95% of
# off-topic filler sentences fall under it.
OFF_TOPIC_COSINE = 0.15
OFF_TOPIC_MIN_WORDS = 5


class PairEncoder(Protocol):
    """The cross-encoder: ONNX Runtime when serving, torch when training."""

    tokenizer: PairTokenizer

    def outputs(self, items: Sequence[tuple[str, str]]) -> list[Output]: ...


class SentenceEncoder(Protocol):
    """The bi-encoder: cosine similarity of two texts' sentence vectors."""

    def cosines(self, items: Sequence[tuple[str, str]]) -> list[float]: ...


@dataclass(frozen=True)
class Reading:
    """What the judge makes of one pair before combining: the text judged and its signals."""

    text: str  # the answer as judged: distinct, on-topic sentences
    windows: tuple[str, ...]
    signals: dict[str, float]
    head: Output  # the cross-encoder's output on the best window


class ModelJudge:
    """A PairJudge over a cross-encoder, a bi-encoder and the combiner fits."""

    def __init__(
        self,
        cross: PairEncoder,
        embedder: SentenceEncoder,
        version: str,
        combiner: Logistic | None = None,
        doubt: Logistic | None = None,
        threshold: float = 0.5,
        review_below: float = 0.6,
        label_bias: tuple[float, float, float] = (0.0, 0.0, 0.0),
    ) -> None:
        self.cross = cross
        self.embedder = embedder
        self.version = version
        self.combiner = combiner
        self.doubt = doubt
        self.threshold = threshold
        self.review_below = review_below  # confidence under which a person should look
        self.label_bias = label_bias  # 3-way shift fit on out-of-fold rows (combine.py)

    def judge(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """One verdict per pair."""
        return [self.verdict(r) for r in self.read(pairs)]

    def relatedness(self, items: Sequence[tuple[str, str]]) -> list[float]:
        """Bi-encoder cosine per (a, b): how much two texts are about the same thing."""
        return self.embedder.cosines([(blind(a), blind(b)) for a, b in items])

    def verdict(self, reading: Reading) -> Verdict:
        """The combined verdict for one reading."""
        pc, pcon, pinc = biased(reading.head[:3], self.label_bias)
        grade = reading.head[3]
        if not reading.text:
            return Verdict(0.0, 0.0, 1.0, 0.0, support=0.0, confidence=1.0)
        support = self.combiner(reading.signals) if self.combiner else reading.head[0]
        confidence = 1.0
        if self.doubt:
            confidence = 1.0 - self.doubt(doubt_features(support, reading.signals))
        return Verdict(pc, pcon, pinc, grade, support=support, confidence=confidence)

    def read(self, pairs: Sequence[Pair]) -> list[Reading]:
        """Signals for each pair, with every model call batched across all of them."""
        pairs = [
            Pair(blind(p.reference), blind(p.answer), blind(p.question))
            for p in pairs
        ]
        texts = self._on_topic(pairs)
        plans = [self._windows(p.reference, t) for p, t in zip(pairs, texts, strict=True)]
        items = sorted({(p.reference, w) for p, ws in zip(pairs, plans, strict=True) for w in ws})
        outputs = dict(zip(items, self.cross.outputs(items), strict=True))
        cosines = dict(zip(items, self.embedder.cosines(items), strict=True))
        out = []
        for p, text, ws in zip(pairs, texts, plans, strict=True):
            if not text:
                out.append(Reading("", (), {}, (0.0, 0.0, 1.0, 0.0)))
                continue
            heads = [outputs[(p.reference, w)] for w in ws]
            best = max(range(len(ws)), key=lambda i: heads[i][0])
            recall, precision, ratio = lexical(p.reference, text)
            signals = {
                "ce_logit": logit(heads[best][0]),
                "grade_logit": logit(max(h[3] for h in heads)),
                "p_contra": heads[best][1],
                "cosine": max(cosines[(p.reference, w)] for w in ws),
                "recall": recall,
                "precision": precision,
                "len_ratio": ratio,
                "windows": float(len(ws)),
            }
            out.append(Reading(text, tuple(ws), signals, heads[best]))
        return out

    def _on_topic(self, pairs: Sequence[Pair]) -> list[str]:
        """Each answer's distinct sentences, without those about something else entirely."""
        split = [distinct_sentences(p.answer) for p in pairs]
        checks = sorted(
            {(s, anchor) for p, ss in zip(pairs, split, strict=True) if len(ss) > 1
             for s in ss for anchor in (p.reference, p.question) if anchor}
        )  # fmt: skip
        cos = dict(zip(checks, self.embedder.cosines(checks), strict=True)) if checks else {}
        texts = []
        for p, ss in zip(pairs, split, strict=True):
            if len(ss) > 1:
                anchors = content_words(f"{p.reference} {p.question}")
                kept = [
                    s for s in ss
                    if len(s.split()) < OFF_TOPIC_MIN_WORDS or content_words(s) & anchors
                    or max(cos[(s, a)] for a in (p.reference, p.question) if a) >= OFF_TOPIC_COSINE
                ]  # fmt: skip
                ss = kept or ss
            texts.append(" ".join(ss))
        return texts

    def _windows(self, reference: str, text: str) -> list[str]:
        if not text:
            return []
        tok = self.cross.tokenizer
        budget = tok.max_length - tok.count(reference) - 4
        if tok.count(text) <= budget:
            return [text]
        sentences = distinct_sentences(text)
        return windows(sentences, [tok.count(s) for s in sentences], max(budget, 48))


def signal_rows(judge: ModelJudge, pairs: Sequence[Pair]) -> list[dict[str, Any]]:
    """The raw signals per pair (for fitting the combiner on out-of-fold predictions)."""
    return [
        {name: r.signals.get(name, 0.0) for name in (*FEATURES, "windows")}
        | {"p_correct": r.head[0], "p_incorrect": r.head[2], "grade": r.head[3],
           "empty": not r.text}
        for r in judge.read(pairs)
    ]  # fmt: skip
