"""Properties over generated data sets: any valid data set re-imports with no change, and its
Parquet form loads the same rows as its CSV form."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desist.ingest.service import run_import
from desist.ingest.tests.builders import Row, dataset, intervention_row
from desist.reference import lists

maybe = st.none() | st.just("")
dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2020, 12, 31))


@st.composite
def offences(draw: st.DrawFn, index: int) -> Row:
    outcome = draw(st.sampled_from(list(lists.outcomes())))
    committed = draw(dates)
    sentence = (
        draw(st.sampled_from([None, *lists.sentences()])) if outcome == "conviction" else None
    )
    return {
        "offence_id": f"O{index}",
        "person_id": draw(st.sampled_from(["P1", "P2"])),
        "offence_date": committed.isoformat(),
        "offence_group": draw(st.sampled_from(list(lists.offence_groups()))),
        "offence_code": draw(maybe | st.text("0123456789/", min_size=1, max_size=8)),
        "domestic_abuse": draw(maybe | st.sampled_from(["true", "false", "TRUE"])),
        "outcome": outcome,
        "outcome_date": None if outcome == "pending" else committed.isoformat(),
        "sentence": sentence,
        "custody_days": str(draw(st.integers(1, 5000))) if sentence == "custody" else None,
    }


@st.composite
def data_sets(draw: st.DrawFn) -> tuple[list[Row], list[Row], list[Row]]:
    people = [
        {
            "person_id": person_id,
            "date_of_birth": draw(
                st.dates(min_value=date(1940, 1, 1), max_value=date(2004, 1, 1))
            ).isoformat(),
            "sex": draw(st.sampled_from(["M", "F", "X", "U"])),
            "ethnicity": draw(maybe | st.sampled_from(["W1", "B2", "Other, not stated"])),
            "given_name": draw(maybe | st.text(min_size=1, max_size=20).filter(str.strip)),
        }
        for person_id in ("P1", "P2")
    ]
    count = draw(st.integers(0, 6))
    rows = [draw(offences(i)) for i in range(count)]
    interventions = [
        intervention_row(
            "I1",
            referral_date=None,
            start_date=None,
            end_date=None,
            status=draw(st.sampled_from(["referred", "withdrawn"])),
        )
    ]
    return people, rows, interventions


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data_sets())
def test_any_valid_data_set_reimports_unchanged_and_parquet_matches_csv(
    data: tuple[list[Row], list[Row], list[Row]],
) -> None:
    people, rows, interventions = data
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        folder = Path(tmp)
        dataset(folder / "csv", people=people, offences=rows, interventions=interventions)
        dataset(
            folder / "parquet",
            people=people,
            offences=rows,
            interventions=interventions,
            parquet=True,
        )

        first = run_import(folder / "csv")
        assert first.loaded, [str(p) for p in first.problems]
        for again in (run_import(folder / "csv"), run_import(folder / "parquet")):
            assert again.loaded, [str(p) for p in again.problems]
            assert all(c.inserted == 0 and c.updated == 0 for c in again.counts.values()), (
                again.counts
            )
        transaction.set_rollback(True)
