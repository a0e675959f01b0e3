"""`audit impact|counterfactual` and `retention apply`: this installation's own data, checked."""

from __future__ import annotations

import getpass

import click

from bot.cli.config import load_settings
from bot.core.errors import InputError


def _day(text: str | None):
    from datetime import UTC, datetime

    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise InputError(f"'{text}' is not a date: write it as YYYY-MM-DD") from exc


@click.command("impact", help="impact ratios for a role (LL144 format)")
@click.option("--role", required=True, metavar="ROLE")
@click.option("--since", metavar="DAY", help="YYYY-MM-DD: sessions started on or after this day")
@click.option("--until", metavar="DAY", help="YYYY-MM-DD: sessions started before this day")
@click.option("--csv", "as_csv", is_flag=True, help="CSV instead of the printable page")
def audit_impact(role: str, since: str | None, until: str | None, as_csv: bool) -> int:
    """`interviewer audit impact --role ROLE [--since DAY] [--until DAY] [--csv]`."""
    from bot.catalog import RoleCatalog
    from bot.staff.audit import gather, to_csv, to_html
    from bot.store import Store

    settings = load_settings()
    store = Store(settings.db_url)
    report = gather(store, RoleCatalog(store, settings.roles_dir), role,
                    _day(since), _day(until), settings.fairness_min_group)  # fmt: skip
    store.append_event(f"cli:{getpass.getuser()}", "audit.impact", {"role": role})
    print(to_csv(report) if as_csv else to_html(report))
    return 0


@click.command(
    "counterfactual", help="re-score answers with names, pronouns and English variants swapped"
)
@click.option("--role", required=True, metavar="ROLE")
@click.option("--samples", is_flag=True,
              help="the shipped sample answers instead of this installation's")  # fmt: skip
@click.option("--limit", type=int, default=100, show_default=True, metavar="N",
              help="most recent answers re-scored")  # fmt: skip
def audit_counterfactual(role: str, samples: bool, limit: int) -> int:
    """`interviewer audit counterfactual --role ROLE [--samples] [--limit N]`."""
    import yaml

    from bot.catalog import RoleCatalog
    from bot.evaluator import load_scorer
    from bot.settings import SHIPPED
    from bot.staff.counterfactual import as_text, audit, sample_answers, stored_answers
    from bot.store import Store

    settings = load_settings()
    store = Store(settings.db_url)
    catalog = RoleCatalog(store, settings.roles_dir)
    if samples:
        graded = yaml.safe_load((SHIPPED / "tests/integration/answers/graded.yaml").read_text())
        answers = sample_answers(catalog.role(role), graded)
    else:
        answers = stored_answers(store, catalog, role, limit)
    if not answers:
        raise InputError(f"no stored answers for '{role}' yet; try --samples")
    print(as_text(audit(load_scorer(settings), answers), role))
    return 0


@click.command("apply", help="erase data past INTERVIEWER_RETENTION_DAYS")
@click.option("--dry-run", is_flag=True, help="list what would be erased")
def retention_apply(dry_run: bool) -> int:
    """`interviewer retention apply [--dry-run]`."""
    from datetime import UTC, datetime

    from bot.rights import past_retention
    from bot.store import Store

    settings = load_settings()
    store = Store(settings.db_url)
    due = past_retention(store, settings.retention_days, datetime.now(UTC))
    word = "would erase" if dry_run else "erased"
    for session_id in due:
        if not dry_run:
            store.erase_session(session_id, "system:retention", "retention")
        print(f"{word} session {session_id}")
    print(f"{word} {len(due)} session(s) past {settings.retention_days} days")
    return 0
