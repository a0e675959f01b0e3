"""`prepare`, `ingest` and `model-server`: the models, the database and the knowledge index."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import click

from bot.cli.config import load_settings
from bot.settings import Settings


@click.command("prepare", help="prepare the models, the database and the knowledge index")
def prepare_command() -> int:
    """`interviewer prepare`."""
    prepare(load_settings())
    return 0


def prepare(settings: Settings, load_evaluator: bool = True, test_model: bool = True) -> None:
    """Everything serving needs on disk; fast when nothing changed (a second run takes seconds).

    `test_model`: run the generator's self-test in a child process (serve tests its own)."""
    from bot.evaluator import load_scorer
    from bot.generator.backends import prepare_model, self_test
    from bot.knowledge.base import KnowledgeBase
    from bot.store import Store

    settings.home.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    print("1/4 generator model", flush=True)
    print(f"    {prepare_model(settings, lambda m: print('    ' + m, flush=True))}")
    if test_model:
        report_self_test(self_test(settings))
    print("2/4 answer evaluator", flush=True)
    if load_evaluator:  # serve loads it right after, once
        load_scorer(settings)
    print("3/4 database", flush=True)
    Store(settings.db_url)
    print("4/4 knowledge index", flush=True)
    seed_documents(settings)
    report = KnowledgeBase(settings).ingest(progress=True)
    print(f"    {report}")
    print(f"prepared in {time.perf_counter() - t0:.1f}s", flush=True)


def report_self_test(result) -> None:
    """The generator's self-test in plain words: a failure is loud, but nothing stops."""
    if result is None:
        return
    if result.ok:
        print(f"    self-test: {result.detail}", flush=True)
        return
    print(f"WARNING the interviewer's model failed its self-test: {result.detail}", flush=True)
    print(f"WARNING the interviewer's model failed its self-test: {result.detail}",
          file=sys.stderr, flush=True)  # fmt: skip


def ready_writer(service, stop: threading.Event | None = None) -> None:
    """Self-test the model's process, then warm each turn prompt (serve and `interview`)."""
    self_test = getattr(service.writer, "self_test", None)
    if self_test is not None:
        report_self_test(self_test())
    service.warm_up(stop)
    if stop is None or not stop.is_set():
        print("    warm-up done: every role's probes and acknowledgements are ready", flush=True)


def seed_documents(settings: Settings) -> None:
    """A new installation starts from the shipped sample documents; HR's uploads add to them."""
    import shutil

    from bot.settings import SHIPPED

    target = settings.knowledge_dir
    if not target.exists() and (SHIPPED / "knowledge").is_dir():
        shutil.copytree(SHIPPED / "knowledge", target)
        print(f"    started {target} from the sample documents", flush=True)


@click.command("ingest", help="ingest knowledge/ into the vector store (incremental)")
def ingest() -> int:
    """`interviewer ingest`."""
    from bot.knowledge.base import KnowledgeBase

    settings = load_settings()
    seed_documents(settings)
    print(KnowledgeBase(settings).ingest(progress=True))
    return 0


def model_server() -> click.Command:
    """`interviewer model-server`: the model server's own command, its --model defaulting to
    the configured GGUF (the packaged Qwen by default) and --alias to that model's version."""
    from bot.generator.model_server import command

    return command(default_model=_configured_gguf)


def _configured_gguf() -> tuple[Path, str]:
    from bot.generator.backends import _gguf_path, _gguf_version

    settings = load_settings()
    path = _gguf_path(settings)
    return path, _gguf_version(settings, path)
