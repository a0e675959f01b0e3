"""The trained cross-encoder and the untrained bi-encoder on torch: for training, and for
exporting to ONNX (bot/encoders/export.py), which is what the app scores with.

An artifact folder holds `evaluator.json` (version, architecture, base, combiner), the base's
`tokenizer.json`, and `model.safetensors`: the head, LoRA pairs and any fully trained layer,
in fp16. Loading builds the base from its package or cache through transformers' AutoModel,
folds the adapters into its weights and keeps the result in eval mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.errors import ModelError
from bot.encoders.tokens import PairTokenizer, token_batches
from bot.evaluator.pair_model import Architecture, PairModel, load_backbone, merge_adapters

Output = tuple[float, float, float, float]  # P(correct), P(contradictory), P(incorrect), grade
TOKENS_PER_BATCH = 8192


@lru_cache(maxsize=1)
def bf16_ok() -> bool:
    """True where the CPU computes bf16 natively (there it is ~2x faster than fp32)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def _autocast() -> Any:
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16_ok())


class CrossEncoder:
    """(first, second) text pairs -> the head's 3-way probabilities and grade."""

    def __init__(self, model: Any, tokenizer: PairTokenizer) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer

    @classmethod
    def load(cls, folder: Path, base: Path, info: dict[str, Any]) -> CrossEncoder:
        """Build the base, fold in the artifact's adapters and head."""
        from safetensors.torch import load_file

        arch = Architecture.from_dict(info["architecture"])
        model = PairModel(load_backbone(base), arch)
        state = load_file(str(folder / "model.safetensors"))
        adapters = {k.removeprefix("backbone."): v for k, v in state.items() if ".lora_" in k}
        rest = {k: v.float() for k, v in state.items() if ".lora_" not in k}
        merge_adapters(model.backbone, adapters, float(info.get("lora_scale", 0.0)))
        missing = set(rest) - set(model.state_dict())
        if missing:
            raise ModelError(f"the artifact's weights do not fit its base: {sorted(missing)[:3]}")
        model.load_state_dict(rest, strict=False)
        return cls(model, PairTokenizer(folder / "tokenizer.json", arch.max_length))

    def outputs(self, items: Sequence[tuple[str, str]]) -> list[Output]:
        """One output per pair, in order; batches sorted by length carry little padding."""
        import torch

        lengths = [self.tokenizer.length(a, b) for a, b in items]
        out: list[Output | None] = [None] * len(items)
        with torch.inference_mode(), _autocast():
            for idx in token_batches(lengths, TOKENS_PER_BATCH):
                enc = self.tokenizer.batch([items[i][0] for i in idx], [items[i][1] for i in idx])
                raw = self.model(**enc).float()
                probs = torch.softmax(raw[:, :3], dim=-1).tolist()
                grades = torch.sigmoid(raw[:, 3]).tolist()
                for i, p, g in zip(idx, probs, grades, strict=True):
                    out[i] = (p[0], p[1], p[2], g)
        return [o for o in out if o is not None]


class Embedder:
    """The untouched sentence-transformer: unit-length mean-pooled text embeddings."""

    def __init__(self, folder: Path, max_length: int = 256) -> None:
        self.backbone = load_backbone(folder).eval()
        self.tokenizer = PairTokenizer(folder / "tokenizer.json", max_length)
        self.uses_types = getattr(self.backbone.config, "type_vocab_size", 0) > 1
        self._cache: dict[str, Any] = {}

    def embed(self, texts: Sequence[str]) -> dict[str, Any]:
        """Vectors by text; each distinct text is encoded once per process (bounded cache)."""
        import torch

        todo = sorted({t for t in texts if t not in self._cache})
        lengths = [self.tokenizer.length(t) for t in todo]
        with torch.inference_mode(), _autocast():
            for idx in token_batches(lengths, TOKENS_PER_BATCH):
                enc = self.tokenizer.batch([todo[i] for i in idx])
                if not self.uses_types:
                    enc.pop("token_type_ids")
                hidden = self.backbone(**enc).last_hidden_state.float()
                mask = enc["attention_mask"].unsqueeze(-1).float()
                pooled = torch.nn.functional.normalize(
                    (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0), dim=-1
                )
                for i, vec in zip(idx, pooled, strict=True):
                    self._cache[todo[i]] = vec
        found = {t: self._cache[t] for t in texts}
        if len(self._cache) > 20000:  # a long-running server keeps only the recent texts
            self._cache.clear()
        return found

    def cosines(self, items: Sequence[tuple[str, str]]) -> list[float]:
        """Cosine similarity per (a, b) pair."""
        vectors = self.embed([t for item in items for t in item])
        return [float(vectors[a] @ vectors[b]) for a, b in items]
