"""Quoting the documents when the model's answer to a candidate question is refused."""

from bot.knowledge.excerpts import RELEVANT_DISTANCE, best_excerpt, quoted
from bot.ports import Snippet

REMOTE = Snippet(
    "The role is **remote-friendly**: you can work fully remotely from the Netherlands or Spain. "
    "The team meets in Lyon once a quarter.\nOffice days are optional.",
    "jobs/backend-python.md",
    "Backend Python Engineer > Location and remote work",
    distance=0.69,
)
CANTEEN = Snippet("The canteen serves lunch.", "company/about.md", "Office", distance=0.86)


def test_the_closest_relevant_passage_is_quoted_with_its_source():
    excerpt, snippet = best_excerpt("Is this role remote?", [CANTEEN, REMOTE])
    assert snippet is REMOTE
    assert excerpt.startswith("The role is **remote-friendly**")
    text = quoted(excerpt, snippet)
    assert "Location and remote work" in text and "**" not in text


def test_nothing_close_enough_means_no_quote():
    assert CANTEEN.distance > RELEVANT_DISTANCE
    assert best_excerpt("What is the parking situation?", [CANTEEN]) is None
    assert best_excerpt("Anything?", []) is None


def test_the_quote_starts_at_the_sentence_that_answers():
    excerpt, _ = best_excerpt("Are office days optional?", [REMOTE])
    assert excerpt.startswith("Office days are optional")


def test_quotes_stay_short():
    long = Snippet(". ".join(f"Sentence number {i} about remote work" for i in range(60)),
                   "jobs/x.md", "Remote", distance=0.5)
    excerpt, _ = best_excerpt("remote work?", [long])
    assert len(excerpt) <= 500
