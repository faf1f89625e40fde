"""Loading: idempotency, updates, partial extracts, --skip-invalid, Parquet, the ImportRun."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desist.cohorts.models import CohortMembership, RagReview
from desist.ingest.load import TARGETS, Counts
from desist.ingest.models import ImportRun
from desist.ingest.service import run_import
from desist.ingest.tests.builders import (
    dataset,
    full_dataset,
    offence_row,
    person_row,
)
from desist.interventions.models import Intervention
from desist.offending.models import Arrest, CustodyPeriod, Offence
from desist.people.models import Person


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every imported table's rows (timestamps included), for before/after comparisons."""
    return {
        name: sorted(
            tuple(row.values())
            for row in target.model_class()._default_manager.values().order_by("pk")
        )
        for name, target in TARGETS.items()
    }


def _data(snapshot: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """A snapshot without ids and timestamps: only what came from the files."""
    return {
        name: sorted(
            tuple(v for v in row if not hasattr(v, "tzinfo") or isinstance(v, date))[1:]
            for row in rows
        )
        for name, rows in snapshot.items()
    }


@pytest.mark.django_db
def test_full_data_set_loads_every_table(folder: Path) -> None:
    full_dataset(folder)
    result = run_import(folder)

    assert result.loaded, [str(p) for p in result.problems]
    assert {name: c.inserted for name, c in result.counts.items()} == {
        "people": 3,
        "offences": 3,
        "custody": 1,
        "arrests": 2,
        "interventions": 2,
        "cohort_memberships": 2,
        "rag_reviews": 2,
    }
    ann = Person.objects.get(source_id="P1")
    assert (ann.given_name, ann.family_name, ann.sex, ann.ethnicity) == ("Ann", "Smith", "F", "W1")
    assert Person.objects.get(source_id="P2").given_name == ""  # absent column: blank
    o1 = Offence.objects.get(source_id="O1")
    assert (o1.person, o1.offence_date, o1.outcome_id, o1.outcome_date) == (
        ann,
        date(2020, 3, 1),
        "conviction",
        date(2020, 6, 1),
    )
    assert (o1.sentence_id, o1.custody_days, o1.domestic_abuse, o1.offence_code) == (
        "custody",
        180,
        False,
        "028/01",
    )
    o3 = Offence.objects.get(source_id="O3")
    assert (o3.outcome_id, o3.outcome_date, o3.sentence_id, o3.domestic_abuse) == (
        "pending",
        None,
        None,
        None,
    )
    custody = CustodyPeriod.objects.get()
    assert (custody.person, custody.kind, custody.licence_end_date) == (
        ann,
        "sentence",
        date(2021, 6, 1),
    )
    assert Arrest.objects.get(source_id="A1").outcome == "charged"
    assert Arrest.objects.get(source_id="A2").outcome == ""
    assert Intervention.objects.get(source_id="I2").start_date is None
    membership = CohortMembership.objects.get(person=ann)
    assert (membership.scheme_id, membership.cohort_type, membership.tier) == ("ppo", "fixed", 2)
    assert membership.adoption_reason == ""
    assert RagReview.objects.get(person__source_id="P2").rag == "green"


@pytest.mark.django_db
def test_import_run_is_recorded(folder: Path) -> None:
    full_dataset(folder)
    result = run_import(folder)
    run = ImportRun.objects.get()
    assert run.pk == result.run_id
    assert run.folder == str(folder)
    assert run.inserted["offences"] == 3
    assert run.updated == {name: 0 for name in TARGETS}
    assert run.unchanged == {name: 0 for name in TARGETS}
    assert run.rejected == 0
    assert run.started_on <= run.finished_on


@pytest.mark.django_db
def test_importing_again_changes_nothing(folder: Path) -> None:
    full_dataset(folder)
    run_import(folder)
    before = _snapshot()

    again = run_import(folder)

    assert again.counts == {name: Counts(0, 0, first) for name, first in _sizes(before).items()}
    assert _snapshot() == before  # modified_on untouched too
    assert ImportRun.objects.count() == 2


def _sizes(snapshot: dict[str, list[tuple[Any, ...]]]) -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot.items()}


@pytest.mark.django_db
def test_a_newer_extract_updates_changed_rows_only(folder: Path) -> None:
    dataset(
        folder / "june",
        offences=[offence_row("O1"), offence_row("O2", outcome="pending", outcome_date=None)],
    )
    run_import(folder / "june")
    o1_before = Offence.objects.get(source_id="O1")

    dataset(
        folder / "july",
        people=[person_row(family_name="Jones")],
        offences=[
            offence_row("O1"),
            offence_row("O2", outcome="conviction", outcome_date="2020-07-01", sentence="fine"),
            offence_row("O3", offence_date="2021-01-01", outcome_date="2021-02-01"),
        ],
    )
    result = run_import(folder / "july")

    assert result.counts["people"] == Counts(inserted=0, updated=1, unchanged=0)
    assert result.counts["offences"] == Counts(inserted=1, updated=1, unchanged=1)
    o2 = Offence.objects.get(source_id="O2")
    assert (o2.outcome_id, o2.outcome_date, o2.sentence_id) == (
        "conviction",
        date(2020, 7, 1),
        "fine",
    )
    assert Person.objects.get().family_name == "Jones"
    o1_after = Offence.objects.get(source_id="O1")
    assert o1_after.modified_on == o1_before.modified_on
    assert o2.modified_on > o1_before.modified_on


@pytest.mark.django_db
def test_a_value_can_be_cleared(folder: Path) -> None:
    dataset(folder / "a", offences=[offence_row(domestic_abuse="true", offence_code="028/01")])
    run_import(folder / "a")
    dataset(folder / "b", offences=[offence_row(domestic_abuse=None, offence_code=None)])
    result = run_import(folder / "b")
    assert result.counts["offences"] == Counts(0, 1, 0)
    offence = Offence.objects.get()
    assert (offence.domestic_abuse, offence.offence_code) == (None, "")


@pytest.mark.django_db
def test_rows_absent_from_a_newer_extract_are_left_alone(folder: Path) -> None:
    full_dataset(folder / "full")
    run_import(folder / "full")
    before = _snapshot()

    dataset(
        folder / "partial",
        people=[person_row("P2", date_of_birth="1985-07-14")],
        offences=[offence_row("O9", "P2")],
    )
    result = run_import(folder / "partial")

    assert result.counts["offences"] == Counts(inserted=1, updated=0, unchanged=0)
    after = _snapshot()
    assert len(after["offences"]) == len(before["offences"]) + 1
    assert after["custody"] == before["custody"]
    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_a_column_absent_from_the_file_is_left_alone(folder: Path) -> None:
    dataset(folder / "a", people=[person_row(ethnicity="W1", given_name="Ann")])
    run_import(folder / "a")
    dataset(folder / "b", people=[person_row()])  # no ethnicity or name columns at all
    result = run_import(folder / "b")
    assert result.counts["people"] == Counts(0, 0, 1)
    person = Person.objects.get()
    assert (person.ethnicity, person.given_name) == ("W1", "Ann")


@pytest.mark.django_db
def test_natural_keys_match_rows_without_identifiers(folder: Path) -> None:
    full_dataset(folder / "a")
    run_import(folder / "a")
    dataset(
        folder / "b",
        people=[person_row("P1", sex="F")],
        offences=[],
        custody=[
            {
                "person_id": "P1",
                "start_date": "2020-06-01",
                "kind": "sentence",
                "release_date": "2020-11-30",
            }
        ],
        cohort_memberships=[
            {
                "person_id": "P1",
                "scheme": "ppo",
                "start_date": "2021-01-01",
                "end_date": "2022-06-01",
            }
        ],
        rag_reviews=[{"person_id": "P1", "review_date": "2021-02-01", "rag": "amber"}],
    )
    result = run_import(folder / "b")
    assert result.loaded, [str(p) for p in result.problems]
    for table in ("custody", "cohort_memberships", "rag_reviews"):
        assert result.counts[table] == Counts(0, 1, 0), table
    assert CustodyPeriod.objects.get().release_date == date(2020, 11, 30)
    assert CohortMembership.objects.get(scheme="ppo").end_date == date(2022, 6, 1)
    assert RagReview.objects.get(person__source_id="P1").rag == "amber"


@pytest.mark.django_db
def test_parquet_import_equals_csv_import(tmp_path: Path) -> None:
    full_dataset(tmp_path / "csv")
    full_dataset(tmp_path / "parquet", parquet=True)
    run_import(tmp_path / "csv")
    from_csv = _data(_snapshot())

    again = run_import(tmp_path / "parquet")

    assert again.loaded, [str(p) for p in again.problems]
    assert all(c.inserted == 0 and c.updated == 0 for c in again.counts.values())
    assert _data(_snapshot()) == from_csv


@pytest.mark.django_db
def test_parquet_loads_into_an_empty_database_like_csv(tmp_path: Path) -> None:
    full_dataset(tmp_path / "parquet", parquet=True)
    result = run_import(tmp_path / "parquet")
    assert result.loaded, [str(p) for p in result.problems]
    assert Offence.objects.get(source_id="O1").custody_days == 180
    assert CohortMembership.objects.get(person__source_id="P1").tier == 2


# --skip-invalid ---------------------------------------------------------------------------


def _read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
def test_skip_invalid_loads_the_rest_and_writes_rejects(
    folder: Path, tmp_path: Path, row_counts: Callable[[], dict[str, int]]
) -> None:
    dataset(
        folder,
        people=[person_row("P1"), person_row("P2", sex="Q"), person_row("P3")],
        offences=[
            offence_row("O1", "P1"),
            offence_row("O2", "P2"),
            offence_row("O3", "P3", outcome_date="2019-01-01"),
            offence_row("O4", "P3"),
        ],
    )
    rejects = tmp_path / "rejects.csv"

    result = run_import(folder, skip_invalid=rejects)

    assert result.loaded
    assert result.rejected == 3
    assert result.rejected_with_person == 1
    assert sorted(Person.objects.values_list("source_id", flat=True)) == ["P1", "P3"]
    assert sorted(Offence.objects.values_list("source_id", flat=True)) == ["O1", "O4"]
    assert result.counts["offences"] == Counts(inserted=2, updated=0, unchanged=0)
    assert _read_rejects(rejects) == [
        {
            "file": f"{folder}/people.csv",
            "line": "3",
            "table": "people",
            "key": "P2",
            "reasons": "sex: Q: unknown code (one of: M, F, X, U)",
        },
        {
            "file": f"{folder}/offences.csv",
            "line": "3",
            "table": "offences",
            "key": "O2",
            "reasons": f"person_id: P2: rejected with its person ({folder}/people.csv:3)",
        },
        {
            "file": f"{folder}/offences.csv",
            "line": "4",
            "table": "offences",
            "key": "O3",
            "reasons": "outcome_date: 2019-01-01: before offence_date (2020-03-01)",
        },
    ]
    # The problems shown are those of the data; the person's offence is in the file only.
    assert len(result.problems) == 2
    assert ImportRun.objects.get().rejected == 3


@pytest.mark.django_db
def test_skip_invalid_with_a_clean_data_set_writes_an_empty_rejects_file(
    folder: Path, tmp_path: Path
) -> None:
    dataset(folder)
    rejects = tmp_path / "rejects.csv"
    result = run_import(folder, skip_invalid=rejects)
    assert result.loaded and result.rejected == 0
    assert rejects.read_bytes() == b"file,line,table,key,reasons\r\n"


@pytest.mark.django_db
def test_skip_invalid_does_not_skip_file_problems(
    folder: Path, tmp_path: Path, row_counts: Callable[[], dict[str, int]]
) -> None:
    dataset(folder, offences=[offence_row(colour="red")])
    before = row_counts()
    result = run_import(folder, skip_invalid=tmp_path / "rejects.csv")
    assert not result.loaded
    assert row_counts() == before


@pytest.mark.django_db
def test_skip_invalid_rejects_every_copy_of_a_duplicate(folder: Path, tmp_path: Path) -> None:
    dataset(folder, offences=[offence_row("O1"), offence_row("O1"), offence_row("O2")])
    result = run_import(folder, skip_invalid=tmp_path / "rejects.csv")
    assert result.rejected == 2
    assert list(Offence.objects.values_list("source_id", flat=True)) == ["O2"]


@pytest.mark.django_db
def test_unwritable_rejects_file_stops_before_any_work(folder: Path, tmp_path: Path) -> None:
    dataset(folder)
    result = run_import(folder, skip_invalid=tmp_path / "no" / "such" / "rejects.csv")
    assert not result.loaded
    assert [str(p) for p in result.problems] == [
        f"{tmp_path}/no/such/rejects.csv: cannot write the rejected rows: "
        f"no folder {tmp_path}/no/such"
    ]


# Large loads ------------------------------------------------------------------------------


def _schema() -> dict[str, dict[str, Any]]:
    """Every index and constraint of the imported tables, as the database describes them."""
    from django.db import connection

    with connection.cursor() as cursor:
        return {
            name: connection.introspection.get_constraints(
                cursor, target.model_class()._meta.db_table
            )
            for name, target in TARGETS.items()
        }


@pytest.mark.django_db
def test_a_large_load_rebuilds_the_indexes_and_keys_it_dropped(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desist.ingest import load

    monkeypatch.setattr(load, "BULK_MIN_ROWS", 1)
    rebuilt: list[str] = []
    drop = load._drop_indexes

    def spy(*args: Any) -> list[str]:
        rebuilt.extend(statements := drop(*args))
        return statements

    monkeypatch.setattr(load, "_drop_indexes", spy)
    before = _schema()
    full_dataset(folder)

    assert run_import(folder).loaded
    assert any("person_id" in statement for statement in rebuilt)
    assert _schema() == before
    dataset(folder / "changed", offences=[offence_row("O1", outcome="caution")])
    assert run_import(folder / "changed").counts["offences"] == Counts(0, 1, 0)
    assert _schema() == before
