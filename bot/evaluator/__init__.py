"""The answer evaluator: scores an answer against its question's rubric, with evidence.

`load_scorer(settings)` is the one entry point the service uses. Heavy libraries (torch,
transformers) load inside it, so importing this package stays fast.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.errors import ModelError
from bot.evaluator.rubric import Pair, PairJudge, RubricScorer, Verdict
from bot.ports import Scorer
from bot.settings import Settings

__all__ = ["Pair", "PairJudge", "RubricScorer", "Verdict", "load_judge", "load_scorer"]

log = logging.getLogger(__name__)

EMBEDDING = "minilm-embedding"  # Settings.evaluator_model value that forces the untrained fallback


def load_scorer(settings: Settings) -> Scorer:
    """The evaluator named by `settings.evaluator_model` (empty: the shipped artifact)."""
    return RubricScorer(load_judge(settings.evaluator_model), settings.answer_char_limit)


def load_judge(name: str = "") -> PairJudge:
    """A PairJudge: '' = bot/evaluator/artifact, 'minilm-embedding', or an artifact folder."""
    from bot.evaluator.base import ARTIFACT_DIR, minilm_folder

    if name == EMBEDDING:
        from bot.evaluator.embedding import EmbeddingJudge

        return EmbeddingJudge(minilm_folder())
    folder = Path(name) if name else ARTIFACT_DIR
    if (folder / "evaluator.json").is_file():
        from bot.evaluator.cross_encoder import CrossEncoderJudge

        return CrossEncoderJudge.load(folder)
    if name:
        raise ModelError(
            f"evaluator_model {name!r} is not an evaluator artifact (no evaluator.json in it): "
            f"point INTERVIEWER_EVALUATOR_MODEL at a folder written by `interviewer evaluator "
            f"train`, use {EMBEDDING!r}, or leave it empty for the shipped artifact"
        )
    log.warning("no trained evaluator artifact in %s; scoring with MiniLM embeddings", folder)
    from bot.evaluator.embedding import EmbeddingJudge

    return EmbeddingJudge(minilm_folder())
