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
