"""`interviewer bench answers [--data FILE] [--json]`: candidates' questions about the role.

Each line of the file is one JSON object: `role`, `question`, and `expect`, a list of groups
of strings (the reply must contain one string of every group) or null when the documents do
not answer the question and the reply should defer to the recruiter. Every question goes
through the app's own retrieval and writer. Prints each reply, its sources and the outcome,
then the totals: right, deferred (when it should have answered), wrong (a wrong fact, or an
answer where the documents hold none), unanswerable questions correctly deferred, and the
median and longest time from question to reply.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import click

from bot import commandline
from bot.core.errors import BotError, InputError
from bot.core.policy import DEFERRAL
from bot.settings import SHIPPED, Settings

DEFAULT_DATA = SHIPPED / "tests" / "bench" / "candidate_questions.jsonl"


def read(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            assert isinstance(row["role"], str) and isinstance(row["question"], str)
            assert row["expect"] is None or all(isinstance(g, list) for g in row["expect"])
        except (ValueError, KeyError, AssertionError) as exc:
            raise InputError(
                f"{path}:{n}: not a question row ({exc!r}); each line needs role, question "
                "and expect (a list of lists of strings, or null)"
            ) from exc
        rows.append(row)
    return rows


def outcome(row: dict[str, Any], text: str, answered: bool) -> str:
    """'right', 'deferred' or 'wrong' for one reply."""
    if row["expect"] is None:
        return "right" if not answered else "wrong"
    if not answered:
        return "deferred"
    said = text.lower()
    ok = all(any(alt.lower() in said for alt in group) for group in row["expect"])
    return "right" if ok else "wrong"


def run(settings: Settings, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Every question through retrieval and the writer, as a candidate's would go."""
    from bot.catalog import RoleCatalog
    from bot.knowledge.base import KnowledgeBase
    from bot.store import Store

    store = Store(settings.db_url)
    catalog = RoleCatalog(store, settings.roles_dir)
    catalog.publish_role_files()
    knowledge = KnowledgeBase(settings)
    out = []
    for row in rows:
        started = time.perf_counter()
        role = catalog.role(row["role"])
        written = knowledge.answer(role, row["question"], settings.retrieval_k)
        seconds = time.perf_counter() - started
        answered = bool(written.sources) and written.text != DEFERRAL
        out.append({**row, "reply": written.text, "answered": answered,
                    "sources": [f"{s.source} § {s.heading}" for s in written.sources],
                    "outcome": outcome(row, written.text, answered),
                    "seconds": round(seconds, 3)})  # fmt: skip
    answerable = [r for r in out if r["expect"] is not None]
    unanswerable = [r for r in out if r["expect"] is None]
    counts = Counter(r["outcome"] for r in answerable)
    totals = {
        "answerable": len(answerable),
        "right": counts["right"],
        "deferred": counts["deferred"],
        "wrong": counts["wrong"] + sum(r["outcome"] == "wrong" for r in unanswerable),
        "unanswerable": len(unanswerable),
        "unanswerable_deferred": sum(r["outcome"] == "right" for r in unanswerable),
        # retrieval and reply, as in a candidate's turn (scoring aside)
        "median_s": round(statistics.median(r["seconds"] for r in out), 3) if out else None,
        "max_s": max((r["seconds"] for r in out), default=None),
    }
    return {"rows": out, "totals": totals}


@click.command("answers", help=__doc__)
@click.option("--data", type=click.Path(path_type=Path), default=DEFAULT_DATA, metavar="FILE",
              help="question rows, one JSON object a line (default: the shipped set)")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="one JSON object: rows and totals")
def answers(data: Path, as_json: bool) -> int:
    """`interviewer bench answers`: every question through retrieval and the writer."""
    try:
        result = run(Settings(), read(data))  # type: ignore[call-arg]
    except BotError as exc:
        print(f"error: {exc.public()}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(result))
        return 0
    for r in result["rows"]:
        print(f"[{r['outcome']:>8}] ({r['role']}) {r['question']}\n    {r['reply'][:300]}")
        for s in r["sources"]:
            print(f"    source: {s}")
    print(json.dumps(result["totals"]))
    return 0


def main(argv: list[str] | None = None) -> int:
    """`interviewer bench answers ...` as a function (argv: the words after 'answers')."""
    return commandline.run(answers, argv, "interviewer bench answers")
