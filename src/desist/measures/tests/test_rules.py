"""Each rule of measures.md on a tiny hand-made case, on Polars and DuckDB.

The same cases run on PySpark in ``test_spark.py`` (batched: Spark pays seconds per query).
"""

from __future__ import annotations

import pytest

from desist.measures.tests.cases import CASES, Case, batched_paths, check, run_batched, run_case


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_rule(case: Case, engine: str) -> None:
    check(case, run_case(case, engine))  # type: ignore[arg-type]


def test_batched_cases_give_the_same_figures_as_single_cases() -> None:
    """The batching the Spark test relies on changes no figure (checked on Polars)."""
    results = run_batched(CASES, "polars")
    for case in CASES:
        check(Case(case.name, case.measure, case.rows, batched_paths(case)), results[case.name])


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_reoffending_by_one_disposal_reports_it_at_the_top(engine: str) -> None:
    import datetime as dt

    import polars as pl

    from desist.dataset.frames import dataset_from_polars
    from desist.measures import reoffending_by_disposal

    data = dataset_from_polars(
        {
            "people": pl.DataFrame(
                {"person_id": ["a"], "date_of_birth": [dt.date(1990, 1, 1)], "sex": ["M"]}
            ),
            "custody": pl.DataFrame(
                {
                    "person_id": ["a"],
                    "start_date": [dt.date(2020, 12, 1)],
                    "release_date": [dt.date(2021, 2, 1)],
                    "kind": ["sentence"],
                }
            ),
        },
        engine,  # type: ignore[arg-type]
    )
    result = reoffending_by_disposal(
        data, dt.date(2021, 1, 1), dt.date(2021, 3, 31), dt.date(2023, 6, 1), ["conviction"]
    ).to_dict()
    assert (result["disposal"], result["cohort"], result["adult"]["cohort"]) == ("conviction", 1, 1)
