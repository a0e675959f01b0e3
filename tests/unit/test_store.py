"""Store behaviour on a real SQLite file: atomic steps, scores, append-only audit log, templates."""

from __future__ import annotations

import pytest

from bot.core.errors import StoreError
from bot.ports import AnswerScore, KeyPointResult
from bot.store import EventIn, Store, TurnIn

SCORE = AnswerScore(
    score=0.72,
    level=4,
    label="correct",
    probabilities={"correct": 0.8, "contradictory": 0.05, "incorrect": 0.15},
    key_points=(
        KeyPointResult("indexes", True, False, 0.91, "I would add an index on user_id."),
        KeyPointResult("explain", False, False, 0.12, None),
    ),
    explanation='Covers indexes ("I would add an index on user_id."); misses EXPLAIN.',
    model_version="evaluator-2025.1",
)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "interviewer.db"


@pytest.fixture
def store(database_url):
    s = Store(database_url)  # SQLite, and a real PostgreSQL server
    yield s
    s.close()


def test_a_step_is_written_whole_with_turns_in_order(store):
    sid = store.create_session("backend", 3, {"phase": "consent"})
    ids = store.commit_step(
        sid,
        state={"phase": "question", "index": 0},
        status="running",
        consent=True,
        turns=[
            TurnIn("candidate", "consent", "I agree"),
            TurnIn("interviewer", "ask", "How would you speed up a slow query?", "q1", "hr"),
        ],
        events=[EventIn("candidate", "consent.given", {"text_version": 2})],
    )
    ids += store.commit_step(
        sid,
        state={"phase": "question", "index": 1},
        status="running",
        consent=True,
        turns=[TurnIn("candidate", "answer", "Add an index.", "q1", meta={"chars": 13})],
    )
    session = store.load_session(sid)
    assert (session.status, session.consent, session.state) == (
        "running",
        True,
        {"phase": "question", "index": 1},
    )
    assert session.updated_at > session.created_at
    turns = store.turns(sid)
    assert [t.id for t in turns] == ids
    assert [t.seq for t in turns] == [1, 2, 3]
    assert [t.text for t in turns] == [
        "I agree",
        "How would you speed up a slow query?",
        "Add an index.",
    ]
    assert turns[1].model_version == "hr" and turns[2].meta == {"chars": 13}
    assert [(e.kind, e.session_id) for e in store.events(sid)] == [("consent.given", sid)]


def test_a_failing_turn_rolls_back_the_whole_step(store):
    sid = store.create_session("backend", 1, {"phase": "consent"})
    with pytest.raises(StoreError, match="nothing was saved"):
        store.commit_step(
            sid,
            state={"phase": "question"},
            status="running",
            consent=True,
            turns=[TurnIn("candidate", "consent", "yes"), TurnIn("robot", "ask", "beep")],
            events=[EventIn("candidate", "consent.given", {})],
        )
    session = store.load_session(sid)
    assert (session.state, session.status, session.consent) == (
        {"phase": "consent"},
        "created",
        None,
    )
    assert store.turns(sid) == []
    assert store.events(sid) == []


def test_a_score_without_its_question_is_refused_and_nothing_is_kept(store):
    sid = store.create_session("backend", 1, {})
    with pytest.raises(StoreError, match="question_id"):
        store.commit_step(
            sid,
            state={"x": 1},
            status="running",
            consent=True,
            turns=[TurnIn("candidate", "answer", "An index.", score=SCORE)],
        )
    assert store.turns(sid) == [] and store.load_session(sid).state == {}


def test_scores_come_back_as_the_same_answer_score(store):
    sid = store.create_session("backend", 1, {})
    store.commit_step(
        sid,
        state={},
        status="running",
        consent=True,
        turns=[
            TurnIn("interviewer", "ask", "Q?", "q1"),
            TurnIn("candidate", "answer", "I would add an index on user_id.", "q1", score=SCORE),
        ],
    )
    ask, answer = store.turns(sid)
    assert ask.score is None
    assert answer.score == SCORE
    assert answer.score.missing == ("explain",)


def test_missing_session_says_check_the_link(store):
    with pytest.raises(StoreError, match="no interview session 'nope'; check the link"):
        store.load_session("nope")
    with pytest.raises(StoreError, match="check the link"):
        store.commit_step("nope", state={}, status="running", consent=None, turns=[])


def test_events_cannot_be_changed_or_removed(store, database_url):
    import sqlalchemy as sa

    sid = store.create_session("backend", 1, {})
    store.append_event("hr:ana", "score.override", {"turn": 2, "from": 3, "to": 4}, session_id=sid)
    store.append_event("system", "startup", {})
    assert not any(
        hasattr(store, name) for name in ("update_event", "delete_event", "delete_events")
    )
    raw = sa.create_engine(database_url)  # a connection of its own, around the Store
    try:
        for statement in ("UPDATE events SET actor = 'someone else'", "DELETE FROM events",
                          "UPDATE events SET kind = 'x', payload = '{}'"):  # fmt: skip
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), raw.begin() as c:
                c.execute(sa.text(statement))
    finally:
        raw.dispose()
    events = store.events()
    assert [(e.actor, e.kind, e.payload) for e in events] == [
        ("hr:ana", "score.override", {"turn": 2, "from": 3, "to": 4}),
        ("system", "startup", {}),
    ]
    assert [e.kind for e in store.events(sid)] == ["score.override"]


def test_template_versions_are_kept_and_never_overwritten(store):
    store.publish_template("backend", 1, "version: 1\nid: backend\n", "hr:ana")
    store.publish_template("backend", 2, "version: 2\nid: backend\n", "hr:bo")
    store.publish_template("frontend", 1, "version: 1\nid: frontend\n", "hr:ana")
    with pytest.raises(StoreError, match="already published.*raise `version:`"):
        store.publish_template("backend", 2, "changed", "hr:eve")
    assert store.template("backend", 2).yaml_text == "version: 2\nid: backend\n"
    assert store.template("backend", 9) is None
    assert store.latest_template("backend").published_by == "hr:bo"
    assert store.latest_template("nobody") is None
    assert [t.version for t in store.template_versions("backend")] == [1, 2]
    assert store.template_role_ids() == ["backend", "frontend"]
    published = [e.payload for e in store.events() if e.kind == "template.published"]
    assert published == [{"role_id": "backend", "version": v} for v in (1, 2)] + [
        {"role_id": "frontend", "version": 1}
    ]


def test_sessions_are_listed_per_role(store):
    a = store.create_session("backend", 1, {})
    b = store.create_session("frontend", 1, {})
    c = store.create_session("backend", 2, {})
    assert [s.id for s in store.sessions()] == [a, b, c]
    assert [s.id for s in store.sessions("backend")] == [a, c]
    assert len(a) == 32 and a != c


def test_a_bad_url_says_what_to_set():
    with pytest.raises(StoreError, match="INTERVIEWER_DATABASE_URL"):
        Store("nosuchdb://x")


def test_an_event_for_an_unknown_session_is_refused(store):
    with pytest.raises(StoreError, match="(?i)foreign key"):
        store.append_event("system", "note", {}, session_id="does-not-exist")
    assert store.events() == []
