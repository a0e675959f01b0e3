"""The untrained fallback judge on the packaged MiniLM."""

from __future__ import annotations

import pytest

from bot.core.templates.schema import Question
from bot.evaluator import RubricScorer, load_judge

QUESTION = Question(
    id="sql",
    competency="db",
    text="How would you make a slow SQL query faster?",
    reference_answer="Read the query plan with EXPLAIN and add an index on the filtered column.",
    key_points=[
        {"id": "plan", "text": "Read the query plan with EXPLAIN."},
        {"id": "index", "text": "Add an index on the filtered column."},
    ],
    anchors={"1": "No method.", "3": "One technique.", "5": "Plan and index."},
)


@pytest.mark.slow
def test_on_topic_answer_outscores_off_topic_one():
    scorer = RubricScorer(load_judge("minilm-embedding"))
    good = scorer.score(
        QUESTION, "I read the query plan with EXPLAIN, then add an index on the column I filter on."
    )
    off = scorer.score(QUESTION, "My favourite holiday was a week of hiking in the mountains.")
    assert good.score > off.score + 0.3
    assert off.missing == ("plan", "index")
    assert good.model_version == "minilm-embedding-v1"
