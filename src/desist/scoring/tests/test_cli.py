"""`desist score ...` through Typer's test runner: each command and each bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from desist.scoring.cli import app
from desist.scoring.settings import SETTINGS_DIR
from desist.scoring.tests.builders import write_folder
from desist.scoring.tests.test_ogrs3 import history

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def failed(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["matrix", "ogrs3", "audit", "train", "evaluate"])
def test_every_command_has_help(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_ogrs3_writes_probabilities_for_everyone_with_a_sanction(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data")
    out = tmp_path / "ogrs3.csv"
    result = invoke("ogrs3", "--data", folder, "--as-of", "2024-01-01", "--output", out,
                    "--engine", "polars")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    scores = pl.read_csv(out)
    assert scores.columns[:3] == ["person_id", "ogrs3_1y", "ogrs3_2y"]
    assert set(scores["person_id"]) == {"EX1", "EX3", "TIE", "YOUTH", "INSIDE", "UNK"}
    assert scores["ogrs3_1y"].is_between(0, 1).all() and scores["ogrs3_2y"].is_between(0, 1).all()
    ex1 = scores.filter(pl.col("person_id") == "EX1").to_dicts()[0]
    assert round(ex1["ogrs3_1y"] * 100, 2) == 8.80
    assert "no sanction on or before 2024-01-01: 1" in result.stderr


def _with(frames: dict, table: str, column: str, key: str, match: str, value) -> dict:
    frames[table] = frames[table].with_columns(
        pl.when(pl.col(key) == match).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )
    return frames


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("people", "date_of_birth", "person_id", "EX1", dt.date(2015, 1, 1)),
         "offence_id E1a (person_id EX1): offence_date: 2013-01-30: before the date of birth"),
        (("people", "date_of_birth", "person_id", "YOUTH", dt.date(2015, 1, 1)),
         "under 10, the age of criminal responsibility"),
        (("offences", "offence_group", "offence_id", "T0", "burglery"),
         "offence_id T0 (person_id TIE): offence_group: 'burglery': unknown offence group"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["ogrs3", "matrix"])
def test_bad_history_is_named_without_a_traceback(
    tmp_path: Path, change: tuple, message: str, command: str
) -> None:
    folder = write_folder(tmp_path / "data", _with(history(), *change))
    result = invoke(command, "--data", folder, "--as-of", "2024-01-01", "--output",
                    tmp_path / "out.csv", "--engine", "duckdb")  # fmt: skip
    failed(result, message)
    assert "--skip-invalid" in result.stderr
    skipped = invoke(command, "--data", folder, "--as-of", "2024-01-01", "--output",
                     tmp_path / "out.csv", "--skip-invalid")  # fmt: skip
    assert skipped.exit_code == 0, skipped.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "yesterday"], "--as-of: 'yesterday' is not a date"),
        (["--as-of", "2024-01-01", "--engine", "pandas"], "--engine: unknown engine 'pandas'"),
        (["--as-of", "2024-01-01", "--profile", "oasys"], "--profile: 'oasys'"),
    ],
)
def test_bad_options_are_named(tmp_path: Path, args: list[str], message: str) -> None:
    folder = write_folder(tmp_path / "data")
    failed(invoke("ogrs3", "--data", folder, "--output", tmp_path / "o.csv", *args), message)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    result = invoke("ogrs3", "--data", tmp_path / "nowhere", "--as-of", "2024-01-01",
                    "--output", tmp_path / "o.csv")  # fmt: skip
    failed(result, "no such folder")


def test_matrix_writes_scores_components_and_breakdown(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data")
    out, points = tmp_path / "m.csv", tmp_path / "b.csv"
    result = invoke("matrix", "--data", folder, "--as-of", "2024-01-01", "--output", out,
                    "--breakdown", points, "--engine", "polars")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    scores = pl.read_csv(out)
    for column in ("person_id", "score", "recency", "frequency", "gravity", "grade",
                   "settings_version", "settings_fingerprint"):  # fmt: skip
        assert column in scores.columns
    sums = pl.read_csv(points).group_by("person_id").agg(pl.col("points").sum())
    joined = scores.join(sums, on="person_id", how="left").fill_null(0)
    assert float((joined["score"] - joined["points"]).abs().max()) < 1e-9  # type: ignore[arg-type]
    assert "local choice" in result.stderr
    to_stdout = invoke("matrix", "--data", folder, "--as-of", "2024-01-01")
    assert to_stdout.stdout.startswith("person_id,score,")


def test_a_malformed_settings_file_is_named(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data")
    text = (SETTINGS_DIR / "desist-default-1.0.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("fraud = 3", "fraud = three"), encoding="utf-8")
    failed(invoke("matrix", "--data", folder, "--as-of", "2024-01-01", "--settings", bad),
           "bad.toml: not valid TOML")  # fmt: skip
    bad.write_text(text.replace("fraud = 3", "frod = 3"), encoding="utf-8")
    result = invoke("matrix", "--data", folder, "--as-of", "2024-01-01", "--settings", bad)
    failed(result, "gravity.weights.frod: unknown offence group (did you mean 'fraud'?)")
    assert "gravity.weights: no weight for fraud" in result.stderr


SCORES = "id,score,reoffended,sex\n1,0.1,0,F\n2,0.4,0,M\n3,0.35,1,F\n4,0.8,1,M\n"


def test_audit_json_has_the_documented_keys(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(SCORES, encoding="utf-8")
    result = invoke("audit", "--scores", path, "--score-column", "score", "--outcome-column",
                    "reoffended", "--group-column", "sex", "--threshold", "0.4", "--format",
                    "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["auc"] == 0.75
    for group in ("F", "M"):
        assert {"n", "fpr", "fnr", "ppv", "selection_rate"} <= set(report["groups"][group])
    assert report["groups"]["M"]["fpr"] == 1.0
    table = invoke("audit", "--scores", path, "--score-column", "score", "--outcome-column",
                   "reoffended", "--group-column", "sex", "--threshold", "0.4")  # fmt: skip
    assert table.exit_code == 0 and "AUC 0.750" in table.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("score,y\n0.1,0\n,1\n", "s.csv:3: score: empty value"),
        ("score,y\n0.1,0\nx,1\n", "s.csv:3: score: 'x' is not a number"),
        ("score,y\n0.1,1\n0.3,1\n", "every one of the 2 rows is 1"),
        ("score,z\n0.1,1\n", "no column 'y'"),
    ],
)
def test_audit_bad_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    result = invoke("audit", "--scores", path, "--score-column", "score", "--outcome-column",
                    "y", "--threshold", "0.5", "--format", "json")  # fmt: skip
    failed(result, message)


def test_audit_bad_options(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(SCORES, encoding="utf-8")
    base = ["audit", "--scores", path, "--score-column", "score", "--outcome-column",
            "reoffended", "--threshold", "0.5"]  # fmt: skip
    failed(invoke(*base, "--format", "xml"), "--format: 'xml'")
    failed(invoke("audit", "--scores", tmp_path / "none.csv", "--score-column", "s",
                  "--outcome-column", "y", "--threshold", "1"), "no such file")  # fmt: skip


def test_polars_is_the_default_engine_and_duckdb_gives_the_same_scores(tmp_path: Path) -> None:
    """Polars is the scoring default (measured faster at national scale, docs/scoring.md 6);
    ``--engine duckdb`` still works and gives the same probabilities."""
    assert "(default polars)" in invoke("ogrs3", "--help").output
    folder = write_folder(tmp_path / "data")
    outputs = {}
    for name, extra in (("default", ()), ("duckdb", ("--engine", "duckdb"))):
        out = tmp_path / f"{name}.csv"
        result = invoke("ogrs3", "--data", folder, "--as-of", "2024-01-01", "--output", out,
                        *extra)  # fmt: skip
        assert result.exit_code == 0, result.stderr
        outputs[name] = pl.read_csv(out).sort("person_id").select("person_id", "ogrs3_1y")
    default, duckdb = outputs["default"], outputs["duckdb"]
    assert default["person_id"].to_list() == duckdb["person_id"].to_list()
    assert default["ogrs3_1y"].to_list() == pytest.approx(duckdb["ogrs3_1y"].to_list(), abs=1e-12)


@pytest.mark.parametrize("command", ["ogrs3", "matrix"])
def test_skip_invalid_leaves_out_everyone_not_only_the_200_listed(
    tmp_path: Path, command: str
) -> None:
    """A message lists 200 problem rows of each kind; skipping must leave out all of them."""
    frames = history()
    people, offences = frames["people"], frames["offences"]
    template_person = people.filter(pl.col("person_id") == "EX1")
    template_offences = offences.filter(pl.col("person_id") == "EX1")
    bad_people, bad_offences = [], []
    for i in range(205):  # born after their offences: a history that cannot be scored
        person_id = f"BAD{i}"
        bad_people.append(template_person.with_columns(
            pl.lit(person_id).alias("person_id"), pl.lit(dt.date(2015, 1, 1)).alias("date_of_birth")
        ))  # fmt: skip
        bad_offences.append(template_offences.with_columns(
            pl.lit(person_id).alias("person_id"),
            (pl.col("offence_id") + f"-{person_id}").alias("offence_id"),
        ))  # fmt: skip
    frames["people"] = pl.concat([people, *bad_people])
    frames["offences"] = pl.concat([offences, *bad_offences])
    folder = write_folder(tmp_path / "data", frames)
    out = tmp_path / "out.csv"
    result = invoke(command, "--data", folder, "--as-of", "2024-01-01", "--output", out,
                    "--engine", "polars", "--skip-invalid")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    scored = set(pl.read_csv(out)["person_id"])
    assert not {person for person in scored if person.startswith("BAD")}
    assert "EX1" in scored
