"""Invariants of the measures on small random histories (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desist.dataset.frames import dataset_from_polars
from desist.measures import Period, offending_tracker, proven_reoffending
from desist.reference import lists

DAY0 = dt.date(2019, 1, 1)
PERIODS = [
    Period(dt.date(2021, 1, 1), dt.date(2021, 3, 31), "2021Q1"),
    Period(dt.date(2021, 4, 1), dt.date(2021, 6, 30), "2021Q2"),
]
REOFFENDING_AS_OF = dt.date(2035, 1, 1)
TRACKER_AS_OF = dt.date(2022, 12, 31)
GROUPS = ("arson", "shoplifting", "breach_of_order", "violence_with_injury", "criminal_damage")

PROPERTY_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def day(offset: int) -> dt.date:
    return DAY0 + dt.timedelta(days=offset)


@st.composite
def histories(draw: st.DrawFn) -> dict[str, pl.DataFrame]:
    """A few people with offences (any outcome), custody and memberships in 2019-2023."""
    n = draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(n)]
    people = pl.DataFrame(
        {
            "person_id": ids,
            "date_of_birth": [
                dt.date(draw(st.integers(1960, 2008)), draw(st.integers(1, 12)), 1) for _ in ids
            ],
            "sex": [draw(st.sampled_from(["M", "F"])) for _ in ids],
        }
    )
    offence_rows: list[dict[str, Any]] = []
    for number in range(draw(st.integers(0, 14))):
        committed = draw(st.integers(0, 5 * 365))
        outcome = draw(st.sampled_from(sorted(lists.outcomes())))
        offence_rows.append(
            {
                "offence_id": f"o{number}",
                "person_id": draw(st.sampled_from(ids)),
                "offence_date": day(committed),
                "offence_group": draw(st.sampled_from(GROUPS)),
                "outcome": outcome,
                "outcome_date": None
                if outcome == "pending"
                else day(committed + draw(st.integers(0, 400))),
                "sentence": draw(st.sampled_from(sorted(lists.sentences())))
                if outcome == "conviction"
                else None,
            }
        )
    custody_rows = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, 5 * 365))
        length = draw(st.one_of(st.none(), st.integers(0, 300)))
        custody_rows.append(
            {
                "person_id": draw(st.sampled_from(ids)),
                "start_date": day(start),
                "release_date": None if length is None else day(start + length),
                "kind": draw(st.sampled_from(["sentence", "remand", "recall"])),
            }
        )
    membership_rows = []
    for person in draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)):
        start = draw(st.integers(365, 4 * 365))
        length = draw(st.one_of(st.none(), st.integers(0, 500)))
        membership_rows.append(
            {
                "person_id": person,
                "scheme": draw(st.sampled_from(["ppo", "hccu"])),
                "start_date": day(start),
                "end_date": None if length is None else day(start + length),
                "tier": draw(st.sampled_from(["1", "2", None])),
            }
        )
    tables = {"people": people}
    if offence_rows:
        tables["offences"] = pl.DataFrame(offence_rows, infer_schema_length=None)
    if custody_rows:
        tables["custody"] = pl.DataFrame(custody_rows, infer_schema_length=None)
    if membership_rows:
        tables["cohort_memberships"] = pl.DataFrame(membership_rows, infer_schema_length=None)
    return tables


def measures(tables: dict[str, pl.DataFrame], engine: str = "polars") -> dict[str, Any]:
    data = dataset_from_polars(tables, engine)  # type: ignore[arg-type]
    reoffending = [r.to_dict() for r in proven_reoffending(data, PERIODS, REOFFENDING_AS_OF)]
    tracker = offending_tracker(data, TRACKER_AS_OF, include_pending=True).to_dict()
    for result in [*reoffending, tracker]:
        result.pop("engine")
    return {"reoffending": reoffending, "tracker": tracker}


def figure_groups(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The headline figures and every breakdown group's figures."""
    groups = [result]
    for value in result.values():
        if isinstance(value, dict):
            groups.extend(v for v in value.values() if isinstance(v, dict))
    return groups


def shuffled(tables: dict[str, pl.DataFrame], seed: int) -> dict[str, pl.DataFrame]:
    return {
        name: frame.sample(fraction=1.0, shuffle=True, seed=seed).select(frame.columns[::-1])
        for name, frame in tables.items()
    }


def with_offence(tables: dict[str, pl.DataFrame], row: dict[str, Any]) -> dict[str, pl.DataFrame]:
    extra = pl.DataFrame([row], infer_schema_length=None)
    if "offences" not in tables:
        return {**tables, "offences": extra}
    return {**tables, "offences": pl.concat([tables["offences"], extra], how="diagonal_relaxed")}


@PROPERTY_SETTINGS
@given(histories())
def test_rates_and_shares_lie_between_zero_and_one(tables: dict[str, pl.DataFrame]) -> None:
    out = measures(tables)
    for result in out["reoffending"]:
        for group in figure_groups(result):
            if "cohort" not in group:
                continue
            assert 0 <= group["reoffenders"] <= group["cohort"]
            assert group["reoffences"] >= group["reoffenders"]
            for key in ("rate",):
                assert group[key] is None or 0.0 <= group[key] <= 1.0
    for group in figure_groups(out["tracker"]):
        if "costed_share" in group:
            assert group["costed_share"] is None or 0.0 <= group["costed_share"] <= 1.0
            assert group["people"] >= 0 and group["people_excluded"] >= 0


@PROPERTY_SETTINGS
@given(histories(), st.integers(0, 2**16))
def test_shuffling_rows_changes_nothing(tables: dict[str, pl.DataFrame], seed: int) -> None:
    assert measures(shuffled(tables, seed)) == _approx(measures(tables))


@PROPERTY_SETTINGS
@given(histories(), st.data())
def test_an_offence_outside_every_window_changes_nothing(
    tables: dict[str, pl.DataFrame], data: st.DataObject
) -> None:
    person = data.draw(st.sampled_from(tables["people"]["person_id"].to_list()))
    before = measures(tables)
    # After every follow-up and waiting period and after every cohort period: not an
    # index event, not a reoffence, not a previous sanction of any index event.
    late = with_offence(
        tables,
        {
            "offence_id": "late",
            "person_id": person,
            "offence_date": dt.date(2028, 1, 1),
            "offence_group": "arson",
            "outcome": "conviction",
            "outcome_date": dt.date(2028, 2, 1),
            "sentence": "fine",
        },
    )
    assert measures(late)["reoffending"] == _approx(before["reoffending"])
    # Before every tracker window (adoptions are from 2020, windows from 2019).
    early = with_offence(
        tables,
        {
            "offence_id": "early",
            "person_id": person,
            "offence_date": dt.date(2016, 1, 1),
            "offence_group": "arson",
            "outcome": "conviction",
            "outcome_date": dt.date(2016, 2, 1),
            "sentence": "fine",
        },
    )
    assert measures(early)["tracker"] == _approx(before["tracker"])


def _approx(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _approx(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_approx(v) for v in value]
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-9, abs=1e-9)
    return value


@settings(PROPERTY_SETTINGS, max_examples=10)
@given(histories())
def test_polars_and_duckdb_agree(tables: dict[str, pl.DataFrame]) -> None:
    assert measures(tables, "duckdb") == _approx(measures(tables, "polars"))
