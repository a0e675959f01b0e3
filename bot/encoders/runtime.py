"""The exported encoders served by ONNX Runtime: no torch in the serving process.

Threads: each session computes on `threads` threads and never spins waiting for work (ONNX
Runtime's default spin keeps a core busy after every call, and on two cores that core is the
one the model process is writing on).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.core.errors import ModelError
from bot.encoders.export import MODEL_FILE, TOKENIZER_FILE
from bot.encoders.tokens import PairTokenizer, token_batches

TOKENS_PER_BATCH = 8192
Output = tuple[float, float, float, float]  # P(correct), P(contradictory), P(incorrect), grade
CACHE_TEXTS = 20_000  # sentence vectors kept per process; a long-running server keeps recent ones


def session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own types for a missing or bad file
        raise ModelError(
            f"ONNX Runtime could not load {path}: {error}; delete {path.parent} and run "
            "`interviewer prepare` to export it again"
        ) from error


class PairEncoder:
    """(first, second) text pairs -> the head's 3-way probabilities and grade."""

    def __init__(self, folder: Path, max_length: int, threads: int) -> None:
        self.session = session(folder / MODEL_FILE, threads)
        self.tokenizer = PairTokenizer(folder / TOKENIZER_FILE, max_length)

    def outputs(self, items: Sequence[tuple[str, str]]) -> list[Output]:
        """One output per pair, in order; batches sorted by length carry little padding."""
        import numpy as np

        lengths = [self.tokenizer.length(a, b) for a, b in items]
        out: list[Output | None] = [None] * len(items)
        for idx in token_batches(lengths, TOKENS_PER_BATCH):
            feeds = self.tokenizer.arrays([items[i][0] for i in idx], [items[i][1] for i in idx])
            raw = self.session.run(None, feeds)[0].astype(np.float64)
            logits = raw[:, :3] - raw[:, :3].max(axis=1, keepdims=True)
            probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
            grades = 1.0 / (1.0 + np.exp(-raw[:, 3]))
            for row, i in enumerate(idx):
                p = probs[row]
                out[i] = (float(p[0]), float(p[1]), float(p[2]), float(grades[row]))
        return [o for o in out if o is not None]


class SentenceEncoder:
    """Texts -> unit-length float32 vectors (a dot product is a cosine).

    Each distinct text is encoded once per process (bounded cache): the evaluator asks for
    the same key points and reference answers on every turn of a role. The cache is keyed by
    a digest of the text, never the text: candidates' sentences pass through it, and an
    erasure must leave nothing readable behind.
    """

    def __init__(self, folder: Path, threads: int, max_length: int = 256) -> None:
        self.session = session(folder / MODEL_FILE, threads)
        self.tokenizer = PairTokenizer(folder / TOKENIZER_FILE, max_length)
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()  # a tokenizer is not to be shared by two threads at once

    def _run(self, texts: Sequence[str]) -> Any:
        """One row per text, in order, batched by length (the caller holds the lock)."""
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        lengths = [self.tokenizer.length(t) for t in texts]
        for idx in token_batches(lengths, TOKENS_PER_BATCH):
            out[idx] = self.session.run(None, self.tokenizer.arrays([texts[i] for i in idx]))[0]
        return out

    def vectors(self, texts: Sequence[str]) -> dict[str, Any]:
        """A vector per distinct text, remembered for the next call."""
        with self._lock:
            keys = {t: _digest(t) for t in texts}
            todo = sorted({t for t in texts if keys[t] not in self._cache})
            if todo:
                for text, vector in zip(todo, self._run(todo), strict=True):
                    self._cache[keys[text]] = vector
            out = {t: self._cache[keys[t]] for t in texts}
            if len(self._cache) > CACHE_TEXTS:
                self._cache.clear()
            return out

    def encode(self, texts: Sequence[str]) -> Any:
        """One row per text, in the order given (documents: encoded once, not remembered)."""
        with self._lock:
            return self._run(list(texts))

    def cosines(self, items: Sequence[tuple[str, str]]) -> list[float]:
        """Cosine similarity per (a, b) pair."""
        found = self.vectors([t for item in items for t in item])
        return [float(found[a] @ found[b]) for a, b in items]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=16).digest()


@functools.cache
def sentence_encoder(folder: Path, threads: int, max_length: int = 256) -> SentenceEncoder:
    """One SentenceEncoder per exported folder in a process: the evaluator and the knowledge
    index use the same all-MiniLM-L6-v2, held once."""
    return SentenceEncoder(folder, threads, max_length)
