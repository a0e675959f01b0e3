"""Tokenising text pairs and single texts for the encoders (`tokenizers` only), and batching
them by length."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


class PairTokenizer:
    """A base model's tokenizer.json, truncating the longer side of a pair first."""

    def __init__(self, path: Path, max_length: int) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(path))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length, strategy="longest_first")
        self.max_length = max_length
        pad = self.tokenizer.token_to_id("<pad>")
        self.pad_id = pad if pad is not None else (self.tokenizer.token_to_id("[PAD]") or 0)

    def length(self, first: str, second: str | None = None) -> int:
        """Tokens in the (truncated) pair or text."""
        return len(self.tokenizer.encode(first, second).ids)

    def count(self, text: str) -> int:
        """Tokens in one text alone, without truncation or special tokens."""
        self.tokenizer.no_truncation()
        try:
            return len(self.tokenizer.encode(text, add_special_tokens=False).ids)
        finally:
            self.tokenizer.enable_truncation(self.max_length, strategy="longest_first")

    def batch(self, firsts: Sequence[str], seconds: Sequence[str] | None = None) -> dict[str, Any]:
        """Padded tensors for pairs (or single texts when `seconds` is None)."""
        if seconds is None:
            encs = self.tokenizer.encode_batch(list(firsts))
        else:
            encs = self.tokenizer.encode_batch(list(zip(firsts, seconds, strict=True)))
        return self._pad([e.ids for e in encs], [e.type_ids for e in encs])

    def arrays(self, firsts: Sequence[str], seconds: Sequence[str] | None = None) -> dict[str, Any]:
        """Padded int64 numpy arrays for pairs (or single texts): ONNX Runtime's feeds."""
        if seconds is None:
            encs = self.tokenizer.encode_batch(list(firsts))
        else:
            encs = self.tokenizer.encode_batch(list(zip(firsts, seconds, strict=True)))
        return self._pad_arrays([e.ids for e in encs], [e.type_ids for e in encs])

    def _pad_arrays(
        self, ids: Sequence[Sequence[int]], types: Sequence[Sequence[int]]
    ) -> dict[str, Any]:
        import numpy as np

        width = max(len(r) for r in ids)
        out_ids = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        out_types = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for i, (r, t) in enumerate(zip(ids, types, strict=True)):
            out_ids[i, : len(r)] = r
            out_types[i, : len(r)] = t
            mask[i, : len(r)] = 1
        return {"input_ids": out_ids, "token_type_ids": out_types, "attention_mask": mask}

    def _pad(self, ids: Sequence[Sequence[int]], types: Sequence[Sequence[int]]) -> dict[str, Any]:
        import torch

        return {k: torch.from_numpy(v) for k, v in self._pad_arrays(ids, types).items()}


def token_batches(
    lengths: Sequence[int], budget: int, cap: int = 64, stretch: float = 1.3
) -> list[list[int]]:
    """Indexes grouped by length into batches of at most `budget` padded tokens.

    A batch also closes when the next item is more than `stretch` times its shortest: one
    long (reference, whole answer) pair padded together with a dozen short key-point pairs
    made every short pair cost as much as the long one (measured: 3x slower per answer).
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    out: list[list[int]] = []
    batch: list[int] = []
    for i in order:
        if batch and (
            lengths[i] * (len(batch) + 1) > budget
            or len(batch) >= cap
            or lengths[i] > stretch * max(lengths[batch[0]], 16)
        ):
            out.append(batch)
            batch = []
        batch.append(i)
    if batch:
        out.append(batch)
    return out
