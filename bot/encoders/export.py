"""torch -> ONNX, once: the trained cross-encoder and a sentence encoder, cached by what they
were made from.

An export is a folder under `<model cache>/encoders/` named after its source (the artifact's
version or the model folder, the weights' sizes, the precision, this module's FORMAT), holding
the graph, the tokenizer and `export.json`, written to a temporary folder and renamed into
place last, so a crash halfway never leaves something that looks usable.

Precision, measured (`python -m bot.evaluator.measure`, README "Measured"): int8 dynamic
quantisation scores about twice as fast, but on the cross-encoder it cost 0.012 of SciEntsBank
3-way F1 and 0.006 of SAF Pearson, and on the sentence encoder it moved which passages are
judged enough to put a weak sample answer above a strong one. fp32 (the same figures as
torch) unless INTERVIEWER_EVALUATOR_PRECISION says int8.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal

FORMAT = 1  # bump when the exported graphs change shape or meaning
MODEL_FILE, TOKENIZER_FILE, STAMP = "model.onnx", "tokenizer.json", "export.json"
Pooling = Literal["mean", "cls"]


def _weights_id(folder: Path) -> str:
    files = sorted(folder.glob("*.safetensors")) or sorted(folder.glob("*.bin"))
    return ",".join(f"{f.name}:{f.stat().st_size}" for f in files)


def _folder(cache_dir: Path, kind: str, *parts: str) -> Path:
    digest = hashlib.sha256("\n".join((str(FORMAT), kind, *parts)).encode()).hexdigest()[:12]
    return cache_dir / "encoders" / f"{kind}-{digest}"


def done(folder: Path) -> bool:
    return (folder / STAMP).is_file()


def pair_encoder(artifact: Path, base: Path, info: dict[str, Any], cache_dir: Path,
                 int8: bool) -> Path:  # fmt: skip
    """The artifact's cross-encoder (adapters folded in, head included) as ONNX."""
    target = _folder(cache_dir, "pair", info["version"], _weights_id(base),
                     _weights_id(artifact), "int8" if int8 else "fp32")  # fmt: skip
    if done(target):
        return target

    def build(work: Path) -> None:
        from bot.evaluator.cross_encoder import CrossEncoder

        model = CrossEncoder.load(artifact, base, info).model
        _export(model, work / MODEL_FILE, "logits")
        shutil.copy(artifact / "tokenizer.json", work / TOKENIZER_FILE)

    return _write(target, build, int8, {"source": info["version"], "kind": "pair"})


def sentence_encoder(folder: Path, cache_dir: Path, pooling: Pooling = "mean",
                     int8: bool = False) -> Path:  # fmt: skip
    """A sentence-transformers model as one graph: pooling and unit length inside it."""
    target = _folder(cache_dir, "sentence", str(folder.resolve()), _weights_id(folder), pooling,
                     "int8" if int8 else "fp32")  # fmt: skip
    if done(target):
        return target

    def build(work: Path) -> None:
        from bot.evaluator.pair_model import load_backbone

        _export(_pooled(load_backbone(folder).eval(), pooling), work / MODEL_FILE, "vectors")
        shutil.copy(folder / "tokenizer.json", work / TOKENIZER_FILE)

    return _write(target, build, int8, {"source": str(folder), "kind": "sentence"})


def _write(target: Path, build: Any, int8: bool, stamp: dict[str, Any]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        build(work)
        if int8:
            _quantise(work / MODEL_FILE)
        (work / STAMP).write_text(json.dumps({**stamp, "format": FORMAT, "int8": int8}) + "\n")
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _pooled(backbone: Any, pooling: Pooling) -> Any:
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.backbone = backbone
            self.uses_types = getattr(backbone.config, "type_vocab_size", 0) > 1

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            kwargs = {"token_type_ids": token_type_ids} if self.uses_types else {}
            hidden = self.backbone(
                input_ids=input_ids, attention_mask=attention_mask, **kwargs
            ).last_hidden_state
            if pooling == "cls":
                pooled = hidden[:, 0]
            else:  # mean over the real tokens, as sentence-transformers pools
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    return Pooled().eval()


def _export(model: Any, path: Path, output: str) -> None:
    import torch

    ids = torch.ones((2, 16), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes: dict[str, dict[int, str]] = {n: {0: "batch", 1: "tokens"} for n in names}
    axes[output] = {0: "batch"}
    with torch.inference_mode():
        torch.onnx.export(
            model, (ids, ids, torch.zeros_like(ids)), str(path), input_names=names,
            output_names=[output], dynamic_axes=axes, opset_version=17, dynamo=False,
        )  # fmt: skip


def _quantise(path: Path) -> None:
    """int8 weights per output channel; activations quantised per call (dynamic)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its advice to pre-process applies to convolutional models
    try:
        out = path.with_name("int8.onnx")
        quantize_dynamic(str(path), str(out), weight_type=QuantType.QInt8, per_channel=True)
        out.replace(path)
    finally:
        root.setLevel(level)
