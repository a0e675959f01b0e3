"""The counterfactual audit on the sample answers: who wrote an answer must not move its score."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.evaluator.base import ARTIFACT_DIR
from bot.roles.files import load_role
from bot.staff.counterfactual import audit, sample_answers

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
GRADED = yaml.safe_load((Path(__file__).parent / "answers" / "graded.yaml").read_text())

if not (ARTIFACT_DIR / "evaluator.json").is_file():
    pytest.skip("needs the shipped artifact", allow_module_level=True)


@pytest.fixture(scope="module")
def changes():
    from bot.evaluator import load_scorer
    from bot.settings import Settings

    scorer = load_scorer(Settings(models_dir=ROOT / "var" / "models"))  # type: ignore[call-arg]
    answers = []
    for role_id in GRADED:
        answers += sample_answers(load_role(ROOT / "prompts/roles" / f"{role_id}.yaml"), GRADED)
    return {c.variant: c for c in audit(scorer, answers)}


def test_names_and_pronouns_do_not_move_scores(changes):
    assert changes["names and pronouns"].mean_abs_delta <= 0.02


@pytest.mark.parametrize("variant", ["second-language English", "regional spelling and idiom",
                                     "typos"])  # fmt: skip
def test_english_variants_move_scores_little_and_never_two_levels(changes, variant):
    assert changes[variant].mean_abs_delta <= 0.05
    assert changes[variant].level_drops_2 == 0
