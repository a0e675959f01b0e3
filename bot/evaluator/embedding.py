"""A PairJudge from MiniLM sentence embeddings: the fallback when no trained artifact exists.

Cosine similarity between mean-pooled embeddings says how close two texts are in topic, not
whether they agree, so it never reports a contradiction. The cross-encoder replaces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.evaluator.rubric import Pair, Verdict

LOW, HIGH = 0.25, 0.85  # cosine mapped linearly onto 0..1 support between these


class EmbeddingJudge:
    """Support = rescaled cosine similarity of MiniLM embeddings (no contradiction signal)."""

    threshold = 0.5

    def __init__(self, folder: Path, max_length: int = 128) -> None:
        from transformers import AutoModel, AutoTokenizer

        from bot.evaluator.base import limit_threads

        limit_threads()
        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        self.model = AutoModel.from_pretrained(folder).eval()
        self.max_length = max_length
        self.version = "minilm-embedding-v1"

    def judge(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """One verdict per pair, from the cosine of the two texts' embeddings."""
        texts = sorted({t for p in pairs for t in (p.reference, p.answer)})
        vectors = dict(zip(texts, self._embed(texts), strict=True))
        out = []
        for p in pairs:
            cosine = float(vectors[p.reference] @ vectors[p.answer])
            support = min(1.0, max(0.0, (cosine - LOW) / (HIGH - LOW)))
            out.append(Verdict(support, 0.0, 1.0 - support, support))
        return out

    def _embed(self, texts: list[str]):  # -> torch.Tensor, normalised rows
        import torch

        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)
