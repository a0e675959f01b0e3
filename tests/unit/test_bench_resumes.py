"""`interviewer bench resumes` reads the exchange format and prints agreement and fairness; a bad
line is named with its number (a word-overlap judge stands in for the model)."""

from __future__ import annotations

import json

import pytest

from bot.bench.resumes import agreement, bench_file, fairness, ndcg, read_rows, spearman
from bot.core.errors import InputError
from bot.resumes.matching import ResumeMatcher
from tests.unit.test_resumes import RESUME, WordJudge


def row(i: int, resume: str, relevance, **more) -> str:
    return json.dumps({
        "id": f"r{i}", "dataset": "t", "job_id": "j1", "job_title": "Backend",
        "job_text": "# Backend\n## Requirements\n- Python HTTP APIs\n", "requirements": None,
        "resume_id": more.pop("resume_id", f"c{i}"), "resume_text": resume, "resume_file": None,
        "relevance": relevance, "annotator": None, "draw": None, "group": None, **more,
    })  # fmt: skip


def test_rankings_are_compared_with_the_people_s_relevance(tmp_path):
    weak = "Sam Lee\n\nExperience\nCook, Diner | 2019 - 2022\n- Cooked breakfasts for guests\n"
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join([row(1, RESUME, 4), row(2, weak, 0), row(3, RESUME + "\n", 3)]))
    found = bench_file(ResumeMatcher(WordJudge()), path)
    scores = {r["id"]: r["score"] for r in found["rows"]}
    assert scores["r1"] > scores["r2"]
    per = found["agreement"]["all"]["per"]["job j1"]
    assert per["rows"] == 3 and per["ndcg"] is not None and per["ndcg"] > 0.9


def test_selection_rates_per_group_and_the_change_by_name():
    from bot.bench.resumes import Row

    def r(draw, resume_id, group):
        return Row(f"{draw}{resume_id}", "j", "", None, resume_id, "", None, None, draw, group)

    rows = [r("d1", "a", "g1"), r("d1", "b", "g2"), r("d2", "a", "g2"), r("d2", "b", "g1")]
    found = fairness(rows, [0.9, 0.5, 0.9, 0.5], k=1)["j"]
    assert found["top1"] == {"g1": 0.5, "g2": 0.5} and found["impact_top1"]["g1"] == 1.0
    assert found["mean_abs_change"] == 0.0
    skewed = fairness(rows, [0.9, 0.5, 0.4, 0.8], k=1)["j"]
    assert skewed["top1"] == {"g1": 1.0, "g2": 0.0} and skewed["impact_top1"]["g2"] == 0.0
    assert skewed["max_abs_change"] == pytest.approx(0.5)


def test_metrics_and_a_bad_line(tmp_path):
    assert spearman([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert ndcg([0.9, 0.1], [0, 4]) < ndcg([0.1, 0.9], [0, 4]) == pytest.approx(1.0)
    assert agreement([], []) == {}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(row(1, RESUME, 4) + "\n" + '{"id": "x"}\n')
    with pytest.raises(InputError, match="bad.jsonl:2"):
        read_rows(bad)
