"""One test per validation rule: the exact message, and nothing written to the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from django.utils import timezone

from desist.ingest.service import run_import
from desist.ingest.tests.builders import (
    Row,
    arrest_row,
    custody_row,
    dataset,
    intervention_row,
    membership_row,
    offence_row,
    person_row,
    write_csv,
)
from desist.reference import lists

TODAY = timezone.localdate()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()
OUTCOMES = ", ".join(lists.outcomes())
OFFENCE_COLUMNS = (
    "offence_id, person_id, offence_date, offence_group, offence_code, domestic_abuse, "
    "outcome, outcome_date, sentence, custody_days"
)

# (tables to write, expected problems without the folder prefix)
CASES: dict[str, tuple[dict[str, list[Row]], list[str]]] = {
    "required column missing from header": (
        {"people": [{"person_id": "P1", "date_of_birth": "1990-01-01"}]},
        ["people.csv:1: sex: : required column missing from the header"],
    ),
    "person_id column missing from people": (
        {"people": [{"date_of_birth": "1990-01-01", "sex": "M"}]},
        ["people.csv:1: person_id: : required column missing from the header"],
    ),
    "unknown column": (
        {"offences": [offence_row(colour="red")]},
        [
            f"offences.csv:1: colour: : unknown column (the offences table has: "
            f"{OFFENCE_COLUMNS}; or use --ignore-unknown-columns)"
        ],
    ),
    "required value empty": (
        {"people": [person_row(sex=None)]},
        ["people.csv:2: sex: : required value is empty"],
    ),
    "bad ISO date": (
        {"offences": [offence_row(offence_date="01/03/2020")]},
        ["offences.csv:2: offence_date: 01/03/2020: not a date (expected YYYY-MM-DD)"],
    ),
    "impossible date": (
        {"offences": [offence_row(outcome_date="2020-02-30")]},
        ["offences.csv:2: outcome_date: 2020-02-30: not a date (expected YYYY-MM-DD)"],
    ),
    "implausibly early date": (
        {"people": [person_row(date_of_birth="0990-01-01")]},
        ["people.csv:2: date_of_birth: 0990-01-01: before 1900-01-01: not a plausible date"],
    ),
    "bad integer": (
        {"offences": [offence_row(sentence="custody", custody_days="ten")]},
        ["offences.csv:2: custody_days: ten: not an integer"],
    ),
    "bad boolean": (
        {"offences": [offence_row(domestic_abuse="yes")]},
        ["offences.csv:2: domestic_abuse: yes: not true or false"],
    ),
    "unknown code": (
        {"offences": [offence_row(outcome="convicted")]},
        [
            "offences.csv:2: outcome: convicted: unknown code (did you mean conviction?) "
            f"(one of: {OUTCOMES})"
        ],
    ),
    "unknown code, long list": (
        {"offences": [offence_row(offence_group="burgled")]},
        ["offences.csv:2: offence_group: burgled: unknown code"],
    ),
    "duplicate key": (
        {"offences": [offence_row("O1"), offence_row("O1", offence_date="2020-04-01")]},
        [
            "offences.csv:2: offence_id: O1: duplicate key: 2 rows have it (lines 2, 3)",
            "offences.csv:3: offence_id: O1: duplicate key: 2 rows have it (lines 2, 3)",
        ],
    ),
    "duplicate natural key": (
        {"custody": [custody_row(), custody_row(release_date=None)]},
        [
            "custody.csv:2: person_id/start_date/kind: P1/2020-06-01/sentence: "
            "duplicate key: 2 rows have it (lines 2, 3)",
            "custody.csv:3: person_id/start_date/kind: P1/2020-06-01/sentence: "
            "duplicate key: 2 rows have it (lines 2, 3)",
        ],
    ),
    "person not in people": (
        {"offences": [offence_row(person_id="P9")]},
        [
            "offences.csv:2: person_id: P9: not in people "
            "(neither in {folder}/people.csv nor already in the database)"
        ],
    ),
    "outcome_date missing when outcome is not pending": (
        {"offences": [offence_row(outcome_date=None)]},
        [
            "offences.csv:2: outcome_date: : required when the outcome is not pending "
            "(outcome is conviction)"
        ],
    ),
    "outcome_date before offence_date": (
        {"offences": [offence_row(outcome_date="2020-01-01")]},
        ["offences.csv:2: outcome_date: 2020-01-01: before offence_date (2020-03-01)"],
    ),
    "sentence without a conviction": (
        {"offences": [offence_row(outcome="caution", sentence="fine")]},
        ["offences.csv:2: sentence: fine: a sentence needs a conviction (outcome is caution)"],
    ),
    "custody_days not positive": (
        {"offences": [offence_row(sentence="custody", custody_days="0")]},
        ["offences.csv:2: custody_days: 0: not a positive integer"],
    ),
    "custody_days without a custody sentence": (
        {"offences": [offence_row(sentence="fine", custody_days="30")]},
        ["offences.csv:2: custody_days: 30: given without a custody sentence (sentence is fine)"],
    ),
    "date after today": (
        {"arrests": [arrest_row(arrest_date=TOMORROW)]},
        [f"arrests.csv:2: arrest_date: {TOMORROW}: after today ({TODAY.isoformat()})"],
    ),
    "date of birth in the future": (
        {"people": [person_row(date_of_birth=TOMORROW)]},
        [
            f"people.csv:2: date_of_birth: {TOMORROW}: date of birth is in the future "
            f"(today is {TODAY.isoformat()})"
        ],
    ),
    "under 10 at an offence": (
        {"people": [person_row(date_of_birth="2010-03-02")]},
        [
            "offences.csv:2: offence_date: 2020-03-01: person was under 10 (born 2010-03-02): "
            "below the age of criminal responsibility"
        ],
    ),
    "under 10 at an arrest": (
        {
            "people": [person_row(date_of_birth="2010-01-01")],
            "offences": [offence_row(offence_date="2021-01-01", outcome_date="2021-02-01")],
            "arrests": [arrest_row(arrest_date="2019-12-31")],
        },
        [
            "arrests.csv:2: arrest_date: 2019-12-31: person was under 10 (born 2010-01-01): "
            "below the age of criminal responsibility"
        ],
    ),
    "release_date before start_date": (
        {"custody": [custody_row(release_date="2020-05-01")]},
        ["custody.csv:2: release_date: 2020-05-01: before start_date (2020-06-01)"],
    ),
    "licence_end_date before release_date": (
        {"custody": [custody_row(licence_end_date="2020-11-01")]},
        ["custody.csv:2: licence_end_date: 2020-11-01: before release_date (2020-12-01)"],
    ),
    "intervention start before referral": (
        {"interventions": [intervention_row(start_date="2020-12-01")]},
        ["interventions.csv:2: start_date: 2020-12-01: before referral_date (2021-01-01)"],
    ),
    "intervention end before start": (
        {"interventions": [intervention_row(end_date="2021-01-15")]},
        ["interventions.csv:2: end_date: 2021-01-15: before start_date (2021-02-01)"],
    ),
    "intervention end before referral, no start": (
        {"interventions": [intervention_row(start_date=None, end_date="2020-12-01")]},
        ["interventions.csv:2: end_date: 2020-12-01: before referral_date (2021-01-01)"],
    ),
    "membership end_date before start_date": (
        {"cohort_memberships": [membership_row(end_date="2020-12-31")]},
        ["cohort_memberships.csv:2: end_date: 2020-12-31: before start_date (2021-01-01)"],
    ),
    "value too long for the database": (
        {"people": [person_row(given_name="x" * 101)]},
        [f"people.csv:2: given_name: {'x' * 59}…: longer than 100 characters"],
    ),
}


def _write(folder: Path, tables: dict[str, list[Row]]) -> None:
    dataset(folder, people=tables.get("people"), offences=tables.get("offences"))
    for table, rows in tables.items():
        if table not in ("people", "offences"):
            write_csv(folder, table, rows)


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_each_rule_reports_its_problem_and_loads_nothing(
    case: str, folder: Path, row_counts: Callable[[], dict[str, int]]
) -> None:
    tables, expected = CASES[case]
    _write(folder, tables)
    before = row_counts()

    result = run_import(folder)

    assert not result.loaded
    assert [str(p) for p in result.problems] == [
        f"{folder}/{e}".replace("{folder}", str(folder)) for e in expected
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_every_problem_is_reported_not_only_the_first(folder: Path) -> None:
    dataset(
        folder,
        people=[person_row("P1", sex="Q"), person_row("P2", date_of_birth="x")],
        offences=[offence_row("O1", "P9"), offence_row("O2", "P2", outcome="nope")],
    )
    result = run_import(folder)
    assert [str(p).removeprefix(f"{folder}/") for p in result.problems] == [
        "people.csv:2: sex: Q: unknown code (one of: M, F, X, U)",
        "people.csv:3: date_of_birth: x: not a date (expected YYYY-MM-DD)",
        f"offences.csv:2: person_id: P9: not in people (neither in {folder}/people.csv nor "
        "already in the database)",
        f"offences.csv:3: outcome: nope: unknown code (one of: {OUTCOMES})",
    ]


@pytest.mark.django_db
def test_a_person_already_in_the_database_may_be_referred_to(folder: Path) -> None:
    assert run_import(dataset(folder / "first")).loaded
    dataset(folder / "second", offences=[offence_row("O2", "P1")])
    (folder / "second" / "people.csv").write_text("person_id,date_of_birth,sex\n")

    result = run_import(folder / "second")

    assert result.loaded, [str(p) for p in result.problems]
    assert result.counts["offences"].inserted == 1


@pytest.mark.django_db
def test_age_is_checked_against_a_date_of_birth_held_in_the_database(folder: Path) -> None:
    assert run_import(
        dataset(
            folder / "first",
            people=[person_row(date_of_birth="2012-05-01")],
            offences=[offence_row(offence_date="2023-01-01", outcome_date="2023-02-01")],
        )
    ).loaded
    dataset(
        folder / "second",
        offences=[offence_row("O2", offence_date="2021-01-01", outcome_date="2021-02-01")],
    )
    (folder / "second" / "people.csv").write_text("person_id,date_of_birth,sex\n")

    result = run_import(folder / "second")

    assert [str(p) for p in result.problems] == [
        f"{folder}/second/offences.csv:2: offence_date: 2021-01-01: person was under 10 "
        "(born 2012-05-01): below the age of criminal responsibility"
    ]


@pytest.mark.django_db
def test_a_licence_may_run_on_after_today(folder: Path) -> None:
    dataset(folder, custody=[custody_row(licence_end_date=TOMORROW)])
    assert run_import(folder).loaded


@pytest.mark.django_db
def test_unknown_columns_may_be_ignored(folder: Path) -> None:
    dataset(folder, offences=[offence_row(colour="red")])
    result = run_import(folder, ignore_unknown_columns=True)
    assert result.loaded
    assert result.notes == [f"{folder}/offences.csv: ignored unknown column(s): colour"]


@pytest.mark.django_db
def test_a_row_with_too_many_fields(folder: Path) -> None:
    dataset(folder)
    (folder / "people.csv").write_text("person_id,date_of_birth,sex\nP1,1990-01-01,M,oops\n")
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/people.csv:2: 4 fields, the header has 3"
    ]


@pytest.mark.django_db
def test_line_numbers_count_lines_of_quoted_values(folder: Path) -> None:
    dataset(folder)
    (folder / "people.csv").write_text(
        'person_id,date_of_birth,sex,given_name\nP1,1990-01-01,M,"two\nlines"\nP2,1990-01-01,Z,\n'
    )
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/people.csv:4: sex: Z: unknown code (one of: M, F, X, U)"
    ]


@pytest.mark.django_db
def test_spaces_and_blank_lines_are_tidied(folder: Path) -> None:
    dataset(folder)
    (folder / "people.csv").write_text("person_id , date_of_birth,sex\n P1 ,1990-01-01, M\n\n")
    result = run_import(folder)
    assert result.loaded, [str(p) for p in result.problems]
    assert result.counts["people"].inserted == 1


@pytest.mark.django_db
def test_duplicate_column_in_header(folder: Path, row_counts: Callable[[], dict[str, int]]) -> None:
    dataset(folder)
    (folder / "people.csv").write_text("person_id,sex,date_of_birth,sex\nP1,M,1990-01-01,M\n")
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/people.csv:1: sex: : column appears more than once in the header"
    ]


# File-level problems --------------------------------------------------------------------------


@pytest.mark.django_db
def test_missing_required_file(folder: Path, row_counts: Callable[[], dict[str, int]]) -> None:
    write_csv(folder, "people", [person_row()])
    before = row_counts()
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/offences.csv: missing: the offences table is required "
        "(as offences.csv or offences.parquet)"
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_missing_folder(tmp_path: Path) -> None:
    result = run_import(tmp_path / "nowhere")
    assert [str(p) for p in result.problems] == [f"{tmp_path}/nowhere: no such folder"]


@pytest.mark.django_db
def test_file_not_utf8(folder: Path, row_counts: Callable[[], dict[str, int]]) -> None:
    dataset(folder)
    (folder / "people.csv").write_bytes(
        "person_id,date_of_birth,sex,given_name\nP1,1990-01-01,M,Ann\nP2,1990-01-01,F,Zoë\n".encode(
            "latin-1"
        )
    )
    before = row_counts()
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/people.csv:3: not UTF-8 (byte eb at byte 19 of the line): save the file as UTF-8"
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_empty_file(folder: Path, row_counts: Callable[[], dict[str, int]]) -> None:
    dataset(folder)
    (folder / "offences.csv").write_bytes(b"")
    before = row_counts()
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/offences.csv: empty file: no header row"
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_both_csv_and_parquet(folder: Path) -> None:
    dataset(folder)
    dataset(folder, parquet=True)
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}: both people.csv and people.parquet: keep one",
        f"{folder}: both offences.csv and offences.parquet: keep one",
    ]


@pytest.mark.django_db
def test_parquet_column_of_the_wrong_type(
    folder: Path, row_counts: Callable[[], dict[str, int]]
) -> None:
    dataset(folder, parquet=True)
    pl.DataFrame({"person_id": ["P1"], "date_of_birth": [19900101], "sex": ["M"]}).write_parquet(
        folder / "people.parquet"
    )
    before = row_counts()
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/people.parquet:1: date_of_birth: Int64: wrong type: expected date or text "
        "(the column is date)"
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_parquet_rows_are_numbered_like_csv_lines(folder: Path) -> None:
    dataset(folder, parquet=True, people=[person_row("P1"), person_row("P2", sex="Z")])
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/people.parquet:3: sex: Z: unknown code (one of: M, F, X, U)"
    ]


@pytest.mark.django_db
def test_a_header_column_without_a_name(folder: Path) -> None:
    dataset(folder)
    (folder / "people.csv").write_text("person_id,date_of_birth,sex,\nP1,1990-01-01,M,\n")
    result = run_import(folder)
    assert [str(p) for p in result.problems] == [
        f"{folder}/people.csv:1: a header column has no name (a trailing comma?)"
    ]
    assert run_import(folder, ignore_unknown_columns=True).loaded


@pytest.mark.django_db
def test_a_file_that_is_not_parquet(folder: Path) -> None:
    dataset(folder, parquet=True)
    (folder / "offences.parquet").write_bytes(b"offence_id,person_id\n")
    result = run_import(folder)
    assert len(result.problems) == 1
    assert str(result.problems[0]).startswith(
        f"{folder}/offences.parquet: cannot be read as Parquet: "
    )
