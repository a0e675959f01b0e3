"""A BERT cross-encoder forward pass in plain torch, for fast cold starts at inference.

Importing transformers takes 2-3 s on the 2-core target machine, longer than the whole
evaluator may take to load; this module runs the same computation as transformers'
`BertForSequenceClassification` (eval mode, absolute positions, GELU) using torch,
`tokenizers` and `safetensors` only. tests/integration/test_evaluator_encoder.py checks it
against transformers on the same weights. Parameter names follow transformers' state dict, so
weights trained there load here unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F


class _Attention(nn.Module):
    def __init__(self, hidden: int, heads: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.self: Any = nn.Module()
        self.self.query = nn.Linear(hidden, hidden)
        self.self.key = nn.Linear(hidden, hidden)
        self.self.value = nn.Linear(hidden, hidden)
        self.output: Any = nn.Module()
        self.output.dense = nn.Linear(hidden, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        split = (b, n, self.heads, h // self.heads)
        q = self.self.query(x).view(split).transpose(1, 2)
        k = self.self.key(x).view(split).transpose(1, 2)
        v = self.self.value(x).view(split).transpose(1, 2)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        ctx = ctx.transpose(1, 2).reshape(b, n, h)
        return self.output.LayerNorm(self.output.dense(ctx) + x)


class _Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inner: int, eps: float) -> None:
        super().__init__()
        self.attention = _Attention(hidden, heads, eps)
        self.intermediate: Any = nn.Module()
        self.intermediate.dense = nn.Linear(hidden, inner)
        self.output: Any = nn.Module()
        self.output.dense = nn.Linear(inner, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.attention(x, mask)
        return self.output.LayerNorm(self.output.dense(F.gelu(self.intermediate.dense(x))) + x)


class CrossEncoder(nn.Module):
    """BERT + pooler + linear head, laid out like transformers' BertForSequenceClassification."""

    def __init__(self, config: dict[str, Any], num_labels: int = 3) -> None:
        super().__init__()
        hidden, eps = config["hidden_size"], config["layer_norm_eps"]
        self.bert: Any = nn.Module()
        emb: Any = nn.Module()
        self.bert.embeddings = emb
        emb.word_embeddings = nn.Embedding(config["vocab_size"], hidden, padding_idx=0)
        emb.position_embeddings = nn.Embedding(config["max_position_embeddings"], hidden)
        emb.token_type_embeddings = nn.Embedding(config["type_vocab_size"], hidden)
        emb.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.bert.encoder = nn.Module()
        self.bert.encoder.layer = nn.ModuleList(
            _Layer(hidden, config["num_attention_heads"], config["intermediate_size"], eps)
            for _ in range(config["num_hidden_layers"])
        )
        self.bert.pooler = nn.Module()
        self.bert.pooler.dense = nn.Linear(hidden, hidden)
        self.classifier = nn.Linear(hidden, num_labels)

    def hidden(
        self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> torch.Tensor:
        """Last-layer hidden states, one row of vectors per input."""
        emb = self.bert.embeddings
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = (
            emb.word_embeddings(input_ids)
            + emb.position_embeddings(positions)[None]
            + emb.token_type_embeddings(token_type_ids)
        )
        x = emb.LayerNorm(x)
        # Additive mask: padded keys get -inf-like weight, broadcast over heads and queries.
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.bert.encoder.layer:
            x = layer(x, mask)
        return x

    def forward(
        self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> torch.Tensor:
        """Logits, one row per pair."""
        x = self.hidden(input_ids, token_type_ids, attention_mask)
        pooled = torch.tanh(self.bert.pooler.dense(x[:, 0]))
        return self.classifier(pooled)

    def embed(
        self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> torch.Tensor:
        """Unit-length mean-pooled sentence embeddings (how all-MiniLM-L6-v2 was trained)."""
        x = self.hidden(input_ids, token_type_ids, attention_mask)
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        return F.normalize((x * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)


def load_cross_encoder(base: Path, weights: list[Path], num_labels: int = 3) -> CrossEncoder:
    """Base model weights, overlaid by each file in `weights` (later files win), in eval mode.

    With no `weights` the head stays untrained: use the result only for `embed`."""
    from safetensors.torch import load_file

    config = json.loads((base / "config.json").read_text())
    model = CrossEncoder(config, num_labels)
    state: dict[str, torch.Tensor] = {}
    for name, tensor in load_file(str(base / "model.safetensors")).items():
        key = name if name.startswith("bert.") else f"bert.{name}"
        state[key] = tensor
    for path in weights:
        state.update(load_file(str(path)))
    state = {k: v.float() for k, v in state.items() if not k.endswith("position_ids")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if not weights:
        missing = [k for k in missing if not k.startswith("classifier.")]
    if missing or unexpected:
        raise ValueError(
            f"weights do not fit the model: missing {missing}, unexpected {unexpected}"
        )
    return model.eval()
