"""Every engine reads a data set folder into the same typed rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from desist.dataset.files import DataSetError
from desist.dataset.frames import (
    ENGINES,
    UnknownEngineError,
    dataset_from_polars,
    read_dataset,
)
from desist.dataset.schema import tables

PEOPLE = "person_id,date_of_birth,sex\nP1,1990-05-01,M\nP2,2005-02-28,F\n"
OFFENCES = (
    "offence_id,person_id,offence_date,offence_group,outcome,outcome_date,sentence,"
    "custody_days,domestic_abuse\n"
    "O1,P1,2020-01-31,shoplifting,conviction,2020-03-01,custody,120,false\n"
    "O2,P2,2021-06-15,violence_with_injury,pending,,,,true\n"
)


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def rows(frame: object) -> list[dict[str, object]]:
    import narwhals as nw

    native = nw.to_native(frame.collect())  # type: ignore[attr-defined]
    collected = nw.from_native(native, eager_only=True).to_polars()
    return collected.sort(collected.columns[0]).to_dicts()


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_csv_is_read_typed_with_all_columns(tmp_path: Path, engine: str) -> None:
    data = read_dataset(write(tmp_path, people=PEOPLE, offences=OFFENCES), engine)  # type: ignore[arg-type]
    offences = rows(data["offences"])
    assert offences[0]["offence_date"] == dt.date(2020, 1, 31)
    assert offences[0]["custody_days"] == 120
    assert offences[0]["domestic_abuse"] is False
    assert offences[1]["outcome_date"] is None
    assert offences[1]["offence_code"] is None  # absent optional column
    assert list(offences[0]) == list(tables()["offences"].column_names)
    assert rows(data["custody"]) == []  # absent optional table


@pytest.mark.spark
def test_spark_reads_the_same_rows_as_polars(tmp_path: Path) -> None:
    folder = write(tmp_path, people=PEOPLE, offences=OFFENCES)
    for name in ("people", "offences"):
        assert rows(read_dataset(folder, "spark")[name]) == rows(
            read_dataset(folder, "polars")[name]
        )


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_parquet_reads_like_csv(tmp_path: Path, engine: str) -> None:
    csv_folder = write(tmp_path / "csv", people=PEOPLE, offences=OFFENCES)
    parquet_folder = tmp_path / "parquet"
    parquet_folder.mkdir()
    for name in ("people", "offences"):
        frame = read_dataset(csv_folder, "polars")[name]
        rows_ = rows(frame)
        pl.DataFrame(rows_).write_parquet(parquet_folder / f"{name}.parquet")
    for name in ("people", "offences"):
        assert rows(read_dataset(parquet_folder, engine)[name]) == rows(  # type: ignore[arg-type]
            read_dataset(csv_folder, engine)[name]  # type: ignore[arg-type]
        )


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_in_memory_frames_give_the_same_rows(tmp_path: Path, engine: str) -> None:
    folder = write(tmp_path, people=PEOPLE, offences=OFFENCES)
    polars_frames = {
        n: read_dataset(folder, "polars")[n].to_native() for n in ("people", "offences")
    }
    moved = dataset_from_polars(polars_frames, engine)  # type: ignore[arg-type]
    assert rows(moved["offences"]) == rows(read_dataset(folder, "polars")["offences"])


def test_missing_folder_and_required_table_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataSetError, match="no such folder"):
        read_dataset(tmp_path / "nowhere")
    write(tmp_path, people=PEOPLE)
    with pytest.raises(DataSetError, match=r"offences\.csv: missing"):
        read_dataset(tmp_path)


def test_unknown_engine_is_named() -> None:
    with pytest.raises(UnknownEngineError, match="choose one of polars, duckdb, spark"):
        read_dataset(Path("."), "pandas")  # type: ignore[arg-type]
    assert ENGINES == ("polars", "duckdb", "spark")
