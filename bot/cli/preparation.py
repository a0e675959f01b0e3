"""`prepare`, `ingest`, `model-server` and `evaluator train`: the models, database and index."""

from __future__ import annotations

import sys
import threading
import time

from bot.cli.config import load_settings
from bot.settings import Settings


def prepare_command(args, rest) -> int:
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


def ingest(args, rest) -> int:
    """`interviewer ingest`."""
    from bot.knowledge.base import KnowledgeBase

    settings = load_settings()
    seed_documents(settings)
    print(KnowledgeBase(settings).ingest(progress=True))
    return 0


def model_server(args, rest) -> int:
    """`interviewer model-server ...`: the words after it go to the model server's own parser."""
    from bot.generator.backends import _gguf_path, _gguf_version
    from bot.generator.model_server import main as model_server_main

    if "--model" not in rest:  # the configured GGUF (the packaged Qwen by default)
        settings = load_settings()
        path = _gguf_path(settings)
        rest = ["--model", str(path), "--alias", _gguf_version(settings, path), *rest]
    return model_server_main(rest)


def evaluator_train(args, rest) -> int:
    """`interviewer evaluator train ...`: the words after it go to the trainer's own parser."""
    from bot.evaluator.training.train import main as train_main

    return train_main(rest)
