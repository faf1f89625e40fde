"""The date arithmetic every engine shares, and the definitions quoted from docstrings."""

from __future__ import annotations

import datetime as dt

import narwhals as nw
import polars as pl
import pytest

from desist.dataset.frames import DataSet, dataset_from_polars
from desist.measures import offending_tracker, proven_reoffending
from desist.measures.common import (
    Result,
    add_months,
    collect,
    day_number,
    days_after,
    describe,
    months_after,
    to_day_number,
    whole_years,
)

DATES = [
    dt.date(1899, 12, 31),
    dt.date(1900, 2, 28),
    dt.date(1970, 1, 1),
    dt.date(2000, 2, 29),
    dt.date(2019, 8, 31),
    dt.date(2020, 1, 31),
    dt.date(2020, 2, 29),
    dt.date(2021, 2, 28),
    dt.date(2023, 12, 31),
    dt.date(2100, 3, 1),
]


def date_frame(engine: str) -> DataSet:
    """The dates as offence dates (the birth date is a fixed 29 February)."""
    offences = pl.DataFrame(
        {
            "offence_id": [str(i) for i in range(len(DATES))],
            "person_id": ["p"] * len(DATES),
            "offence_date": DATES,
            "outcome_date": [dt.date(2004, 2, 29)] * len(DATES),
        }
    )
    return dataset_from_polars({"offences": offences}, engine)  # type: ignore[arg-type]


def arithmetic(data: DataSet) -> list[dict[str, object]]:
    col = nw.col("offence_date")
    return collect(
        data["offences"]
        .select(
            "offence_id",
            day_number(col).alias("day"),
            months_after(col, 12).alias("plus12"),
            months_after(col, 18).alias("plus18"),
            months_after(col, -12).alias("minus12"),
            days_after(col, -365).alias("minus365"),
            whole_years(nw.col("outcome_date"), col).alias("age"),
        )
        .sort("offence_id")
    ).to_dicts()


def expected() -> list[dict[str, object]]:
    born = dt.date(2004, 2, 29)
    return [
        {
            "offence_id": str(i),
            "day": to_day_number(d),
            "plus12": add_months(d, 12),
            "plus18": add_months(d, 18),
            "minus12": add_months(d, -12),
            "minus365": d - dt.timedelta(days=365),
            "age": d.year - born.year - ((d.month, d.day) < (born.month, born.day)),
        }
        for i, d in sorted(enumerate(DATES), key=lambda pair: str(pair[0]))
    ]


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_date_arithmetic_is_calendar_exact_and_stays_dates(engine: str) -> None:
    assert arithmetic(date_frame(engine)) == expected()


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(dt.date(2020, 2, 29), 12) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2021, 8, 31), 6) == dt.date(2022, 2, 28)
    assert add_months(dt.date(2021, 1, 31), -2) == dt.date(2020, 11, 30)


def test_every_measure_quotes_its_definition_and_source() -> None:
    for measure in (proven_reoffending, offending_tracker):
        definition, source = describe(measure)
        assert len(definition) > 100 and len(source) > 30
        assert "Definition:" not in definition and "Source:" not in definition


def test_result_rows_carry_the_definition_and_source() -> None:
    result = Result(
        "m",
        "the rule",
        "the source",
        meta={"as_of": dt.date(2021, 1, 1)},
        figures={"n": 1},
        breakdowns={"by_x": {"a": {"n": 1}}},
    )
    rows = result.rows()
    assert rows[0] == {
        "section": "total",
        "group": "all",
        "n": 1,
        "as_of": "2021-01-01",
        "measure": "m",
        "definition": "the rule",
        "source": "the source",
    }
    assert rows[1]["section"] == "by_x" and rows[1]["group"] == "a"
    assert result.to_dict()["by_x"] == {"a": {"n": 1}}
