"""The trained cross-encoder as a PairJudge: (reference, answer) -> correct/contradictory/incorrect.

An artifact folder holds `evaluator.json` (version, threshold, max length, label order),
`tokenizer.json`, and `model.safetensors` with every fine-tuned weight in fp16 except the word
embeddings, which training leaves frozen and which come from the packaged MiniLM.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import ModelError
from bot.evaluator.rubric import Pair, Verdict
from bot.evaluator.text import neutral_gender

LABEL_ORDER = ("correct", "contradictory", "incorrect")
BATCH = 32


@dataclass(frozen=True)
class ArtifactInfo:
    """What evaluator.json says about a trained artifact."""

    version: str
    threshold: float
    max_length: int
    with_question: bool
    labels: tuple[str, ...]
    # (a, b, c): support = sigmoid(a * logit(P(correct)) + b + c * cosine(reference, answer)),
    # cosine of the packaged MiniLM's sentence embeddings; c = 0 skips the embedding pass.
    calibration: tuple[float, float, float] | None

    @classmethod
    def read(cls, folder: Path) -> ArtifactInfo:
        raw: dict[str, Any] = json.loads((folder / "evaluator.json").read_text())
        return cls(
            version=raw["version"],
            threshold=float(raw["threshold"]),
            max_length=int(raw["max_length"]),
            with_question=bool(raw.get("with_question", False)),
            labels=tuple(raw["labels"]),
            calibration=(cal["a"], cal["b"], cal.get("c", 0.0))
            if (cal := raw.get("calibration"))
            else None,
        )


def pair_tokenizer(path: Path, max_length: int) -> Any:
    """A `tokenizers.Tokenizer` for (reference, answer) pairs, truncating the longer side first."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length, strategy="longest_first")
    tokenizer.no_padding()
    return tokenizer


def first_text(pair: Pair, with_question: bool) -> str:
    """The first segment the model reads: the reference, then the question when trained so."""
    if with_question and pair.question:
        return f"{pair.reference} [SEP] {pair.question}"
    return pair.reference


def encode(tokenizer: Any, firsts: Sequence[str], seconds: Sequence[str]) -> dict[str, Any]:
    """Token ids, types and mask for a batch, padded to its longest pair."""
    encs = tokenizer.encode_batch(list(zip(firsts, seconds, strict=True)))
    return _pad([e.ids for e in encs], [e.type_ids for e in encs])


def _pad(id_rows: Sequence[Sequence[int]], type_rows: Sequence[Sequence[int]]) -> dict[str, Any]:
    import torch

    width = max(len(r) for r in id_rows)
    ids = torch.zeros((len(id_rows), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, (r, t) in enumerate(zip(id_rows, type_rows, strict=True)):
        ids[i, : len(r)] = torch.tensor(r)
        types[i, : len(r)] = torch.tensor(t)
        mask[i, : len(r)] = 1
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}


class CrossEncoderJudge:
    """Support = P(correct) from the fine-tuned MiniLM cross-encoder."""

    def __init__(
        self, model: Any, tokenizer: Any, info: ArtifactInfo, embedder: Any = None
    ) -> None:
        self.model = model
        self.embedder = embedder  # the untouched MiniLM, when the calibration uses the cosine
        self.tokenizer = tokenizer
        self.info = info
        self.version = info.version
        self.threshold = info.threshold
        self._index = [info.labels.index(name) for name in LABEL_ORDER]

    @classmethod
    def load(cls, folder: Path) -> CrossEncoderJudge:
        """Load an artifact folder written by `interviewer evaluator train`."""
        from bot.evaluator.base import limit_threads, minilm_folder
        from bot.evaluator.encoder import load_cross_encoder

        try:
            info = ArtifactInfo.read(folder)
            limit_threads()
            model = load_cross_encoder(minilm_folder(), [folder / "model.safetensors"])
            tokenizer = pair_tokenizer(folder / "tokenizer.json", info.max_length)
            embedder = None
            if info.calibration and info.calibration[2]:
                embedder = load_cross_encoder(minilm_folder(), [])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(
                f"could not load the evaluator artifact in {folder}: {exc}; retrain it with "
                "`interviewer evaluator train --out DIR` or reinstall the project"
            ) from exc
        return cls(model, tokenizer, info, embedder)

    def judge(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """One verdict per pair; duplicates are scored once, batches sorted by length."""
        # Gendered words are neutralised on both sides: they must never move a score.
        pairs = [
            Pair(neutral_gender(p.reference), neutral_gender(p.answer), p.question) for p in pairs
        ]
        keys = [(first_text(p, self.info.with_question), p.answer) for p in pairs]
        unique = sorted(set(keys), key=lambda k: len(k[0]) + len(k[1]))
        found = dict(zip(unique, self.probabilities(unique), strict=True))
        cosines = self.cosines([(p.reference, p.answer) for p in pairs])
        return [self._verdict(found[k], c) for k, c in zip(keys, cosines, strict=True)]

    def _verdict(self, p: tuple[float, float, float], cosine: float) -> Verdict:
        support = p[0]
        if self.info.calibration:
            from bot.evaluator.calibrate import calibrated

            support = calibrated(p[0], *self.info.calibration, cosine=cosine)
        return Verdict(correct=p[0], contradictory=p[1], incorrect=p[2], support=support)

    def cosines(self, items: Sequence[tuple[str, str]]) -> list[float]:
        """Cosine of the base MiniLM's embeddings per (reference, answer); 0s without embedder."""
        if self.embedder is None:
            return [0.0] * len(items)
        import torch

        texts = sorted({t for item in items for t in item}, key=len)
        vectors: dict[str, Any] = {}
        with torch.inference_mode():
            for start in range(0, len(texts), BATCH):
                chunk = texts[start : start + BATCH]
                encs = self.tokenizer.encode_batch(chunk)
                batch = _pad([e.ids for e in encs], [e.type_ids for e in encs])
                vectors.update(zip(chunk, self.embedder.embed(**batch), strict=True))
        return [float(vectors[a] @ vectors[b]) for a, b in items]

    def probabilities(self, items: Sequence[tuple[str, str]]) -> list[tuple[float, float, float]]:
        """(correct, contradictory, incorrect) for each (first, second) text pair, in order."""
        import torch

        out: list[tuple[float, float, float]] = []
        with torch.inference_mode():
            for start in range(0, len(items), BATCH):
                chunk = items[start : start + BATCH]
                batch = encode(self.tokenizer, [a for a, _ in chunk], [b for _, b in chunk])
                probs = torch.softmax(self.model(**batch), dim=-1)[:, self._index]
                out.extend((float(p[0]), float(p[1]), float(p[2])) for p in probs)
        return out
