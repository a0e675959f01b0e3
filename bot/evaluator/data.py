"""Graded-answer rows (shared/bench/FORMAT.md) and grouped folds for training and benchmarks."""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import ConfigError

# shared/ sits beside the repository (README of shared/data/asag); override with --data-dir.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "asag"
TRAIN_FILES = ("scientsbank_train.jsonl", "beetle_train.jsonl", "saf_english_train.jsonl")
TEST_FILES = ("scientsbank_test_ua.jsonl", "beetle_test_ua.jsonl")
# Placeholders for a missing answer (SAF's "No response.", scored 0): they flatter every
# correlation, so measurements leave them out.
PLACEHOLDERS = frozenset({"no response.", "no response", "no answer", "no answer.", ""})


@dataclass(frozen=True)
class Row:
    """One human-graded answer."""

    id: str
    dataset: str
    question_id: str
    question: str
    references: tuple[str, ...]
    answer: str
    score: float
    score_min: float
    score_max: float
    label: str | None
    split: str = ""
    module: str = ""  # a course module (SAF): CV holds out whole modules

    @property
    def placeholder(self) -> bool:
        """True for a stand-in for a missing answer, which measurements leave out."""
        return self.answer.strip().lower() in PLACEHOLDERS

    @property
    def unit_score(self) -> float:
        """The human score on 0..1."""
        span = self.score_max - self.score_min
        return (self.score - self.score_min) / span if span else self.score

    @property
    def group(self) -> str:
        """Rows of one question share a group: they never sit on both sides of a split."""
        return f"{self.dataset}/{self.question_id}"


def read_rows(path: Path) -> list[Row]:
    """Rows of one JSONL file; a bad line names file:line and the missing field."""
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                refs = tuple(raw.get("reference_answers") or [raw["reference_answer"]])
                rows.append(
                    Row(
                        id=str(raw["id"]),
                        dataset=str(raw.get("dataset", path.stem)),
                        question_id=str(raw["question_id"]),
                        question=str(raw.get("question", "")),
                        references=refs,
                        answer=str(raw["answer"]),
                        score=float(raw["score"]),
                        score_min=float(raw.get("score_min", 0.0)),
                        score_max=float(raw.get("score_max", 1.0)),
                        label=raw.get("label"),
                        split=str(raw.get("split", "")),
                        module=str(raw.get("module") or ""),
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ConfigError(
                    f"{path}:{number}: not a graded-answer row ({exc!r}); "
                    "see shared/bench/FORMAT.md for the fields"
                ) from exc
    return rows


def file_digest(path: Path) -> str:
    """sha256 of a data file, recorded in reports so a run can be traced to its data."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def grouped_folds(rows: Sequence[Row], k: int, seed: int) -> list[list[int]]:
    """k lists of row indexes; every question's rows fall in exactly one fold.

    Rows with a `module` are grouped by module (a whole course module held out at once, the
    way a new role's questions arrive); the rest by question. Groups are shuffled with the
    seed and dealt greedily to the fold with the fewest rows, per dataset, so folds are of
    similar size and mix the domains.
    """
    by_group: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_group[f"{row.dataset}/{row.module}" if row.module else row.group].append(i)
    folds: list[list[int]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for dataset in sorted({r.dataset for r in rows}):
        groups = sorted(g for g in by_group if g.startswith(f"{dataset}/"))
        rng.shuffle(groups)
        sizes = [0] * k
        for g in groups:
            target = min(range(k), key=lambda f: sizes[f])
            folds[target].extend(by_group[g])
            sizes[target] += len(by_group[g])
    return [sorted(f) for f in folds]


def jsonl_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Existing files, or a ConfigError naming the one that is missing."""
    out = []
    for p in map(Path, paths):
        if not p.is_file():
            raise ConfigError(f"{p}: no such data file; pass a graded-answers JSONL (FORMAT.md)")
        out.append(p)
    return out
