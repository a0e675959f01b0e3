"""The answer evaluator: scores an answer against its question's rubric, with evidence.

`load_scorer(settings)` is the one entry point the service uses. It scores with ONNX Runtime
(bot/encoders/): the artifact's cross-encoder and the sentence encoder are exported from
torch once, at `prepare`, and the serving process never imports torch.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import ModelError
from bot.evaluator.rubric import Pair, PairJudge, RubricScorer, Verdict
from bot.ports import Scorer
from bot.settings import Settings

__all__ = [
    "Pair", "PairJudge", "RubricScorer", "Verdict", "judge_for", "load_judge", "load_scorer",
]  # fmt: skip


def load_scorer(settings: Settings) -> Scorer:
    """The evaluator named by `settings.evaluator_model` (empty: the shipped artifact).

    Its model calls go through one worker that batches what concurrent turns ask for."""
    from bot.evaluator.batching import BatchingJudge

    judge = BatchingJudge(judge_for(settings))
    return RubricScorer(judge, settings.answer_char_limit, judge.review_below)


def judge_for(settings: Settings) -> PairJudge:
    """The judge the settings name (model, cache, precision, threads), unbatched."""
    return load_judge(
        settings.evaluator_model,
        settings.model_cache_dir,
        int8=settings.evaluator_precision == "int8",
        threads=settings.evaluator_threads,
    )


def load_judge(
    name: str = "", cache_dir: Path = Path("var/models"), int8: bool = False, threads: int = 1
) -> PairJudge:
    """The judge of an artifact folder ('' = the shipped bot/evaluator/artifact), on ONNX
    Runtime; the first call for an artifact exports it (torch, about 30 s, once)."""
    from bot.encoders import export
    from bot.encoders.runtime import PairEncoder, sentence_encoder
    from bot.evaluator.base import ARTIFACT_DIR, base_folder
    from bot.evaluator.combiner import Logistic
    from bot.evaluator.info import read_info
    from bot.evaluator.judge import ModelJudge

    folder = Path(name) if name else ARTIFACT_DIR
    if name and not (folder / "evaluator.json").is_file():
        raise ModelError(
            f"evaluator_model {name!r} is not an evaluator artifact (no evaluator.json in it): "
            "point INTERVIEWER_EVALUATOR_MODEL at a folder written by `interviewer evaluator "
            "train`, or leave it empty for the shipped artifact"
        )
    info = read_info(folder)
    try:
        base = base_folder(info["base"], cache_dir)
        pair = export.pair_encoder(folder, base, info, cache_dir, int8)
        sentence_base = base_folder(info.get("embedder", info["base"]), cache_dir)
        sentence = export.sentence_encoder(sentence_base, cache_dir, int8=int8)
        cross = PairEncoder(pair, int(info["architecture"]["max_length"]), threads)
        embedder = sentence_encoder(sentence, threads)
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
