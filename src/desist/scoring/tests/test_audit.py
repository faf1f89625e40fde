"""Audit of a score: known answers on a small file, DeLong against brute force, bad files."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from desist.scoring import audit
from desist.scoring.errors import ScoresFileError

SMALL = "id,score,reoffended,sex\n1,0.1,0,F\n2,0.4,0,M\n3,0.35,1,F\n4,0.8,1,M\n"


def write(tmp_path: Path, text: str, name: str = "scores.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_known_answers_on_a_small_file(tmp_path: Path) -> None:
    table = audit.read_scores(write(tmp_path, SMALL), "score", "reoffended", "sex")
    result = audit.audit(table, 0.4)
    assert result["auc"] == 0.75
    assert result["n"] == 4 and result["positives"] == 2
    overall = result["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"], overall["tn"]) == (1, 1, 1, 1)
    assert overall["fpr"] == overall["fnr"] == overall["ppv"] == overall["selection_rate"] == 0.5
    f, m = result["groups"]["F"], result["groups"]["M"]
    assert (f["n"], f["selection_rate"], f["fpr"], f["fnr"], f["ppv"]) == (2, 0.0, 0.0, 1.0, None)
    assert (m["n"], m["selection_rate"], m["fpr"], m["fnr"], m["ppv"]) == (2, 1.0, 1.0, 0.0, 0.5)
    assert result["brier"] == pytest.approx((0.01 + 0.16 + 0.65**2 + 0.04) / 4)
    assert result["score_is_probability"]
    assert f["observed_over_expected"] == pytest.approx(0.5 / 0.225)
    assert [b["n"] for b in audit.calibration_bins(table.outcomes, table.scores, 2)] == [2, 2]


def brute_delong(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    pos, neg = s[y], s[~y]

    def psi(a: float, b: float) -> float:
        return 1.0 if a > b else 0.5 if a == b else 0.0

    v10 = np.array([np.mean([psi(x, z) for z in neg]) for x in pos])
    v01 = np.array([np.mean([psi(x, z) for x in pos]) for z in neg])
    auc = float(v10.mean())
    return auc, float(v10.var(ddof=1) / pos.size + v01.var(ddof=1) / neg.size)


def test_delong_matches_brute_force_and_sklearn() -> None:
    rng = np.random.default_rng(3)
    y = rng.random(60) < 0.4
    s = np.round(rng.normal(size=60) + y, 1)  # rounding makes ties
    auc, var = audit.delong(y, s)
    expected_auc, expected_var = brute_delong(y, s)
    assert auc == pytest.approx(expected_auc) == pytest.approx(roc_auc_score(y, s))
    assert var == pytest.approx(expected_var)
    _, low, high = audit.auc_interval(y, s)
    assert low < auc < high
    _, b_low, b_high = audit.auc_interval(y, s, "bootstrap", resamples=200, seed=1)
    assert b_low < auc < b_high


def test_rates_with_no_denominator_are_null() -> None:
    row = audit.at_threshold(np.array([1, 1]), np.array([0.2, 0.3]), 0.9, True)
    assert row["fpr"] is None and row["ppv"] is None and row["fnr"] == 1.0
    assert row["auc"] is None


def test_scores_that_are_not_probabilities_have_no_brier(tmp_path: Path) -> None:
    text = "score,y\n" + "".join(f"{v},{o}\n" for v, o in itertools.product([10, 40, 90], [0, 1]))
    result = audit.audit(audit.read_scores(write(tmp_path, text), "score", "y"), 40)
    assert result["brier"] is None and result["overall"]["observed_over_expected"] is None
    assert result["groups"] == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("score,y\n0.1,0\n,1\n0.5,1\n", r"scores\.csv:3: score: empty value"),
        ("score,y\n0.1,0\nhigh,1\n", r"scores\.csv:3: score: 'high' is not a number"),
        ("score,y\n0.1,0\n0.2,\n", r"scores\.csv:3: y: empty value"),
        ("score,y\n0.1,0\n0.2,maybe\n", r"scores\.csv:3: y: 'maybe' is not 0 or 1"),
        ("score,y\n0.1,1\n0.2,1\n", r"y: every one of the 2 rows is 1: .*need both"),
        ("score,outcome\n0.1,1\n", r"no column 'y' \(columns: score, outcome\)"),
        ("score,y\n", r"no rows"),
    ],
)
def test_bad_scores_files_name_the_row_or_column(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ScoresFileError, match=message):
        audit.read_scores(write(tmp_path, text), "score", "y")


def test_missing_group_values_form_their_own_group(tmp_path: Path) -> None:
    text = "score,y,g\n0.1,0,a\n0.9,1,\n0.5,1,a\n0.2,0,\n"
    result = audit.audit(audit.read_scores(write(tmp_path, text), "score", "y", "g"), 0.5)
    assert set(result["groups"]) == {"a", "(missing)"}
    assert "(missing)" in audit.render_table(result)
