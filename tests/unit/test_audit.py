"""Impact ratios computed as a person would by hand, and self-identification kept apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import BotError
from bot.staff.audit import UNKNOWN, Candidate, impact_report, suppressed, to_csv, to_html
from tests.unit.test_staff import GOOD, PARTIAL, make_parts

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def seeded() -> list[Candidate]:
    """100 candidates: 50 women (20 advanced), 45 men (30 advanced), 1 Asian woman among
    them (under 2%), 4 who did not say; scores so the median splits them known ways."""
    out = []
    for i in range(50):
        race = "Asian" if i == 0 else "White"
        out.append(Candidate("Female", race, i < 20, 0.9 if i < 10 else 0.1))
    for i in range(45):
        out.append(Candidate("Male", "White", i < 30, 0.9 if i < 36 else 0.1))
    for i in range(4):
        out.append(Candidate(UNKNOWN, UNKNOWN, i < 2, 0.9 if i < 2 else 0.1))
    out.append(Candidate("Male", "Black or African American", None, None))  # undecided
    return out


def group(report, measure, grouping, name):
    t = next(t for t in report.tables if (t.measure, t.grouping) == (measure, grouping))
    return t, next(g for g in t.groups if g.name == name)


def test_selection_rates_and_impact_ratios_match_a_hand_count():
    report = impact_report("r", seeded(), None, None, NOW, min_count=1)  # every count shown
    t, women = group(report, "selection", "sex", "Female")
    _, men = group(report, "selection", "sex", "Male")
    assert (women.count, women.chosen, women.rate) == (50, 20, 0.4)
    assert (men.count, men.chosen, round(men.rate, 4)) == (45, 30, 0.6667)
    assert women.impact_ratio == pytest.approx(0.4 / (30 / 45), abs=1e-4) and women.flagged
    assert men.impact_ratio == 1.0 and not men.flagged
    assert t.unknown == 4 and t.total == 99  # the undecided candidate is not in selection


def test_a_group_under_two_percent_is_shown_but_left_out_of_the_ratios():
    report = impact_report("r", seeded(), None, None, NOW, min_count=1)  # every count shown
    _, asian = group(report, "selection", "race/ethnicity", "Asian")
    assert asian.count == 1 and asian.excluded and asian.impact_ratio is None
    _, white = group(report, "selection", "race/ethnicity", "White")
    assert white.impact_ratio == 1.0  # the top among the groups that count


def test_scoring_rates_use_the_roles_median():
    report = impact_report("r", seeded(), None, None, NOW, min_count=1)  # every count shown
    assert report.median_score == 0.1
    _, women = group(report, "scoring", "sex", "Female")
    _, men = group(report, "scoring", "sex", "Male")
    assert (women.chosen, men.chosen) == (10, 36)
    assert women.impact_ratio == pytest.approx((10 / 50) / (36 / 45), abs=1e-4)
    assert "Female,50,10,0.2" in to_csv(report).replace("scoring,sex,", "")


def test_markup_in_a_role_or_a_version_prints_as_text_without_control_characters():
    versions = {"template": "v1", "evaluator": "fake\x07 <script>alert(1)</script>"}
    page = to_html(impact_report("<b>role</b>", seeded(), None, None, NOW, versions))
    assert "<script" not in page and "<b>" not in page and "\x07" not in page
    assert "Impact ratios: &lt;b&gt;role&lt;/b&gt;" in page
    assert "evaluator: fake &lt;script&gt;alert(1)&lt;/script&gt;; template: v1" in page
    assert "<tr><td>Female</td><td>50</td><td>20</td><td>0.400</td>" in page  # tags stay tags


def test_self_identification_is_stored_apart_and_never_shown_with_the_interview(tmp_path):
    parts = make_parts(tmp_path)
    token = parts.staff.create_invite(parts.recruiter, "test-role", "ana@example.com").token
    sid = parts.service.desk.open_invite(token)
    with pytest.raises(BotError, match="opens when the interview has ended"):
        parts.service.desk.self_identify(token, "Female", "Asian")
    parts.service.desk.reply(token, "yes")
    while not parts.service.is_finished(sid):
        parts.service.desk.reply(token, GOOD if parts.store.turns(sid) else PARTIAL)
    parts.service.desk.self_identify(token, "Female", "Native Hawaiian or Pacific Islander")
    with pytest.raises(BotError, match="already saved"):
        parts.service.desk.self_identify(token, "Male", "White")
    parts.staff.decide(parts.recruiter, sid, "advance", "strong answers")
    views = [
        repr(parts.service.transcript(sid)),
        repr(parts.service.history(sid)),
        repr(parts.staff.transcript(parts.recruiter, sid)),
        repr(parts.staff.sessions(parts.recruiter)),
        *(parts.staff.export(parts.recruiter, session_id=sid, fmt=f)[1].decode()
          for f in ("csv", "json", "html")),
        repr(parts.store.events(sid)),
    ]  # fmt: skip
    assert not any("Pacific Islander" in v or "Female" in v for v in views)
    report = parts.staff.impact_report(parts.recruiter, "test-role")
    _, found = group(report, "selection", "race/ethnicity", "Native Hawaiian or Pacific Islander")
    # Counted, in aggregate only, and a group of one is never shown: the recruiter who just
    # decided on this candidate would learn their race and outcome from it.
    assert (found.count, found.chosen, found.rate) == (None, None, None)
    page, table = to_html(report), to_csv(report)
    assert "fewer than 5" in page and "fewer than 5" in table
    assert "Pacific Islander,1" not in table and "<td>1</td>" not in page


def test_small_groups_are_shown_as_fewer_than_five_and_cannot_be_worked_out():
    rows = [Candidate("Female", "White", True, 0.9)] + [
        Candidate("Male", "White", i < 3, 0.5) for i in range(7)
    ]
    report = impact_report("r", rows, None, None, NOW)
    t, women = group(report, "selection", "sex", "Female")
    _, men = group(report, "selection", "sex", "Male")
    # One woman hidden alone would be 8 - 7 - 0: the next smallest cell is hidden too.
    assert women.count is None and men.count is None and t.unknown == 0
    assert women.impact_ratio is None and men.impact_ratio is None
    assert "Female,fewer than 5" in to_csv(report).replace("selection,sex,", "")


def test_the_cells_hidden_are_the_small_ones_and_one_more_when_one_alone_would_show():
    assert suppressed({"a": 10, "b": 3, "c": 12, UNKNOWN: 0}, 5) == {"b", "a"}
    assert suppressed({"a": 10, "b": 3, "c": 2, UNKNOWN: 6}, 5) == {"b", "c"}
    assert suppressed({"a": 10, "b": 30, UNKNOWN: 0}, 5) == set()
    assert suppressed({"a": 4, UNKNOWN: 0}, 5) == {"a"}  # nothing else to hide it behind
