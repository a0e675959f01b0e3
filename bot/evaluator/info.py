"""An evaluator artifact's evaluator.json: what it is, how it was built, how to combine it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.core.errors import ModelError


def read_info(folder: Path) -> dict[str, Any]:
    """evaluator.json of an artifact folder, or a ModelError that says what to do."""
    try:
        info: dict[str, Any] = json.loads((folder / "evaluator.json").read_text())
        info["architecture"]  # noqa: B018  (a v1 artifact has none)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(
            f"{folder} is not an evaluator artifact of this version ({exc}); retrain it with "
            "`interviewer evaluator train --out DIR` or reinstall the project"
        ) from exc
    return info
