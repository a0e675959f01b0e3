"""The packaged SmolLM2: converted once to a cache, loaded fast, and probing through the guards."""

from __future__ import annotations

import time

import pytest

from bot.generator import models
from bot.generator.guards import check
from bot.generator.writer import ACKNOWLEDGEMENT
from bot.roles.files import load_role
from bot.settings import Settings


def test_a_conversion_that_crashes_leaves_no_cache_behind(tmp_path, monkeypatch):
    import transformers

    def crash(*args, **kwargs):
        raise MemoryError("killed half way")

    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", crash)
    settings = Settings(home=tmp_path, generator_model="smollm2")  # type: ignore[call-arg]
    with pytest.raises(MemoryError):
        models.prepare_generator(settings, progress=lambda message: None)
    assert list(settings.model_cache_dir.iterdir()) == []  # no half cache, no temp folder


@pytest.mark.slow
def test_prepare_converts_once_then_is_instant(smollm2_converted):
    settings, first = smollm2_converted
    started = time.perf_counter()
    folder = models.prepare_generator(settings)
    again = time.perf_counter() - started
    print(f"\nSmolLM2 GGUF -> cache: {first:.1f} s; prepare when cached: {again * 1000:.1f} ms")
    assert again < 0.5
    assert folder == settings.model_cache_dir / "smollm2-135m-instruct"
    assert {"config.json", "model.safetensors", "tokenizer.json", "interviewer-cache.json"} <= {
        p.name for p in folder.iterdir()
    }
    assert [p.name for p in settings.model_cache_dir.iterdir()] == [folder.name]


@pytest.mark.slow
def test_smollm2_probes_a_real_missing_key_point_through_the_guards(smollm2_writer):
    role = load_role(Settings().roles_dir / "backend-python.yaml")  # type: ignore[call-arg]
    question = role.questions[0]
    answer = "I built an order export API for our finance team. It paginates large exports."
    missing = [k for k in question.key_points if k.id != "kp-purpose"]
    started = time.perf_counter()
    out = smollm2_writer.probe(question, answer, missing, [question.text])
    took = time.perf_counter() - started
    print(f"\nSmolLM2 probe in {took:.1f} s ({out.source}): {out.text!r} {out.rejected or ''}")
    assert smollm2_writer.version == "smollm2-135m-instruct@q4_1"
    if out.source == "model":
        assert check(out.text, [question.text], min_questions=1).ok
    else:
        assert out.text == question.probe_for(missing[0])
        assert out.rejected and not out.rejected.startswith("model error"), out.rejected


@pytest.mark.slow
def test_smollm2_acknowledges_neutrally(smollm2_writer):
    role = load_role(Settings().roles_dir / "backend-python.yaml")  # type: ignore[call-arg]
    question = role.questions[0]
    started = time.perf_counter()
    out = smollm2_writer.acknowledge(question, "I built an order export API.", [question.text])
    took = time.perf_counter() - started
    print(f"\nSmolLM2 acknowledgement in {took:.1f} s ({out.source}): {out.text!r}")
    if out.source == "model":
        assert check(out.text, [question.text], max_questions=0).ok
    else:
        assert out.text == ACKNOWLEDGEMENT
        assert out.rejected and not out.rejected.startswith("model error"), out.rejected
