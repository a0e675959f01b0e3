"""`interviewer bench answers` over the shipped questions: candidates' questions about the role
are answered from the documents or deferred, never answered with a wrong fact."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bench.answers import DEFAULT_DATA, read, run
from bot.knowledge.base import KnowledgeBase
from bot.settings import Settings

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def totals(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    settings = Settings(  # type: ignore[call-arg]
        home=home, knowledge_dir=ROOT / "knowledge", models_dir=ROOT / "var" / "models"
    )
    KnowledgeBase(settings).ingest(progress=False)
    return run(settings, read(DEFAULT_DATA))["totals"]


def test_no_reply_states_a_wrong_fact(totals):
    assert totals["answerable"] >= 40 and totals["unanswerable"] >= 15
    assert totals["wrong"] == 0


def test_most_answerable_questions_are_answered_and_the_rest_deferred(totals):
    assert totals["right"] >= 0.85 * totals["answerable"]
    assert totals["unanswerable_deferred"] >= 0.95 * totals["unanswerable"]
