"""`interviewer bench scoring` on small files, with a fake judge standing in for the model."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

import bot.evaluator as evaluator
from bot.bench.scoring import scoring_main
from bot.evaluator.data import grouped_folds, read_rows
from bot.evaluator.rubric import Pair, Verdict


class WordJudge:
    """Support = share of the reference's words found in the answer."""

    version = "word-1"
    threshold = 0.5

    def judge(self, pairs: Sequence[Pair]) -> list[Verdict]:
        out = []
        for p in pairs:
            ref = set(p.reference.lower().split())
            s = len(ref & set(p.answer.lower().split())) / len(ref)
            out.append(Verdict(s, 0.0, 1.0 - s, s, s))
        return out

    def relatedness(self, items):
        return [0.0 for _ in items]


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _row(
    i, answer, score, refs=("water evaporates leaving salt",), lo=0.0, hi=1.0, label=None, ds="d1"
):
    return {
        "id": str(i), "dataset": ds, "split": "test", "question_id": f"q{i % 3}",
        "question": "How do you separate salt from water?", "reference_answer": refs[0],
        "reference_answers": list(refs), "answer": answer, "score": score,
        "score_min": lo, "score_max": hi, "label": label,
    }  # fmt: skip


@pytest.fixture
def word_judge(monkeypatch):
    monkeypatch.setattr(evaluator, "load_judge", lambda *args, **kwargs: WordJudge())


def test_binary_file_reports_every_metric_as_one_json_object(tmp_path, capsys, word_judge):
    rows = [
        _row(1, "the water evaporates leaving the salt", 1.0, label="correct"),
        _row(2, "salt stays when water evaporates", 1.0, label="correct"),
        _row(3, "I shake it", 0.0, label="incorrect"),
        _row(4, "the salt evaporates and water stays", 0.0, label="contradictory"),
        _row(5, "filter it", 0.0, label="incorrect"),
    ]
    path = _write(tmp_path / "binary.jsonl", rows)
    assert scoring_main(["--data", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    m = out["binary.jsonl"]
    keys = {
        "pearson",
        "spearman",
        "rmse",
        "auc",
        "macro_f1",
        "qwk",
        "rows",
        "rows_per_s",
        "median_ms",
    }
    assert keys <= set(m)
    assert m["rows"] == 5 and m["qwk"] is None
    assert m["auc"] == pytest.approx(11 / 12, abs=1e-3)  # the contradiction ties a correct answer
    assert m["macro_f1"] is not None and m["rows_per_s"] > 0
    assert isinstance(m["median_ms"], float)  # measured, in milliseconds


def test_graded_file_gets_qwk_and_no_binary_metrics(tmp_path, capsys, word_judge):
    rows = [_row(i, a, s, lo=0, hi=5) for i, (a, s) in enumerate(
        [("water evaporates leaving salt", 5), ("water evaporates", 3), ("no idea", 0),
         ("salt", 1), ("evaporates leaving salt", 4)])]  # fmt: skip
    path = _write(tmp_path / "graded.jsonl", rows)
    assert scoring_main(["--data", str(path), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)["graded.jsonl"]
    assert m["auc"] is None and m["macro_f1"] is None
    assert m["qwk"] is not None and m["pearson"] > 0.8
    assert m["rmse"] < 2.5  # the 0..1 output is mapped onto 0..5 before comparing


def test_best_reference_counts_and_mixed_datasets_are_reported_separately(
    tmp_path, capsys, word_judge
):
    refs = ("circuit is closed", "the bulb is in a closed path")
    rows = [
        _row(1, "the bulb is in a closed path", 1.0, refs=refs, ds="a"),
        _row(2, "nothing", 0.0, refs=refs, ds="a"),
        _row(3, "water evaporates leaving salt", 1.0, ds="b"),
        _row(4, "salt", 0.0, ds="b"),
    ]
    path = _write(tmp_path / "mixed.jsonl", rows)
    assert scoring_main(["--data", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"mixed.jsonl", "mixed.jsonl [a]", "mixed.jsonl [b]"}
    assert out["mixed.jsonl"]["macro_f1"] == 1.0  # row 1 matches its second reference fully


def test_missing_or_malformed_file_fails_with_the_place_to_fix(tmp_path, capsys, word_judge):
    assert scoring_main(["--data", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(_row(1, "x", 1.0)) + "\n" + '{"id": "2"}\n')
    assert scoring_main(["--data", str(bad)]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().err


def test_grouped_folds_never_split_a_question(tmp_path):
    rows = [_row(i, f"answer {i}", float(i % 2), ds="ab"[i % 2]) for i in range(60)]
    for r in rows:
        r["question_id"] = f"q{r['id'] and int(r['id']) % 7}"
    parsed = read_rows(_write(tmp_path / "f.jsonl", rows))
    folds = grouped_folds(parsed, 3, seed=1)
    assert sorted(i for f in folds for i in f) == list(range(60))
    owners = {}
    for k, fold in enumerate(folds):
        for i in fold:
            assert owners.setdefault(parsed[i].group, k) == k
    assert folds == grouped_folds(parsed, 3, seed=1)


def test_course_modules_are_held_out_whole_and_placeholders_are_not_scored(
    tmp_path, capsys, word_judge
):
    rows = [_row(i, f"answer {i}", 0.5, ds="saf") for i in range(20)]
    for i, r in enumerate(rows):
        r["module"], r["question_id"] = f"m{i % 4}", f"q{i % 8}"
    rows[0]["answer"] = "No response."
    parsed = read_rows(_write(tmp_path / "saf.jsonl", rows))
    folds = grouped_folds(parsed, 2, seed=3)
    for fold in folds:
        modules = {parsed[i].module for i in fold}
        assert all(parsed[j].module not in modules for other in folds if other is not fold
                   for j in other)  # fmt: skip
    assert scoring_main(["--data", str(tmp_path / "saf.jsonl"), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)["saf.jsonl"]
    assert m["rows"] == 19 and m["placeholders_left_out"] == 1
