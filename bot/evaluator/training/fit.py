"""Fine-tuning the cross-encoder (transformers + accelerate + peft), predicting, exporting.

The top layers of the packaged base learn through LoRA adapters (or in full for a small
base); the head learns a 3-way label and a 0..1 grade. Partial credit (SAF) trains the grade
directly and the 3-way head softly: a 0.6 answer is 60% "correct", 40% "incorrect".
"""

from __future__ import annotations

import json
import math
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.encoders.tokens import PairTokenizer
from bot.evaluator.data import Row
from bot.evaluator.pair_model import (
    LABEL_ORDER,
    Architecture,
    PairModel,
    freeze_below,
    load_backbone,
    trained_linear_names,
)
from bot.evaluator.training.augment import inject_instruction, perturb


@dataclass(frozen=True)
class Recipe:
    """Everything that decides a training run's result."""

    arch: Architecture = Architecture()
    epochs: int = 5  # MiniLM: 2 -> 4 -> 6 epochs kept raising unseen-answer F1 (model card)
    lr: float = 1e-4  # full fine-tuning; LoRA adapters want about 3e-4
    tokens_per_batch: int = 4096  # padded tokens per step: short pairs batch wide, long ones narrow
    max_batch: int = 32
    augment: float = 0.25  # share of answers rewritten each epoch (augment.perturb)
    instructed: float = 0.1  # share also seen with an instruction to the grader (label kept)
    swap: float = 0.1  # share of correct answers also used as the reference
    off_topic: float = 0.08  # share paired with another question's reference: "incorrect"
    grade_weight: float = 1.0  # weight of the grade loss beside the 3-way loss
    seed: int = 13


@dataclass(frozen=True)
class Example:
    """One training pair and what it should say."""

    first: str  # the reference (or key point)
    second: str  # the answer
    target: tuple[float, float, float]  # correct, contradictory, incorrect (soft)
    grade: float  # 0..1


def targets(row: Row) -> tuple[tuple[float, float, float], float]:
    """The row's soft 3-way target and 0..1 grade."""
    grade = row.unit_score
    if row.label in LABEL_ORDER:
        hard = LABEL_ORDER.index(str(row.label))
        return tuple(float(i == hard) for i in range(3)), grade  # type: ignore[return-value]
    return (grade, 0.0, 1.0 - grade), grade  # partial credit: correct and incorrect mixed


def _overlap(a: str, b: str) -> float:
    x, y = set(a.lower().split()), set(b.lower().split())
    return len(x & y) / max(1, len(x | y))


def epoch_examples(rows: Sequence[Row], recipe: Recipe, rng: random.Random) -> list[Example]:
    """One epoch's examples, with this epoch's rewrites and off-topic negatives."""
    pool = [r.answer for r in rng.sample(list(rows), min(len(rows), 500))]
    by_group: dict[str, list[Row]] = {}
    for row in rows:
        by_group.setdefault(row.group, []).append(row)
    groups = sorted(by_group)
    out: list[Example] = []
    for row in rows:
        target, grade = targets(row)
        if target[0] >= 0.5:  # a correct answer matches the reference it paraphrases best
            ref = max(row.references, key=lambda r: _overlap(r, row.answer))
        else:
            ref = rng.choice(row.references)
        answer = perturb(row.answer, rng, pool) if rng.random() < recipe.augment else row.answer
        out.append(Example(ref, answer, target, grade))
        if rng.random() < recipe.instructed:  # same answer, same label, grader told otherwise
            out.append(Example(ref, inject_instruction(row.answer, rng), target, grade))
        if target[0] == 1.0 and rng.random() < recipe.swap:
            out.append(Example(row.answer, ref, (1.0, 0.0, 0.0), 1.0))
        if rng.random() < recipe.off_topic:  # an answer to another question says nothing here
            other = by_group[rng.choice(groups)][0]
            if other.group != row.group:
                out.append(Example(rng.choice(other.references), row.answer, (0, 0, 1.0), 0.0))
    for refs in {r.group: r.references for r in rows}.values():  # references agree
        if len(refs) > 1:
            a, b = rng.sample(list(refs), 2)
            out.append(Example(a, b, (1.0, 0.0, 0.0), 1.0))
    return out


def batches(
    examples: Sequence[Example], lengths: Sequence[int], recipe: Recipe, rng: random.Random
) -> list[list[int]]:
    """Shuffled batches of example indexes of similar length, within the token budget."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    out: list[list[int]] = []
    chunk = recipe.max_batch * 40
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        batch: list[int] = []
        for i in part:
            width = max([lengths[j] for j in batch] + [lengths[i]])
            if batch and (
                width * (len(batch) + 1) > recipe.tokens_per_batch or len(batch) >= recipe.max_batch
            ):
                out.append(batch)
                batch = []
            batch.append(i)
        if batch:
            out.append(batch)
    rng.shuffle(out)
    return out


def build_model(base: Path, recipe: Recipe) -> Any:
    """The base with a fresh head; lower layers frozen; LoRA on the top layers' Linears."""
    from accelerate.utils import set_seed

    set_seed(recipe.seed)  # the new head (and LoRA matrices) start from seeded random values
    arch = recipe.arch
    backbone = load_backbone(base)
    freeze_below(backbone, arch)
    if arch.lora_rank:
        from peft import LoraConfig, get_peft_model

        config = LoraConfig(
            r=arch.lora_rank,
            lora_alpha=2 * arch.lora_rank,
            lora_dropout=0.05,
            target_modules=trained_linear_names(backbone, arch),
        )
        backbone = get_peft_model(backbone, config)
    return PairModel(backbone, arch)


def label_weights(examples: Sequence[Example]) -> Any:
    """Loss weight per label, n / (labels * count): each label weighs the same in total."""
    import torch

    counts = [sum(e.target[k] for e in examples) for k in range(3)]
    total = sum(counts)
    return torch.tensor([total / (3 * max(c, 1.0)) for c in counts])


def train(
    model: Any, tokenizer: PairTokenizer, rows: Sequence[Row], recipe: Recipe, label: str = ""
) -> Any:
    """Fine-tune `model` on `rows` in place (seeded, bf16 autocast); returns it in eval mode."""
    import torch
    from accelerate import Accelerator
    from accelerate.utils import set_seed
    from tqdm.auto import tqdm
    from transformers import get_linear_schedule_with_warmup

    set_seed(recipe.seed)
    rng = random.Random(recipe.seed)
    epochs = [epoch_examples(rows, recipe, rng) for _ in range(recipe.epochs)]
    lengths = [[tokenizer.length(e.first, e.second) for e in ex] for ex in epochs]
    plans = [batches(ex, ln, recipe, rng) for ex, ln in zip(epochs, lengths, strict=True)]
    total = sum(len(p) for p in plans)
    accelerator = Accelerator(cpu=True, mixed_precision="bf16")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=recipe.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.06 * total), total)
    model, optimizer, schedule = accelerator.prepare(model, optimizer, schedule)
    weights = label_weights(epochs[0])
    model.train()
    bar = tqdm(total=total, desc=f"train {label}".strip(), unit="batch", mininterval=10)
    for examples, plan in zip(epochs, plans, strict=True):
        for idx in plan:
            batch = [examples[i] for i in idx]
            enc = tokenizer.batch([e.first for e in batch], [e.second for e in batch])
            out = model(**enc).float()
            soft = torch.tensor([e.target for e in batch])
            logp = torch.log_softmax(out[:, :3], dim=-1)
            loss = -(soft * logp * weights).sum(-1).mean()
            grade = torch.tensor([e.grade for e in batch])
            loss = (
                loss
                + recipe.grade_weight
                * torch.nn.functional.binary_cross_entropy_with_logits(out[:, 3], grade)
            )
            accelerator.backward(loss)
            accelerator.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}", refresh=False)
    bar.close()
    return accelerator.unwrap_model(model).eval()


def trained_state(model: Any) -> tuple[dict[str, Any], float]:
    """(tensors, LoRA scale): the head, LoRA pairs named after their base Linear, and any
    fully trained layer, all in fp16; nothing the package already ships."""
    state: dict[str, Any] = {}
    scale = 0.0
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        key = name
        if ".lora_A." in name or ".lora_B." in name:
            # backbone.base_model.model.encoder.layer.9.attention.attn.q.lora_A.default.weight
            module, kind = name.split(".lora_")
            key = f"backbone.{module.split('base_model.model.', 1)[1]}.lora_{kind[0]}"
        state[key] = p.detach().to("cpu").half().contiguous()
    if any(k.endswith(".lora_A") for k in state):
        scale = 2.0  # lora_alpha = 2 * rank
    return state, scale


def export(model: Any, base: Path, out: Path, info: dict[str, Any]) -> int:
    """Write the artifact folder; returns the weights file's size in bytes."""
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    state, scale = trained_state(model)
    info = {**info, "lora_scale": scale}
    save_file(state, str(out / "model.safetensors"), metadata={"version": info["version"]})
    shutil.copyfile(base / "tokenizer.json", out / "tokenizer.json")
    (out / "evaluator.json").write_text(json.dumps(info, indent=2) + "\n")
    return (out / "model.safetensors").stat().st_size


def steps_per_epoch(n_rows: int, recipe: Recipe) -> int:
    """A rough count of batches per epoch, for progress estimates."""
    return math.ceil(n_rows * (1.1 + recipe.instructed) / recipe.max_batch)
