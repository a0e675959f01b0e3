"""The cross-encoder: a packaged sentence-transformer read through transformers' own classes.

One pair (reference or key point, answer or answer window) goes in as a single sequence; the
head gives three logits (correct, contradictory, incorrect) and a grade logit (partial credit,
0..1 after a sigmoid). Only the top `trained_layers` layers learn, through LoRA adapters when
`lora_rank` > 0; the rest stay as the package ships them, so the artifact holds the adapters
and the head only, and any base that `AutoModel` reads (BERT, MPNet, ...) works the same way.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

OUTPUTS = 4  # correct, contradictory, incorrect, grade
LABEL_ORDER = ("correct", "contradictory", "incorrect")


@dataclass(frozen=True)
class Architecture:
    """What decides the shape of a trained evaluator (stored in evaluator.json)."""

    # MiniLM-L6 with every layer trained beat MPNet with LoRA on its top four layers on the
    # unseen-answer files (3-way F1 0.660 / 0.608 vs 0.584 / 0.575, SAF Pearson 0.69 vs 0.59)
    # at a third of the training time: see the model card.
    base: str = "minilm"  # 'minilm' (packaged) or 'mpnet' (`make mpnet`)
    trained_layers: int = 6  # top encoder layers that learn; the rest stay frozen
    lora_rank: int = 0  # 0: the trained layers are fine-tuned in full
    max_length: int = 320  # tokens per pair; longer answers are judged in windows

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Architecture:
        return cls(**{k: raw[k] for k in asdict(cls()) if k in raw})


class PairModel(nn.Module):
    """A base encoder, mean pooling, and a small head with 3-way and grade outputs."""

    def __init__(self, backbone: Any, arch: Architecture) -> None:
        super().__init__()
        self.backbone = backbone
        self.arch = arch
        hidden = backbone.config.hidden_size
        self.head = nn.Sequential(
            nn.Dropout(0.1), nn.Linear(hidden, hidden), nn.Tanh(), nn.Dropout(0.1),
            nn.Linear(hidden, OUTPUTS),
        )  # fmt: skip
        self.uses_types = getattr(backbone.config, "type_vocab_size", 0) > 1

    def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
        kwargs = {"token_type_ids": token_type_ids} if self.uses_types else {}
        states = self.backbone(
            input_ids=input_ids, attention_mask=attention_mask, **kwargs
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        # Mean pooling, as the sentence-transformer was trained: its untouched lower layers
        # already place similar meanings together, and the head starts from that.
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(pooled)


def encoder_layers(backbone: Any) -> Any:
    """The backbone's list of transformer layers (BERT and MPNet name them alike)."""
    return backbone.encoder.layer


def trained_linear_names(backbone: Any, arch: Architecture) -> list[str]:
    """Full names of the Linear modules inside the top `trained_layers` layers."""
    n = len(encoder_layers(backbone))
    top = set(range(n - arch.trained_layers, n))
    pattern = re.compile(r"^encoder\.layer\.(\d+)\.")
    names = []
    for name, module in backbone.named_modules():
        m = pattern.match(name)
        if m and int(m.group(1)) in top and isinstance(module, nn.Linear):
            names.append(name)
    return names


def load_backbone(folder: Path) -> Any:
    """The base encoder from a local folder, without any network access."""
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    return AutoModel.from_pretrained(str(folder), add_pooling_layer=False, local_files_only=True)


def freeze_below(backbone: Any, arch: Architecture) -> None:
    """Every weight outside the top `trained_layers` layers stops learning."""
    n = len(encoder_layers(backbone))
    for p in backbone.parameters():
        p.requires_grad_(False)
    if arch.lora_rank == 0:
        for layer in list(encoder_layers(backbone))[n - arch.trained_layers :]:
            for p in layer.parameters():
                p.requires_grad_(True)


def merge_adapters(backbone: Any, adapters: dict[str, torch.Tensor], scale: float) -> None:
    """Fold LoRA pairs (name.lora_A, name.lora_B) into the base weights: W += scale * B @ A."""
    modules = dict(backbone.named_modules())
    names = {k.rsplit(".", 1)[0] for k in adapters}
    with torch.no_grad():
        for name in names:
            a, b = adapters[f"{name}.lora_A"].float(), adapters[f"{name}.lora_B"].float()
            weight = modules[name].weight
            weight.add_((b @ a * scale).to(weight.dtype))
