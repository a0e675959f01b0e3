"""`interviewer bench generator [--json]`: what the interviewer says between questions.

Over the sample roles' graded answers (tests/integration/answers/graded.yaml: a strong, a weak
and a non-native answer to every question), each answer is scored by the real evaluator, then
acknowledged, and probed on its first missing key point when one is missing: the same calls a
turn makes, with the configured generator backend. Prints every text with where it came from,
then: the share of acknowledgements and probes that are the model's own (the rest are HR's
words, after a guard refused the model's), probes that ask for a point the evaluator found
covered, texts shown that fail the guards (escapes), and the median and worst seconds.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

import click
import yaml

from bot import commandline
from bot.generator import guards
from bot.settings import SHIPPED, Settings

GRADED = SHIPPED / "tests" / "integration" / "answers" / "graded.yaml"


def run(settings: Settings) -> dict[str, Any]:
    from bot.catalog import RoleCatalog
    from bot.evaluator import load_scorer
    from bot.generator.writer import load_writer
    from bot.store import Store

    graded = yaml.safe_load(GRADED.read_text(encoding="utf-8"))
    catalog = RoleCatalog(Store(settings.db_url), settings.roles_dir)
    catalog.publish_role_files()
    scorer, writer = load_scorer(settings), load_writer(settings)
    try:
        writer.self_test()  # the model's own process answers before the first text is timed
        return _run(graded, catalog, scorer, writer)
    finally:
        writer.close()


def _run(graded: dict[str, Any], catalog: Any, scorer: Any, writer: Any) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for role_id, questions in graded.items():
        role = catalog.role(role_id)
        for question in role.questions:
            for variant, answer in questions.get(question.id, {}).items():
                score = scorer.score(question, answer)
                asked = [question.text]
                started = time.perf_counter()
                ack = writer.acknowledge(question, answer, asked)
                rows.append(_row("acknowledge", role_id, question.id, variant, ack, started))
                by_id = {k.id: k for k in question.key_points}
                missing = [by_id[i] for i in score.to_probe]  # what a turn would probe
                if not missing:
                    continue
                started = time.perf_counter()
                probe = writer.probe(question, answer, missing, asked)
                row = _row("probe", role_id, question.id, variant, probe, started)
                covered = [
                    (k.text, question.probe_for(k)) for k in question.key_points
                    if k not in missing
                ]  # fmt: skip
                row["asks_covered"] = guards.asks_for_covered(
                    probe.text,
                    [missing[0].text, question.probe_for(missing[0])],
                    covered,
                    f"{answer} {question.text}",
                ) if probe.source == "model" else False  # fmt: skip
                row["escape"] = probe.source == "model" and not guards.check(
                    probe.text, [question.text], min_questions=1, max_questions=1
                ).ok
                rows.append(row)
    for row in rows:
        if row["kind"] == "acknowledge":
            row["escape"] = row["source"] == "model" and not guards.check(
                row["text"], [], max_questions=0, max_chars=160
            ).ok
    return {"backend": writer.version, "rows": rows, "totals": totals(rows)}


def _row(kind: str, role: str, qid: str, variant: str, written: Any, started: float) -> dict:
    return {
        "kind": kind,
        "role": role,
        "question": qid,
        "variant": variant,
        "text": written.text,
        "source": written.source,
        "rejected": written.rejected,
        "seconds": round(time.perf_counter() - started, 3),
    }


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("acknowledge", "probe"):
        mine = [r for r in rows if r["kind"] == kind]
        if not mine:
            continue
        seconds = [r["seconds"] for r in mine]
        out[kind] = {
            "count": len(mine),
            "model_share": round(sum(r["source"] == "model" for r in mine) / len(mine), 3),
            "distinct_texts": len({r["text"] for r in mine}),
            "median_s": round(statistics.median(seconds), 3),
            "max_s": round(max(seconds), 3),
            "escapes": sum(bool(r.get("escape")) for r in mine),
        }
    out["probes_asking_covered"] = sum(bool(r.get("asks_covered")) for r in rows)
    return out


@click.command("generator", help=__doc__)
@click.option("--json", "as_json", is_flag=True, help="one JSON object: rows and totals")
@click.pass_context
def generator(ctx: click.Context, as_json: bool) -> int:
    """`interviewer bench generator`: the writer's texts over the sample answers."""
    # Handed in by `main`; else filled from the environment.
    result = run(ctx.find_object(Settings) or Settings())  # type: ignore[call-arg]
    if as_json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return 0
    print(f"backend: {result['backend']}")
    for r in result["rows"]:
        refused = f"   [refused: {r['rejected']}]" if r["rejected"] else ""
        print(
            f"{r['seconds']:5.2f}s {r['kind']:>11} {r['source']:>8} "
            f"{r['question']}/{r['variant']}: {r['text']}{refused}"
        )
    print(json.dumps(result["totals"], indent=2))
    return 0


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """`interviewer bench generator ...` as a function (argv: the words after 'generator')."""
    return commandline.run(generator, argv, "interviewer bench generator", obj=settings)
