"""The ``synth`` command writes the tables and reports rows per table."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from desist.synth.cli import synth


def app() -> typer.Typer:
    application = typer.Typer()
    application.command()(synth)
    return application


def test_help_names_every_option() -> None:
    result = CliRunner().invoke(app(), ["--help"])
    assert result.exit_code == 0
    for option in ("--people", "--seed", "--out", "--format", "--as-of"):
        assert option in result.output


def test_writes_parquet_and_prints_rows(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app(),
        [
            "--people",
            "80",
            "--seed",
            "3",
            "--out",
            str(tmp_path),
            "--format",
            "parquet",
            "--as-of",
            "2024-03-31",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "offences.parquet").exists()
    assert "people" in result.output and "80" in result.output


def test_a_bad_date_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["--out", str(tmp_path), "--as-of", "2024-02-30"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
