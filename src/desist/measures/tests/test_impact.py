"""The comparison-group impact estimate: matching, balance, the interval and the wording."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desist.dataset.frames import dataset_from_polars
from desist.measures import MeasureError, impact_estimate
from desist.measures.impact import estimate, greedy_match, standardised_difference
from desist.measures.tests.synthetic import AS_OF, impact_tables


def test_matching_takes_the_nearest_unused_within_the_caliper() -> None:
    pool = np.array([0.0, 1.0, 1.1, 5.0])
    treated = np.array([1.05, 1.02, 9.0])
    matches = greedy_match(treated, pool, caliper=0.5)
    # Highest score first: 9.0 finds nothing within 0.5; 1.05 takes 1.1 (0.05 away, nearer
    # than 1.0), then 1.02 takes 1.0; nobody is used twice.
    assert matches == [[2], [1], []]
    assert greedy_match(np.array([1.0]), pool, caliper=0.5, ratio=2) == [[1, 2]]


def test_standardised_difference_and_normal_interval() -> None:
    treated, control = np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.0, 0.0, 0.0, 1.0])
    # means 0.5 and 0.25; variances 0.25 and 0.1875 -> 100 * 0.25 / sqrt(0.21875)
    assert standardised_difference(treated, control) == pytest.approx(
        100 * 0.25 / math.sqrt(0.21875)
    )
    result = estimate(treated, control, np.ones(4))
    se = math.sqrt(treated.var(ddof=1) / 4 + 0.1875 / 4)
    assert result.difference == pytest.approx(0.25)
    assert (result.low, result.high) == pytest.approx(
        (0.25 - 1.96 * se, 0.25 + 1.96 * se), rel=1e-3
    )
    assert not result.significant


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_a_planted_reduction_is_found_and_worded(engine: str) -> None:
    data = dataset_from_polars(impact_tables(effect=-1.5), engine)  # type: ignore[arg-type]
    result = impact_estimate(data, "ppo", AS_OF)
    figures = result.figures
    assert figures["treated_matched"] >= 60
    assert figures["treated_matched"] + figures["treated_unmatched"] == 150
    assert figures["rate_significant"] and figures["rate_ci95_high"] < 0
    assert "less likely to reoffend" in " ".join(result.notes)
    balance = {row["covariate"]: row for row in result.tables["balance"]}
    before = abs(balance["previous_sanctions"]["std_diff_before"])
    assert abs(balance["previous_sanctions"]["std_diff_after"]) < before
    assert result.definition and result.source


def test_engines_agree_on_the_estimate() -> None:
    tables = impact_tables(seed=3)
    polars = impact_estimate(dataset_from_polars(tables, "polars"), "ppo", AS_OF).to_dict()
    duckdb = impact_estimate(dataset_from_polars(tables, "duckdb"), "ppo", AS_OF).to_dict()
    for key in ("treated_matched", "comparison_pool", "treated_rate", "comparison_rate"):
        assert duckdb[key] == pytest.approx(polars[key])


def test_too_few_treated_people_is_refused() -> None:
    data = dataset_from_polars(impact_tables(treated=40, pool=200), "polars")
    with pytest.raises(MeasureError, match=r"too few people to analyse: 40 .* at least 60"):
        impact_estimate(data, "ppo", AS_OF)


def test_unknown_or_empty_scheme_is_refused() -> None:
    data = dataset_from_polars(impact_tables(treated=70, pool=100), "polars")
    with pytest.raises(MeasureError, match="unknown scheme 'nope'"):
        impact_estimate(data, "nope", AS_OF)
    with pytest.raises(MeasureError, match="no one was adopted into the scheme 'gang'"):
        impact_estimate(data, "gang", AS_OF)
