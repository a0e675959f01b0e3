"""Impact ratios in the NYC Local Law 144 format, from the employer's own data, at any time.

For a role and a date range: per sex, per race/ethnicity and per their intersection, the
selection rate (advance decisions among decided sessions) and the scoring rate (sessions whose
overall score is above the role's median), each group's impact ratio against the group with
the highest rate, and the four-fifths flag (a prompt to look, not a verdict). Groups under 2%
of the data are shown but left out of the ratios, as the rules allow (6 RCNY 5-301); candidates
who chose not to say, or did not answer, are counted as unknown.

Small counts are never shown: a group of fewer than `min_count` people (5 by default,
INTERVIEWER_FAIRNESS_MIN_GROUP, as statistical agencies publish) is shown as "fewer than 5"
with no rate or ratio, and when only one cell of a table would be hidden, the next smallest
is hidden too, so that no count can be worked out from the others and the session list. A
recruiter refreshing the report after one candidate submits learns nothing about that person.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.policy import PREFER_NOT, RACES, SEXES
from bot.staff.pages import render

if TYPE_CHECKING:
    from bot.catalog import RoleCatalog
    from bot.store import Store

UNKNOWN = "Unknown"
__all__ = ["PREFER_NOT", "RACES", "SEXES", "UNKNOWN", "Candidate", "ImpactReport", "impact_report"]
EXCLUDE_UNDER = 0.02  # groups under 2% of the data are left out of the ratios
FOUR_FIFTHS = 0.8
MIN_COUNT = 5  # groups smaller than this are shown as "fewer than 5"


@dataclass(frozen=True)
class Candidate:
    """One session as the audit sees it: no text, no name, only what the counts need."""

    sex: str  # one of SEXES, or UNKNOWN
    race: str  # one of RACES, or UNKNOWN
    selected: bool | None  # advanced (True), held or rejected (False), undecided (None)
    score: float | None  # the overall final score, if scored


@dataclass(frozen=True)
class Group:
    name: str
    count: int | None  # None: suppressed (too few to show)
    chosen: int | None  # selected, or scoring above the median
    rate: float | None
    impact_ratio: float | None
    excluded: bool  # under 2% of the data (or suppressed): left out of the ratios

    @property
    def flagged(self) -> bool:
        return self.impact_ratio is not None and self.impact_ratio < FOUR_FIFTHS


@dataclass(frozen=True)
class Table:
    """One measure (selection or scoring) over one way of grouping (sex, race, both)."""

    measure: str
    grouping: str
    groups: tuple[Group, ...]
    unknown: int | None  # candidates whose category is not known (None: suppressed)
    total: int  # candidates in the data for this measure
    min_count: int = MIN_COUNT


@dataclass(frozen=True)
class ImpactReport:
    role_id: str
    since: datetime | None
    until: datetime | None
    made_at: datetime
    median_score: float | None
    tables: tuple[Table, ...]
    versions: Mapping[str, str] = field(default_factory=dict)  # model and template versions


def _groupings() -> list[tuple[str, Callable[[Candidate], str | None]]]:
    def sex(c: Candidate) -> str | None:
        return c.sex if c.sex in SEXES else None

    def race(c: Candidate) -> str | None:
        return c.race if c.race in RACES else None

    def both(c: Candidate) -> str | None:
        return f"{c.sex} / {c.race}" if sex(c) and race(c) else None

    return [("sex", sex), ("race/ethnicity", race), ("sex x race/ethnicity", both)]


def table(measure: str, grouping: str, key: Callable[[Candidate], str | None],
          rows: Sequence[tuple[Candidate, bool]], min_count: int = MIN_COUNT) -> Table:  # fmt: skip
    """Counts, rates and impact ratios of one grouping; rows are (candidate, chosen)."""
    counts: dict[str, list[int]] = {}
    unknown = 0
    for candidate, chosen in rows:
        name = key(candidate)
        if name is None:
            unknown += 1
            continue
        tally = counts.setdefault(name, [0, 0])
        tally[0] += 1
        tally[1] += int(chosen)
    total = len(rows)
    hidden = suppressed({**{n: c[0] for n, c in counts.items()}, UNKNOWN: unknown}, min_count)
    rates = {n: c[1] / c[0] for n, c in counts.items()}
    kept = [n for n, c in counts.items()
            if total and c[0] / total >= EXCLUDE_UNDER and n not in hidden]  # fmt: skip
    top = max((rates[n] for n in kept), default=0.0)
    groups = tuple(
        Group(n, None, None, None, None, True) if n in hidden else
        Group(n, c[0], c[1], round(rates[n], 4),
              round(rates[n] / top, 4) if n in kept and top > 0 else None, n not in kept)
        for n, c in sorted(counts.items())
    )  # fmt: skip
    return Table(measure, grouping, groups, None if UNKNOWN in hidden else unknown, total,
                 min_count)  # fmt: skip


def suppressed(cells: Mapping[str, int], min_count: int) -> set[str]:
    """The cells not to show: every count from 1 to min_count - 1, and, while exactly one is
    hidden, the smallest other non-zero cell (else the total would give the hidden one away)."""
    hidden = {n for n, c in cells.items() if 0 < c < min_count}
    while len(hidden) == 1:
        others = sorted((c, n) for n, c in cells.items() if c > 0 and n not in hidden)
        if not others:
            break
        hidden.add(others[0][1])
    return hidden


def impact_report(role_id: str, candidates: Sequence[Candidate], since: datetime | None,
                  until: datetime | None, made_at: datetime,
                  versions: Mapping[str, str] | None = None,
                  min_count: int = MIN_COUNT) -> ImpactReport:  # fmt: skip
    """Selection and scoring tables for every grouping."""
    decided = [(c, bool(c.selected)) for c in candidates if c.selected is not None]
    scores = [c.score for c in candidates if c.score is not None]
    median = statistics.median(scores) if scores else None
    scored = [
        (c, c.score > median) for c in candidates if c.score is not None and median is not None
    ]
    tables = []
    for grouping, key in _groupings():
        tables.append(table("selection", grouping, key, decided, min_count))
        tables.append(table("scoring", grouping, key, scored, min_count))
    return ImpactReport(role_id, since, until, made_at, median, tuple(tables), dict(versions or {}))


COLUMNS = ("measure", "grouping", "group", "count", "selected or above median", "rate",
           "impact ratio", "excluded (<2%)", "under 0.8")  # fmt: skip


def to_csv(report: ImpactReport) -> str:
    """The report as CSV, one line a group, unknowns last in each table."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for t in report.tables:
        few = f"fewer than {t.min_count}"
        for g in t.groups:
            if g.count is None:
                w.writerow([t.measure, t.grouping, g.name, few, "", "", "", "", ""])
                continue
            w.writerow([t.measure, t.grouping, g.name, g.count, g.chosen, g.rate,
                        "" if g.impact_ratio is None else g.impact_ratio,
                        "yes" if g.excluded else "", "yes" if g.flagged else ""])  # fmt: skip
        unknown = few if t.unknown is None else t.unknown
        w.writerow([t.measure, t.grouping, UNKNOWN, unknown, "", "", "", "", ""])
    return out.getvalue()


def to_html(report: ImpactReport) -> str:
    """A printable page: the data range, when it was made, the versions, every table."""
    min_count = report.tables[0].min_count if report.tables else MIN_COUNT
    return render("audit.html.j2", report=report, min_count=min_count)


def gather(store: Store, catalog: RoleCatalog, role_id: str, since: datetime | None,
           until: datetime | None, min_count: int = MIN_COUNT) -> ImpactReport:  # fmt: skip
    """The report for a role from the store: decisions, overall scores and, in aggregate only,
    the self-identification of sessions started in [since, until)."""
    from datetime import UTC

    from bot.staff.review import summaries

    catalog.role(role_id)  # an unknown role is refused here
    sessions = [
        s for s in store.sessions(role_id)
        if (since is None or s.created_at >= since) and (until is None or s.created_at < until)
    ]  # fmt: skip
    rows = {r.id: r for r in summaries(store, catalog, role_id)}
    ids = store.self_ids_for_audit([s.id for s in sessions])
    candidates = []
    for s in sessions:
        found, summary = ids.get(s.id), rows[s.id]
        decided = summary.decision.decision if summary.decision else None
        candidates.append(Candidate(
            sex=found.sex if found else UNKNOWN,
            race=found.race_ethnicity if found else UNKNOWN,
            selected=None if decided is None else decided == "advance",
            score=summary.overall,
        ))  # fmt: skip
    evaluators = {sc.model_version for by_q in store.latest_scores(role_id).values()
                  for sc in by_q.values()}  # fmt: skip
    versions = {
        "template": ", ".join(f"v{v}" for v in sorted({s.template_version for s in sessions})),
        "evaluator": ", ".join(sorted(evaluators)),
    }
    return impact_report(role_id, candidates, since, until, datetime.now(UTC), versions, min_count)
