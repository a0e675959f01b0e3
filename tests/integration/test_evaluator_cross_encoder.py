"""The shipped cross-encoder artifact: loads as the app loads it, scores an HR-style rubric."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.evaluator.base import ARTIFACT_DIR

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

if not (ARTIFACT_DIR / "evaluator.json").is_file():
    pytest.skip("needs the shipped artifact in bot/evaluator/artifact", allow_module_level=True)

from bot.roles.schema import Question  # noqa: E402

QUESTION = Question(
    id="incident",
    competency="ops",
    text="A web service starts returning errors after a deploy. What do you do first?",
    reference_answer="Roll back the deploy to restore service, then read the logs for the cause.",
    key_points=[
        {"id": "rollback", "text": "Roll back the deploy to restore service."},
        {"id": "logs", "text": "Read the logs to find the cause."},
        {"id": "tell", "text": "Tell the users and the team what is happening."},
    ],
    anchors={
        "1": "No plan.",
        "3": "Restores or investigates.",
        "5": "Restores, investigates, tells.",
    },
)


@pytest.fixture(scope="module")
def scorer():
    from bot.evaluator import load_scorer
    from bot.settings import Settings

    settings = Settings(evaluator_model="", models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    return load_scorer(settings)


def test_artifact_is_small_and_its_version_is_stamped_on_scores(scorer):
    info = json.loads((ARTIFACT_DIR / "evaluator.json").read_text())
    size = sum(p.stat().st_size for p in ARTIFACT_DIR.iterdir())
    assert size <= 25 * 1024 * 1024
    assert (ARTIFACT_DIR / "MODEL_CARD.md").read_text().count(info["version"]) >= 1
    result = scorer.score(QUESTION, "I would roll back the release.")
    assert result.model_version == info["version"] == scorer.version


# Measured with the 20261125 artifact: "tell" is marked covered (0.69) on the passage "Then I go
# through the logs ... I like working in small teams." -- a false coverage a recruiter can see
# from the quoted evidence. Kept visible (issue 8), not loosened.
@pytest.mark.xfail(reason="'tell' credited to a passage about logs and small teams (0.69)")
def test_good_answer_covers_points_with_the_right_sentences(scorer):
    answer = (
        "First I roll back the deploy so users get a working service again. "
        "Then I go through the logs to see what caused the errors. "
        "I like working in small teams."
    )
    result = scorer.score(QUESTION, answer)
    evidence = {k.key_point_id: k.evidence for k in result.key_points if k.covered}
    assert "rollback" in evidence and "roll back" in evidence["rollback"]
    assert "logs" in evidence and "logs" in evidence["logs"]
    assert "tell" in result.missing
    assert not any(k.contradicted for k in result.key_points)
    assert result.level >= 3 and result.label in ("correct", "partial")
    assert '"First I roll back the deploy' in result.explanation


def test_off_topic_and_opposite_answers_score_below_a_good_one(scorer):
    good = scorer.score(QUESTION, "Roll back the deploy, then check the logs and tell the team.")
    off = scorer.score(QUESTION, "I enjoy hiking and I am good with spreadsheets.")
    assert off.score < 0.3 and off.level <= 2
    assert good.score > off.score + 0.4
    assert set(off.missing) == {"rollback", "logs", "tell"}
    assert not any(k.contradicted for k in off.key_points)  # absent, not opposite


def test_a_long_answer_is_judged_whole_a_point_in_the_last_paragraph_counts(scorer):
    filler = " ".join(
        f"Before that, in step {i}, I checked that the dashboards for service {i} were green."
        for i in range(40)
    )
    last = "In the end I went through the logs to find the cause."
    result = scorer.score(QUESTION, f"{filler} {last}")
    assert "logs" not in result.missing


def test_loading_the_evaluator_needs_no_peft():
    code = (
        "import sys; from bot.evaluator import load_judge; "
        f"load_judge('', __import__('pathlib').Path({str(ROOT / 'var' / 'models')!r})); "
        "print('peft' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
