"""Training rewrites keep the answer's meaning: what they change, and what they leave alone."""

from __future__ import annotations

import random

import pytest

from bot.evaluator.data import Row
from bot.evaluator.training.augment import (
    INSTRUCTIONS,
    append_irrelevant,
    gender_swap,
    inject_instruction,
    typo,
)
from bot.evaluator.training.fit import Recipe, epoch_examples


def test_gender_swap_swaps_both_ways_and_keeps_capitals():
    assert gender_swap("He told his sister, and John agreed.", random.Random(0)) == (
        "She told her brother, and Maria agreed."
    )
    assert gender_swap("The circuit is closed.", random.Random(0)) == "The circuit is closed."


def test_typo_changes_at_most_two_words_by_one_letter():
    text = "the battery terminal voltage is different because of the gap"
    for seed in range(20):
        out = typo(text, random.Random(seed)).split(" ")
        changed = [(a, b) for a, b in zip(text.split(" "), out, strict=True) if a != b]
        assert 1 <= len(changed) <= 2
        assert all(abs(len(a) - len(b)) <= 1 for a, b in changed)


def test_instruction_and_filler_are_added_not_substituted():
    rng = random.Random(3)
    out = inject_instruction("the gap separates them", rng)
    assert "the gap separates them" in out and any(i in out for i in INSTRUCTIONS)
    assert append_irrelevant("the gap separates them.", rng, ["x y z"]).startswith(
        "the gap separates them."
    )


def _row(i, label, refs, question="q", answer=None):
    return Row(
        str(i), "d", question, "Why?", refs, answer or f"answer {i}",
        float(label == "correct"), 0, 1, label,
    )  # fmt: skip


def test_epoch_examples_keep_labels_and_pair_correct_answers_with_their_closest_reference():
    refs = ("the bulb is in a closed path", "terminal 1 is connected to the battery")
    rows = [
        _row(1, "correct", refs, answer="terminal 1 connects to the battery"),
        _row(2, "contradictory", refs),
        _row(3, "incorrect", refs),
    ]
    recipe = Recipe(augment=0.0, swap=0.0, instructed=0.0, off_topic=0.0)
    examples = epoch_examples(rows, recipe, random.Random(0))
    by_answer = {e.second: e for e in examples}
    assert by_answer["terminal 1 connects to the battery"].first == refs[1]
    assert by_answer["terminal 1 connects to the battery"].target == (1.0, 0.0, 0.0)
    assert by_answer["answer 2"].target == (0.0, 1.0, 0.0)
    assert by_answer["answer 3"].target == (0.0, 0.0, 1.0)
    assert any({e.first, e.second} == set(refs) and e.target[0] == 1.0 for e in examples)


def test_partial_credit_trains_the_grade_and_a_soft_three_way_target():
    row = Row("s1", "saf", "q", "Why?", ("ref",), "half right", 0.6, 0, 1, "partially correct")
    (example,) = epoch_examples([row], Recipe(augment=0, instructed=0, off_topic=0),
                                random.Random(0))  # fmt: skip
    assert example.grade == pytest.approx(0.6)
    assert example.target == pytest.approx((0.6, 0.0, 0.4))


def test_off_topic_pairs_teach_that_another_questions_reference_is_not_met():
    rows = [_row(1, "correct", ("a closed path",), "q1"), _row(2, "correct", ("the gap",), "q2")]
    recipe = Recipe(augment=0, instructed=0, swap=0, off_topic=1.0)
    examples = epoch_examples(rows, recipe, random.Random(1))
    crossed = [e for e in examples if e.target == (0, 0, 1.0)]
    assert crossed and all(
        (e.first, e.second) in {("the gap", "answer 1"), ("a closed path", "answer 2")}
        for e in crossed
    )
