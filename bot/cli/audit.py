"""`audit impact|counterfactual` and `retention apply`: this installation's own data, checked."""

from __future__ import annotations

import getpass

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


def audit_impact(args, rest) -> int:
    """`interviewer audit impact --role ROLE [--since DAY] [--until DAY] [--csv]`."""
    from bot.catalog import RoleCatalog
    from bot.staff.audit import gather, to_csv, to_html
    from bot.store import Store

    settings = load_settings()
    store = Store(settings.db_url)
    report = gather(store, RoleCatalog(store, settings.roles_dir), args.role,
                    _day(args.since), _day(args.until), settings.fairness_min_group)  # fmt: skip
    store.append_event(f"cli:{getpass.getuser()}", "audit.impact", {"role": args.role})
    print(to_csv(report) if args.csv else to_html(report))
    return 0


def audit_counterfactual(args, rest) -> int:
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
    if args.samples:
        graded = yaml.safe_load((SHIPPED / "tests/integration/answers/graded.yaml").read_text())
        answers = sample_answers(catalog.role(args.role), graded)
    else:
        answers = stored_answers(store, catalog, args.role, args.limit)
    if not answers:
        raise InputError(f"no stored answers for '{args.role}' yet; try --samples")
    print(as_text(audit(load_scorer(settings), answers), args.role))
    return 0


def retention_apply(args, rest) -> int:
    """`interviewer retention apply [--dry-run]`."""
    from datetime import UTC, datetime

    from bot.rights import past_retention
    from bot.store import Store

    settings = load_settings()
    store = Store(settings.db_url)
    due = past_retention(store, settings.retention_days, datetime.now(UTC))
    word = "would erase" if args.dry_run else "erased"
    for session_id in due:
        if not args.dry_run:
            store.erase_session(session_id, "system:retention", "retention")
        print(f"{word} session {session_id}")
    print(f"{word} {len(due)} session(s) past {settings.retention_days} days")
    return 0
