"""The synthetic generator writes a consistent, deterministic data set of the right shape."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desist.dataset import schema
from desist.dataset.frames import read_dataset
from desist.synth import generate, params, write_dataset
from desist.synth.tables import polars_schema
from desist.synth.tests.checks import problems, read_text, typed

AS_OF = date(2026, 9, 30)
PEOPLE = 3000


@pytest.fixture(scope="module")
def csv_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("csv")
    write_dataset(folder, PEOPLE, 11)
    return folder


@pytest.fixture(scope="module")
def tables_(csv_folder: Path) -> dict[str, pl.DataFrame]:
    return typed(read_text(csv_folder))


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_codes_named_in_params_are_reference_codes() -> None:
    params.check_codes()


def test_counts_are_rows_written(csv_folder: Path, tables_: dict[str, pl.DataFrame]) -> None:
    counts = write_dataset(csv_folder, PEOPLE, 11)
    assert list(counts) == list(schema.tables())
    assert counts == {name: frame.height for name, frame in tables_.items()}
    assert counts["people"] == PEOPLE


def test_every_consistency_rule_holds(csv_folder: Path) -> None:
    assert problems(csv_folder, AS_OF) == []


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_same_arguments_give_byte_identical_files(tmp_path: Path, file_format: str) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_dataset(first, 400, 5, file_format)  # type: ignore[arg-type]
    write_dataset(second, 400, 5, file_format)  # type: ignore[arg-type]
    write_dataset(other, 400, 6, file_format)  # type: ignore[arg-type]
    assert digests(first) == digests(second)
    assert digests(first) != digests(other)


def test_csv_columns_are_the_schema_columns(csv_folder: Path) -> None:
    for name, table in schema.tables().items():
        header = (csv_folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert tuple(header.split(",")) == table.column_names


def test_parquet_is_typed_and_reads_like_csv(tmp_path: Path) -> None:
    write_dataset(tmp_path / "p", 300, 3, "parquet", as_of=date(2019, 6, 30))
    write_dataset(tmp_path / "c", 300, 3, "csv", as_of=date(2019, 6, 30))
    assert problems(tmp_path / "p", date(2019, 6, 30)) == []
    for name, table in schema.tables().items():
        arrow = pq.read_schema(tmp_path / "p" / f"{name}.parquet")
        assert tuple(arrow.names) == table.column_names
        assert pl.read_parquet(tmp_path / "p" / f"{name}.parquet").schema == pl.Schema(
            polars_schema(name)
        )
    parquet = read_dataset(tmp_path / "p", "polars")
    csv = read_dataset(tmp_path / "c", "polars")
    for name in schema.tables():
        assert parquet[name].collect().to_native().equals(csv[name].collect().to_native())


def test_several_chunks_number_rows_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generate, "CHUNK_PEOPLE", 250)
    messages: list[str] = []
    write_dataset(tmp_path, 600, 9, progress=messages.append)
    assert sum(m.startswith("chunk") for m in messages) == 3
    assert problems(tmp_path, AS_OF) == []
    people = pl.read_csv(tmp_path / "people.csv")["person_id"]
    assert people.to_list() == [f"P{n:07d}" for n in range(1, 601)]
    offences = pl.read_csv(tmp_path / "offences.csv")["offence_id"]
    assert offences.to_list() == [f"O{n:09d}" for n in range(1, offences.len() + 1)]


def test_the_other_format_is_replaced(tmp_path: Path) -> None:
    write_dataset(tmp_path, 50, 1, "csv")
    write_dataset(tmp_path, 50, 1, "parquet")
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".parquet"] * len(schema.tables())


def test_the_checker_finds_broken_rules(tmp_path: Path) -> None:
    write_dataset(tmp_path, 200, 2)
    offences = pl.read_csv(tmp_path / "offences.csv", infer_schema=False)
    broken = offences.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("1900-01-01"))
        .otherwise(pl.col("outcome_date"))
        .alias("outcome_date"),
        pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit("P9999999"))
        .otherwise(pl.col("person_id"))
        .alias("person_id"),
    )
    broken.write_csv(tmp_path / "offences.csv")
    found = problems(tmp_path, AS_OF)
    assert "offences: outcome_date before offence_date" in found
    assert "offences: unknown person" in found


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="people"):
        write_dataset(tmp_path, 0, 1)
    with pytest.raises(ValueError, match="seed"):
        write_dataset(tmp_path, 10, -1)
    with pytest.raises(ValueError, match="format"):
        write_dataset(tmp_path, 10, 1, "json")  # type: ignore[arg-type]


def test_shape(tables_: dict[str, pl.DataFrame]) -> None:
    people, offences = tables_["people"], tables_["offences"]
    assert 0.11 < (people["sex"] == "F").mean() < 0.19  # type: ignore[operator]
    with_age = offences.join(people, on="person_id").with_columns(
        juvenile=pl.col("date_of_birth").dt.offset_by("18y") > pl.col("offence_date")
    )
    assert 0.15 < with_age["juvenile"].mean() < 0.6  # type: ignore[operator]
    per_person = offences.group_by("person_id").len()["len"]
    assert (per_person <= 2).sum() > PEOPLE / 2  # most offend once or twice
    top_tenth = int(per_person.sort(descending=True).head(PEOPLE // 10).sum())
    assert top_tenth / offences.height > 0.4  # a prolific few commit much of it
    assert offences["domestic_abuse"].sum() > 0
    groups = offences["offence_group"].value_counts().sort("count", descending=True)
    assert "shoplifting" in groups["offence_group"].head(3).to_list()
    assert (offences["outcome"] == "pending").sum() > 0
    assert set(offences["outcome"]) == set(
        schema.tables()["offences"].column_index["outcome"].codes
    )
    assert set(tables_["custody"]["kind"]) == set(schema.CUSTODY_KINDS)
    assert tables_["custody"]["release_date"].null_count() > 0  # someone is inside at as-of
    arrests = tables_["arrests"]
    assert (arrests["outcome"] == "no_further_action").sum() > 0
    memberships = tables_["cohort_memberships"]
    assert memberships.height > 0 and memberships["end_date"].null_count() > 0
    assert memberships["end_date"].drop_nulls().len() > 0  # some de-selected
    assert memberships["scheme"].n_unique() >= 5
    assert set(memberships["tier"]) <= set(schema.TIERS)
    rag = tables_["rag_reviews"]
    assert set(rag["rag"]) == set(schema.RAGS)
    interventions = tables_["interventions"]
    for kind in ("drr", "atr"):
        statuses = set(interventions.filter(pl.col("kind") == kind)["status"])
        assert {"completed", "failed"} <= statuses, kind
    assert interventions["kind"].n_unique() >= 8


def test_memberships_follow_a_peak(tables_: dict[str, pl.DataFrame]) -> None:
    """Selected people offended more in the year before adoption than the average person."""
    memberships = tables_["cohort_memberships"].select("person_id", "start_date")
    before = memberships.join(tables_["offences"], on="person_id").filter(
        pl.col("offence_date").is_between(
            pl.col("start_date").dt.offset_by("-1y"), pl.col("start_date")
        )
    )
    assert before.height / memberships.height > 2.0


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32), people=st.integers(1, 40))
def test_any_seed_and_size_gives_schema_tables(seed: int, people: int) -> None:
    frames = generate.generate_chunk(
        seed, 0, 0, people, AS_OF, {"offence": 1, "arrest": 1, "intervention": 1}
    )
    assert list(frames) == list(schema.tables())
    assert frames["people"].height == people
    for name, frame in frames.items():
        assert frame.schema == pl.Schema(polars_schema(name))
    offences = frames["offences"]
    assert offences["person_id"].is_in(frames["people"]["person_id"].implode()).all()
    assert offences.filter(pl.col("offence_date") > AS_OF).height == 0
    assert offences["offence_id"].is_unique().all()
