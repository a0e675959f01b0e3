"""The answer evaluator: scores an answer against its question's rubric, with evidence.

`load_scorer(settings)` is the one entry point the service uses. Heavy libraries (torch,
transformers) load inside it, so importing this package stays fast.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import ModelError
from bot.evaluator.rubric import Pair, PairJudge, RubricScorer, Verdict
from bot.ports import Scorer
from bot.settings import Settings

__all__ = ["Pair", "PairJudge", "RubricScorer", "Verdict", "load_judge", "load_scorer"]


def load_scorer(settings: Settings) -> Scorer:
    """The evaluator named by `settings.evaluator_model` (empty: the shipped artifact).

    Its model calls go through one worker that batches what concurrent turns ask for."""
    from bot.evaluator.batching import BatchingJudge

    judge = BatchingJudge(load_judge(settings.evaluator_model, settings.model_cache_dir))
    return RubricScorer(judge, settings.answer_char_limit, judge.review_below)


def load_judge(name: str = "", cache_dir: Path = Path("var/models")) -> PairJudge:
    """The judge of an artifact folder ('' = the shipped bot/evaluator/artifact)."""
    from bot.evaluator.base import ARTIFACT_DIR, base_folder, limit_threads
    from bot.evaluator.combiner import Logistic
    from bot.evaluator.cross_encoder import CrossEncoder, Embedder, read_info
    from bot.evaluator.judge import ModelJudge

    folder = Path(name) if name else ARTIFACT_DIR
    if name and not (folder / "evaluator.json").is_file():
        raise ModelError(
            f"evaluator_model {name!r} is not an evaluator artifact (no evaluator.json in it): "
            "point INTERVIEWER_EVALUATOR_MODEL at a folder written by `interviewer evaluator "
            "train`, or leave it empty for the shipped artifact"
        )
    info = read_info(folder)
    limit_threads()
    try:
        cross = CrossEncoder.load(folder, base_folder(info["base"], cache_dir), info)
        embedder = Embedder(base_folder(info.get("embedder", info["base"]), cache_dir))
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(
            f"could not load the evaluator artifact in {folder}: {exc}; retrain it with "
            "`interviewer evaluator train --out DIR` or reinstall the project"
        ) from exc
    combiner = Logistic.from_dict(info["combiner"]) if info.get("combiner") else None
    doubt = Logistic.from_dict(info["doubt"]) if info.get("doubt") else None
    return ModelJudge(
        cross, embedder, info["version"], combiner, doubt, float(info["threshold"]),
        float(info.get("review_below", 0.6)), tuple(info.get("label_bias", (0.0, 0.0, 0.0))),
    )  # fmt: skip
