"""The service with fakes for the models and a real SQLite store: what gets said and kept."""

from pathlib import Path

import pytest
import yaml

from bot.core.errors import TemplateError
from bot.ports import Snippet
from bot.service import InterviewService
from bot.settings import Settings
from bot.store import Store
from tests.unit.fakes import FakeRetriever, FakeScorer, FakeWriter
from tests.unit.roles import make_role

ROOT = Path(__file__).resolve().parents[2]


def write_role(roles_dir: Path, version: int = 1, **changes) -> None:
    data = make_role().model_dump(by_alias=True)
    data.update(version=version, **changes)
    data.pop("retired")
    roles_dir.mkdir(exist_ok=True)
    (roles_dir / "test-role.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.fixture
def parts(tmp_path, database_url):
    write_role(tmp_path / "roles")
    settings = Settings(
        home=tmp_path,
        roles_dir=tmp_path / "roles",
        system_prompts_dir=ROOT / "prompts/system",
        answer_char_limit=50,
        database_url=database_url,
    )
    store = Store(settings.db_url)
    scorer, writer = FakeScorer(), FakeWriter()
    retriever = FakeRetriever([Snippet("The role is remote-first.", "jobs/test.md", "Location")])
    service = InterviewService(settings, store, scorer, writer, retriever)
    return service, store, scorer, writer


def test_a_whole_interview_is_stored_turn_by_turn(parts):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    said = service.reply(sid, "yes").messages
    assert said[-1].kind == "question"
    for _ in range(5):
        service.reply(sid, "Lists are mutable and Tuples work as keys.")
    transcript = service.transcript(sid)
    assert transcript.status == "completed" and transcript.consent is True
    answers = [t for t in transcript.turns if t.kind == "answer"]
    assert len(answers) == 5 and all(t.score is not None for t in answers)
    assert answers[0].score.model_version == "fake-scorer@1"
    assert transcript.turns[-1].kind == "closing"
    assert service.reply(sid, "anything else").messages == ()  # closed: nothing more is said


def test_a_missed_point_is_probed_with_hr_text_when_the_model_fails(parts):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    service.reply(sid, "yes")
    writer.fail = True
    said = service.reply(sid, "Tuples work as keys.").messages  # misses "Lists are mutable"
    assert [m.kind for m in said] == ["probe"]
    assert said[0].text == "Can a list change?"  # the HR-written probe for that point
    kinds = [e.kind for e in store.events(sid)]
    assert "generator_fallback" in kinds


def test_a_busy_model_gives_way_to_hr_text_and_the_turn_says_where_its_time_went(parts):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    service.reply(sid, "yes")
    writer.busy = True  # other candidates held the model past the turn's wait budget
    said = service.reply(sid, "Tuples work as keys.").messages
    assert said[0].text == "Can a list change?"
    fallback = [e.payload for e in store.events(sid, ("generator_fallback",))]
    assert fallback[-1]["reason"].startswith("busy:")
    written = [e.payload for e in store.events(sid, ("written",))]
    assert written[-1]["kind"] == "probe" and written[-1]["source"] == "fallback"
    turn = store.events(sid, ("turn",))[-1].payload
    # The turn's own time holds its wait for the session (both whole milliseconds).
    assert isinstance(turn["ms"], int) and isinstance(turn["waited_ms"], int)
    assert turn["ms"] >= turn["waited_ms"]


def test_the_probe_answer_is_scored_with_the_first_answer(parts):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    service.reply(sid, "yes")
    service.reply(sid, "Tuples work.")
    service.reply(sid, "Lists change.")
    assert scorer.scored[-1] == ("q1", "Tuples work.\nLists change.")


def test_a_long_answer_is_kept_whole_and_marked_past_the_models_limit(parts):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    service.reply(sid, "yes")
    long = "Lists are mutable. " + "x" * 500
    service.reply(sid, long)
    assert scorer.scored[-1][1] == long  # the evaluator reads it once and applies the limit
    stored = [t for t in store.turns(sid) if t.kind == "answer"][0]
    assert stored.text == long and stored.meta["truncated_for_models"] is True


def test_a_candidate_question_is_answered_with_its_sources(parts):
    service, store, scorer, writer = parts
    writer.enqueue("Yes, the role is remote-first.")
    sid = service.start("test-role")
    service.reply(sid, "yes")
    said = service.reply(sid, "Is the role remote?").messages
    assert said[0].kind == "knowledge_answer" and said[0].sources[0].source == "jobs/test.md"
    assert said[1].kind == "reminder"
    assert not scorer.scored  # a question is never scored as an answer


def test_a_candidate_question_without_context_is_deferred_to_the_recruiter(parts):
    service, store, scorer, writer = parts
    service.retriever.snippets = []
    sid = service.start("test-role")
    service.reply(sid, "yes")
    said = service.reply(sid, "What is the parking situation?").messages
    assert said[0].kind == "deferral" and "recruiter" in said[0].text
    assert any(e.kind == "candidate_question_deferred" for e in store.events(sid))


def test_declined_consent_is_recorded_and_nothing_scored(parts):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    service.reply(sid, "no")
    t = service.transcript(sid)
    assert t.status == "declined" and t.consent is False and not scorer.scored


def test_a_new_service_resumes_the_session_where_it_was(parts, tmp_path):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    service.reply(sid, "yes")
    service.reply(sid, "Lists are mutable and Tuples work as keys.")
    again = InterviewService(
        service.settings,
        Store(service.settings.db_url),
        FakeScorer(),
        FakeWriter(),
        FakeRetriever(),
    )
    said = again.reply(sid, "Lists are mutable and Tuples work as keys.").messages
    assert said[-1].text == make_role().questions[2].text


def test_sessions_keep_the_template_version_they_started_with(parts, tmp_path):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    service.reply(sid, "yes")
    write_role(tmp_path / "roles", version=2, title="Renamed Engineer")
    newer = InterviewService(service.settings, store, FakeScorer(), FakeWriter(), FakeRetriever())
    assert newer.role("test-role").title == "Renamed Engineer"
    assert newer.transcript(sid).template_version == 1
    assert newer.transcript(sid).role_title == "Test Engineer"


def test_an_edited_file_under_a_published_version_is_refused(parts, tmp_path):
    service, store, *_ = parts
    write_role(tmp_path / "roles", version=1, title="Sneaky Edit")
    with pytest.raises(TemplateError, match="raise 'version:' to 2"):
        InterviewService(service.settings, store, FakeScorer(), FakeWriter(), FakeRetriever())


def test_the_page_is_given_its_stage_and_progress(parts):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    opened = service.stage(sid)
    assert opened.stage.phase == "consent" and opened.stage.progress == ""
    first = service.reply(sid, "yes", seen=opened.version)
    assert first.stage.progress == f"Question 1 of {len(make_role().questions)}"
    assert first.version == opened.version + 1
    probed = service.reply(sid, "Tuples work.", seen=first.version)
    assert [m.kind for m in probed.messages] == ["probe"]
    assert probed.stage.progress.startswith("Question 1 of")  # probes do not count


def test_a_message_sent_twice_with_one_key_is_stored_and_scored_once(parts):
    service, store, scorer, writer = parts
    sid = service.start("test-role")
    v = service.reply(sid, "yes").version
    first = service.reply(sid, "Lists are mutable and Tuples work as keys.", key="k1", seen=v)
    again = service.reply(sid, "Lists are mutable and Tuples work as keys.", key="k1", seen=v)
    assert again.messages == first.messages and again.version == first.version
    answers = [t for t in store.turns(sid) if t.kind == "answer"]
    assert len(answers) == 1 and len(scorer.scored) == 1


def test_a_message_written_for_an_answered_question_is_refused_not_misfiled(parts):
    from bot.core.errors import TurnConflict

    service, store, scorer, writer = parts
    sid = service.start("test-role")
    v = service.reply(sid, "yes").version
    service.reply(sid, "Lists are mutable and Tuples work as keys.", key="tab-1", seen=v)
    with pytest.raises(TurnConflict, match="moved on"):
        service.reply(sid, "My other answer.", key="tab-2", seen=v)  # a second tab, stale
    assert [t.text for t in store.turns(sid) if t.kind == "answer"] == [
        "Lists are mutable and Tuples work as keys."
    ]


def test_two_turns_at_once_on_one_session_take_turns(parts):
    import threading

    from bot.core.errors import TurnConflict

    service, store, scorer, writer = parts
    sid = service.start("test-role")
    v = service.reply(sid, "yes").version
    results: list = []

    def send(text: str, key: str) -> None:
        try:
            results.append(service.reply(sid, text, key=key, seen=v))
        except TurnConflict as exc:
            results.append(exc)

    threads = [threading.Thread(target=send, args=(f"Answer {i}.", f"k{i}")) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, TurnConflict) for r in results) == 1
    answers = [t for t in store.turns(sid) if t.speaker == "candidate" and t.kind == "answer"]
    assert len(answers) == 1 and len(scorer.scored) == 1


def test_a_stale_writer_in_another_process_cannot_overwrite_a_newer_step(parts):
    from bot.core.errors import TurnConflict

    service, store, *_ = parts
    sid = service.start("test-role")
    loaded = store.load_session(sid)
    store.commit_step(sid, state=loaded.state, status="created", consent=None, turns=[],
                      expected_version=loaded.state_version)  # fmt: skip
    with pytest.raises(TurnConflict):
        store.commit_step(sid, state={}, status="created", consent=None, turns=[],
                          expected_version=loaded.state_version)  # fmt: skip
    assert store.load_session(sid).state == loaded.state


def test_a_probe_asks_for_the_plainest_missing_point_first():
    from bot.ports import AnswerScore, KeyPointResult

    def point(pid, covered=False, score=0.0, unsure=False, contradicted=False):
        return KeyPointResult(pid, covered, contradicted, score, None, needs_review=unsure)

    score = AnswerScore(0.3, 2, "incorrect", {}, (
        point("said", covered=True, score=0.9),
        point("maybe-said", score=0.45, unsure=True),  # nearly there: asked last
        point("faint", score=0.3),
        point("absent", score=0.05),
        point("opposite", contradicted=True),
    ), "", "v")  # fmt: skip
    assert score.missing == ("maybe-said", "faint", "absent", "opposite")
    assert score.to_probe == ("opposite", "absent", "faint", "maybe-said")
