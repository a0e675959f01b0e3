"""The real load path and LangChain chain over a tiny GPT-Neo: junk in, guarded text out."""

from __future__ import annotations

from bot.generator.chat_model import PLAIN_CHAT_TEMPLATE
from bot.generator.guards import check
from bot.generator.writer import ACKNOWLEDGEMENT
from bot.roles.schema import Question

QUESTION = Question.model_validate(
    {
        "id": "q-testing",
        "competency": "python",
        "text": "How do you test a Python web service before it goes to production?",
        "reference_answer": "Unit tests, integration tests against a real database, CI.",
        "key_points": [
            {"id": "kp-unit", "text": "Writes unit tests with pytest"},
            {
                "id": "kp-db",
                "text": "Tests against a real database",
                "probe": "How do you test the parts that talk to the database?",
            },
        ],
        "anchors": {"1": "No tests.", "3": "Unit tests only.", "5": "Unit, database and CI."},
    }
)
ANSWER = "I write unit tests with pytest for the views and mock the rest."


def test_the_writer_is_named_after_its_model_folder(tiny_writer, tiny_gpt_neo_dir):
    assert tiny_writer.version == tiny_gpt_neo_dir.name == "tiny-gpt-neo"


def test_the_chat_model_runs_the_local_pipeline_offline(tiny_settings):
    from langchain_core.messages import HumanMessage, SystemMessage

    from bot.generator.chat_model import build_chat_model
    from bot.generator.models import load_causal_lm

    model, tokenizer, version = load_causal_lm(tiny_settings)
    chat = build_chat_model(model, tokenizer, version, tiny_settings)
    reply = chat.invoke([SystemMessage("Be brief."), HumanMessage("How do you test code?")])
    assert isinstance(reply.content, str) and reply.content.strip()  # random weights: junk
    # A base model's tokenizer has no chat template; it is given a plain one.
    assert tokenizer.chat_template == PLAIN_CHAT_TEMPLATE


def test_a_probe_from_the_model_is_guarded_or_replaced_by_hr(tiny_writer):
    out = tiny_writer.probe(QUESTION, ANSWER, QUESTION.key_points[1:], [QUESTION.text])
    assert out.model_version == "tiny-gpt-neo+probe.v2"
    if out.source == "fallback":
        assert out.text == "How do you test the parts that talk to the database?"
        assert out.rejected and not out.rejected.startswith("model error"), out.rejected
    else:
        assert check(out.text, [QUESTION.text], min_questions=1).ok


def test_an_acknowledgement_from_the_model_is_guarded_or_neutral(tiny_writer):
    out = tiny_writer.acknowledge(QUESTION, ANSWER, [QUESTION.text])
    if out.source == "fallback":
        assert out.text == ACKNOWLEDGEMENT
        assert out.rejected and not out.rejected.startswith("model error"), out.rejected
    else:
        assert check(out.text, [QUESTION.text], max_questions=0).ok


def test_a_hub_name_loads_offline_from_the_local_hub_cache(tiny_gpt_neo_dir, tmp_path, monkeypatch):
    # The layout huggingface_hub writes when a model was downloaded once: no network needed after.
    import shutil

    import huggingface_hub.constants

    from bot.generator.models import load_causal_lm
    from bot.settings import Settings

    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--EleutherAI--gpt-neo-125m"
    shutil.copytree(tiny_gpt_neo_dir, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    settings = Settings(home=tmp_path, generator_model="EleutherAI/gpt-neo-125m")  # type: ignore[call-arg]
    model, tokenizer, version = load_causal_lm(settings)
    assert version == "EleutherAI/gpt-neo-125m@01234567"
    assert model.config.model_type == "gpt_neo"


def test_sampling_can_be_switched_on(tiny_gpt_neo_dir, tmp_path):
    from langchain_core.messages import HumanMessage

    from bot.generator.chat_model import build_chat_model
    from bot.generator.models import load_causal_lm
    from bot.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        home=tmp_path, generator_model=str(tiny_gpt_neo_dir), generator_do_sample=True
    )
    model, tokenizer, version = load_causal_lm(settings)
    reply = build_chat_model(model, tokenizer, version, settings).invoke([HumanMessage("Hi")])
    assert isinstance(reply.content, str)
