"""The rubric logic over a fake judge: what a recruiter reads in an AnswerScore."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.evaluator.rubric import CANDIDATES, Pair, RubricScorer, Verdict, level_for
from bot.evaluator.text import evidence_units, split_sentences
from bot.roles.schema import Question


class FakeJudge:
    """Supports a pair when the answer contains a word the test declared for that reference."""

    version = "fake-1"
    threshold = 0.5

    def __init__(self, supports: dict[str, str], contradicts: dict[str, str] | None = None) -> None:
        self.supports = supports
        self.contradicts = contradicts or {}
        self.calls: list[list[Pair]] = []

    def judge(self, pairs: Sequence[Pair]) -> list[Verdict]:
        self.calls.append(list(pairs))
        out = []
        for p in pairs:
            said = self.supports.get(p.reference, "\0") in p.answer.lower()
            denied = self.contradicts.get(p.reference, "\0") in p.answer.lower()
            if denied:
                out.append(Verdict(0.05, 0.9, 0.05, 0.05, 0.05, 0.9))
            elif said:
                out.append(Verdict(0.9, 0.02, 0.08, 0.9, 0.9, 0.9))
            else:
                out.append(Verdict(0.1, 0.05, 0.85, 0.1, 0.1, 0.9))
        return out

    def relatedness(self, items: Sequence[tuple[str, str]]) -> list[float]:
        """Word overlap stands in for the bi-encoder: enough to pick passages by topic."""
        out = []
        for a, b in items:
            x, y = set(a.lower().split()), set(b.lower().rstrip(".").split())
            out.append(
                len(x & y) / max(1, len(x | y))
                + 0.4
                * (
                    self.supports.get(a, "\0") in b.lower()
                    or self.contradicts.get(a, "\0") in b.lower()
                )
            )
        return out


QUESTION = Question(
    id="sql",
    competency="db",
    text="How would you make a slow SQL query faster?",
    reference_answer="Read the query plan and add an index on the filtered column.",
    key_points=[
        {"id": "plan", "text": "Reads the query plan."},
        {"id": "index", "text": "Adds an index on the filtered column."},
    ],
    anchors={"1": "No method.", "3": "One technique.", "5": "Plan and index."},
)
SUPPORTS = {
    "Reads the query plan.": "explain",
    "Adds an index on the filtered column.": "index",
    QUESTION.reference_answer: "explain",
}


def test_full_answer_covers_every_point_and_quotes_the_sentence_for_each():
    answer = "First I run EXPLAIN on it. Then I add an index on the user_id column."
    result = RubricScorer(FakeJudge(SUPPORTS)).score(QUESTION, answer)
    assert result.missing == ()
    evidence = {k.key_point_id: k.evidence for k in result.key_points}
    assert evidence == {
        "plan": "First I run EXPLAIN on it.",
        "index": "Then I add an index on the user_id column.",
    }
    assert '"Then I add an index on the user_id column."' in result.explanation
    assert result.label == "correct" and result.level == 5 and result.score >= 0.8
    assert result.model_version == "fake-1"


def test_partial_answer_lists_the_missing_point_for_the_probe():
    result = RubricScorer(FakeJudge(SUPPORTS)).score(QUESTION, "I would add an index.")
    assert result.missing == ("plan",)
    assert 'Missing: "Reads the query plan."' in result.explanation
    full = RubricScorer(FakeJudge(SUPPORTS)).score(QUESTION, "EXPLAIN it. Add an index.")
    assert result.score < full.score and result.level < full.level


def test_empty_answer_scores_zero_without_calling_the_model():
    judge = FakeJudge(SUPPORTS)
    result = RubricScorer(judge).score(QUESTION, "   \n ")
    assert judge.calls == []
    assert (result.score, result.level, result.label) == (0.0, 1, "incorrect")
    assert result.missing == ("plan", "index")
    assert "No answer" in result.explanation


def test_contradicted_point_is_flagged_and_quoted_and_an_absent_one_is_only_missing():
    judge = FakeJudge(
        SUPPORTS, contradicts={"Adds an index on the filtered column.": "never index"}
    )
    result = RubricScorer(judge).score(QUESTION, "I would never index anything. It is fine.")
    points = {k.key_point_id: k for k in result.key_points}
    assert points["index"].contradicted and not points["index"].covered
    assert points["index"].evidence == "I would never index anything."
    assert not points["plan"].contradicted and points["plan"].evidence is None
    assert "Says the opposite of" in result.explanation and result.label == "contradictory"


def test_an_opposite_verdict_on_an_unrelated_passage_is_not_a_contradiction():
    class Unrelated(FakeJudge):
        def relatedness(self, items):
            return [0.0 for _ in items]

    judge = Unrelated(SUPPORTS, contradicts={"Adds an index on the filtered column.": "never"})
    result = RubricScorer(judge).score(QUESTION, "I never liked Mondays.")
    assert not any(k.contradicted for k in result.key_points)
    assert result.missing == ("plan", "index")


def test_repeating_the_answer_changes_nothing():
    judge = FakeJudge(SUPPORTS)
    once = RubricScorer(judge).score(QUESTION, "I would add an index. It helps.")
    again = RubricScorer(judge).score(QUESTION, "I would add an index. It helps. " * 10)
    one_sentence = RubricScorer(judge).score(QUESTION, "I would add an index. " * 100)
    assert again == once
    assert one_sentence.score == RubricScorer(judge).score(QUESTION, "I would add an index.").score


def test_the_label_always_agrees_with_the_level():
    from bot.evaluator.rubric import label_for

    assert [label_for(level, False) for level in range(1, 6)] == [
        "incorrect", "incorrect", "partial", "correct", "correct",
    ]  # fmt: skip
    assert [label_for(level, True) for level in range(1, 6)] == [
        "contradictory", "contradictory", "contradictory", "correct", "correct",
    ]  # fmt: skip


def test_unsure_verdicts_ask_for_a_human_look():
    class Unsure(FakeJudge):
        def judge(self, pairs):
            return [Verdict(v.correct, v.contradictory, v.incorrect, v.grade, v.support, 0.3)
                    for v in super().judge(pairs)]  # fmt: skip

    sure = RubricScorer(FakeJudge(SUPPORTS)).score(QUESTION, "I would add an index.")
    unsure = RubricScorer(Unsure(SUPPORTS)).score(QUESTION, "I would add an index.")
    assert not sure.needs_review and sure.confidence == pytest.approx(0.9)
    assert unsure.needs_review and unsure.confidence == pytest.approx(0.3)
    assert all(k.confidence == pytest.approx(0.3) for k in unsure.key_points)


def test_very_long_answer_is_clipped_and_the_pairs_stay_bounded():
    judge = FakeJudge(SUPPORTS)
    answer = " ".join(f"Sentence number {i} is filler." for i in range(2000))
    result = RubricScorer(judge, answer_char_limit=4000).score(QUESTION, answer)
    pairs = judge.calls[0]
    assert max(len(p.answer) for p in pairs) <= 4000
    assert len(pairs) <= 1 + len(QUESTION.key_points) * CANDIDATES
    assert result.level == 1


def test_probabilities_are_a_distribution_and_level_follows_score():
    result = RubricScorer(FakeJudge(SUPPORTS)).score(QUESTION, "I would add an index.")
    assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
    assert result.level == level_for(result.score)
    assert [level_for(s) for s in (0.0, 0.3, 0.5, 0.7, 1.0)] == [1, 2, 3, 4, 5]


def test_sentences_split_on_punctuation_lines_and_bullets():
    text = "First point. Second one!\n- a bullet\n2) numbered item\n\n...\nDone?"
    assert split_sentences(text) == [
        "First point.",
        "Second one!",
        "a bullet",
        "numbered item",
        "Done?",
    ]
    assert len(evidence_units(" ".join(["A b."] * 100))) <= 16


def test_compound_sentence_points_are_judged_clause_by_clause():
    units = evidence_units("Roll back the deploy, then check the logs and tell the team.")
    assert {"Roll back the deploy", "check the logs", "tell the team"} <= set(units)
    assert evidence_units("Salt and water mix.") == ["Salt and water mix."]


def test_gendered_words_are_neutralised_both_ways():
    from bot.evaluator.text import neutral_gender

    he = neutral_gender("My brother said he would ask his father.")
    she = neutral_gender("My sister said she would ask her mother.")
    assert he == she == "My sibling said they would ask their parent."


@pytest.mark.parametrize("frame", [
    "I worked on this with {name}, and she agreed with my approach.",
    "My colleague {name} said we should cache it.",
    "{name} and I rewrote the job.",
    "I asked my manager, {name}, to review it.",
    "I showed the draft to {name}, who suggested a chart.",
    "After talking to {name}, I changed the query.",
])  # fmt: skip
def test_a_persons_name_reads_the_same_to_the_evaluator_whoever_it_is(frame):
    from bot.evaluator.text import blind

    seen = {blind(frame.format(name=name)) for name in ("Emily", "Mohammed", "Wei Chen")}
    assert len(seen) == 1, seen


def test_names_of_tools_and_teams_stay_what_the_answer_is_about():
    from bot.evaluator.text import blind

    for text in ("We moved the jobs to Airflow and they ran nightly.",
                 "I used Python and SQL for this.",
                 "Data from Salesforce in the warehouse was stale.",
                 "Our client asked for Excel exports.", "We escalated to Jira."):  # fmt: skip
        assert blind(text) == text


def test_key_words_recited_with_nothing_said_cover_no_point():
    judge = FakeJudge(SUPPORTS)
    recited = RubricScorer(judge).score(QUESTION, "explain, plan, index, filtered, column, query.")
    said = RubricScorer(judge).score(QUESTION, "I would explain the plan and add an index.")
    assert recited.missing == ("plan", "index") and recited.level < 3
    assert said.missing == () and said.score > recited.score


def test_repeating_past_the_length_limit_changes_nothing():
    judge = FakeJudge(SUPPORTS)
    once = RubricScorer(judge, answer_char_limit=100).score(QUESTION, "I add an index here.")
    many = RubricScorer(judge, answer_char_limit=100).score(QUESTION, "I add an index here. " * 50)
    assert many == once
