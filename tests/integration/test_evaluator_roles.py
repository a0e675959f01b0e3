"""The shipped evaluator on the sample roles, as a recruiter would check it.

Strong answers score above weak ones on every question; a non-native version of each strong
answer lands within one level of it; saying it again, padding it or adding an irrelevant
sentence does not move the score; reciting the key points' words without saying anything
does not reach level 3.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.evaluator.base import ARTIFACT_DIR
from bot.evaluator.features import STOPWORDS
from bot.roles.files import load_role

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GRADED = yaml.safe_load((Path(__file__).parent / "answers" / "graded.yaml").read_text())
CASES = [(role, qid) for role, questions in GRADED.items() for qid in questions]
# Measured with the 20261125 artifact: the strong answer to customer-support q6 (owns a real
# mistake) scores 0.49 and the weak one 0.60; the model credits the weak answer's "I apologised
# and fixed it" for responsibility. Kept visible (issue 8), not dropped.
LOSES = {("customer-support", "q6-own-mistake")}
RANKED = [
    pytest.param(*c, marks=pytest.mark.xfail(reason="strong 0.49 < weak 0.60, see LOSES"))
    if c in LOSES
    else c
    for c in CASES
]

if not (ARTIFACT_DIR / "evaluator.json").is_file():
    pytest.skip("needs the shipped artifact", allow_module_level=True)


@pytest.fixture(scope="module")
def scorer():
    from bot.evaluator import load_scorer
    from bot.settings import Settings

    return load_scorer(Settings(models_dir=ROOT / "var" / "models"))  # type: ignore[call-arg]


def question(role: str, qid: str):
    template = load_role(ROOT / "prompts" / "roles" / f"{role}.yaml")
    return next(q for q in template.questions if q.id == qid)


@pytest.mark.parametrize(("role", "qid"), RANKED)
def test_strong_beats_weak_and_non_native_stays_within_a_level(scorer, role, qid):
    q, answers = question(role, qid), GRADED[role][qid]
    strong = scorer.score(q, answers["strong"])
    weak = scorer.score(q, answers["weak"])
    non_native = scorer.score(q, answers["non_native"])
    assert strong.score > weak.score, (strong.explanation, weak.explanation)
    assert abs(strong.level - non_native.level) <= 1, (strong.score, non_native.score)
    assert not any(k.contradicted for k in strong.key_points)


# Measured with asag-minilm-l6r0-s13-final-20261125-f4c51efc: 4 of the sample roles' weak
# answers score level 3 ("partial", 0.42-0.60): the evaluator is lenient on on-topic answers
# that name the point without doing it. Kept visible, not loosened (issue 8).
# HR's three examples per question moved backend q2's and customer-support q1's weak answers
# below level 3 (the evaluator alone put them at 3); these two remain: the evaluator's own
# scores of HR's level-5/3/1 examples for them barely differ (0.66/0.40/0.42 and
# 0.63/0.51/0.53), so three examples cannot teach it more. Recruiters' grades do
# (tests/integration/test_examples.py).
LENIENT = {
    ("backend-python", "q1-service-you-built"),
    ("customer-support", "q6-own-mistake"),
}


@pytest.mark.parametrize(
    ("role", "qid"),
    [
        pytest.param(*c, marks=pytest.mark.xfail(reason="weak answer at level 3, see LENIENT"))
        if c in LENIENT
        else c
        for c in CASES
    ],
)
def test_weak_answers_stay_below_level_3(scorer, role, qid):
    weak = scorer.score(question(role, qid), GRADED[role][qid]["weak"])
    assert weak.level <= 2, weak.explanation


@pytest.mark.parametrize(("role", "qid"), CASES[::3])
def test_repeating_or_padding_an_answer_does_not_move_its_score(scorer, role, qid):
    q, answer = question(role, qid), GRADED[role][qid]["strong"]
    once = scorer.score(q, answer).score
    for times in (3, 10):
        assert abs(scorer.score(q, " ".join([answer] * times)).score - once) <= 0.02
    first = answer.split(". ")[0].rstrip(".") + "."
    alone = scorer.score(q, first).score
    assert abs(scorer.score(q, " ".join([first] * 100)).score - alone) <= 0.02
    padded = f"{answer} On weekends I like to go hiking with my dog in the mountains."
    assert abs(scorer.score(q, padded).score - once) <= 0.02


@pytest.mark.parametrize(("role", "qid"), CASES)
def test_key_point_words_recited_without_substance_stay_below_level_3(scorer, role, qid):
    q = question(role, qid)
    words: list[str] = []
    for point in q.key_points:
        said = re.findall(r"[a-z0-9]+", point.text.lower())
        words += [w for w in said if w not in STOPWORDS and w not in words]
    result = scorer.score(q, ", ".join(words) + ".")
    assert result.level < 3, result.explanation
