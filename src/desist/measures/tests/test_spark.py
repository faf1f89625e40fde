"""The rule cases on PySpark, in one session and as few queries as the cases allow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desist.measures.tests.cases import CASES, Case, batched_paths, check, run_batched
from desist.measures.tests.test_common import arithmetic, date_frame, expected


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from desist.dataset.frames import spark_session

    session = spark_session()
    session.sparkContext.setLogLevel("ERROR")
    # Tiny data: one task per shuffle, no adaptive re-planning, no code generation (each
    # query would otherwise compile Java for a handful of rows). Runtime settings only.
    tiny = {
        "spark.sql.shuffle.partitions": "1",
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.codegen.wholeStage": "false",
        "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    }
    before = {key: session.conf.get(key, None) for key in tiny}
    for key, value in tiny.items():
        session.conf.set(key, value)
    yield session
    for key, value in before.items():
        if value is None:
            session.conf.unset(key)
        else:
            session.conf.set(key, value)


@pytest.mark.spark
def test_every_rule_case_gives_the_same_figures_on_spark(spark: Any) -> None:
    results = run_batched(CASES, "spark")
    failures = []
    for case in CASES:
        try:
            check(Case(case.name, case.measure, case.rows, batched_paths(case)), results[case.name])
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, failures


@pytest.mark.spark
def test_date_arithmetic_on_spark(spark: Any) -> None:
    """Calendar months (dt.offset_by), day numbers and ages as on Polars and DuckDB."""
    assert arithmetic(date_frame("spark")) == expected()
