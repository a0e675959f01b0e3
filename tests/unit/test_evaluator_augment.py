"""Training rewrites keep the answer's meaning: what they change, and what they leave alone."""

from __future__ import annotations

import random

from bot.evaluator.augment import (
    INSTRUCTIONS,
    append_irrelevant,
    gender_swap,
    inject_instruction,
    typo,
)
from bot.evaluator.data import Row
from bot.evaluator.fit import Recipe, epoch_examples


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


def _row(i, label, refs):
    return Row(
        str(i), "d", "q", "Why?", refs, f"answer {i}", float(label == "correct"), 0, 1, label
    )


def test_epoch_examples_keep_labels_and_pair_correct_answers_with_their_closest_reference():
    refs = ("the bulb is in a closed path", "terminal 1 is connected to the battery")
    rows = [_row(1, "correct", refs), _row(2, "contradictory", refs), _row(3, "incorrect", refs)]
    rows[0] = Row(
        "1", "d", "q", "Why?", refs, "terminal 1 connects to the battery", 1.0, 0, 1, "correct"
    )
    examples = epoch_examples(rows, Recipe(augment=0.0, swap=0.0), random.Random(0))
    by_answer = {a: (ref, label) for ref, a, label in examples}
    assert by_answer["terminal 1 connects to the battery"] == (refs[1], 0)
    assert by_answer["answer 2"][1] == 1 and by_answer["answer 3"][1] == 2
    assert any(
        set((r, a)) == set(refs) and label == 0 for r, a, label in examples
    )  # references agree


def test_peer_references_are_other_correct_answers_to_the_same_question():
    refs = ("the bulb is in a closed path",)
    rows = [
        _row(1, "correct", refs),
        _row(2, "correct", refs),
        _row(3, "incorrect", refs),
        Row("4", "d", "other", "Why?", refs, "answer 4", 1.0, 0, 1, "correct"),
    ]
    recipe = Recipe(augment=0.0, swap=0.0, instructed=0.0, peer_refs=1.0)
    examples = epoch_examples(rows, recipe, random.Random(0))
    firsts = {a: (ref, label) for ref, a, label in examples}
    assert firsts["answer 1"] == ("answer 2", 0) and firsts["answer 2"] == ("answer 1", 0)
    assert firsts["answer 3"][0] in {"answer 1", "answer 2"} and firsts["answer 3"][1] == 2
    assert firsts["answer 4"] == (refs[0], 0)  # alone on its question: the reference it has
