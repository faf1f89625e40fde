"""``desist measure ...`` through Typer's test runner: every command and every bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from desist.measures.cli import app
from desist.measures.tests.cases import CASES
from desist.measures.tests.synthetic import AS_OF, impact_tables

runner = CliRunner()
FIGURES = ("cohort", "reoffenders", "reoffences", "rate", "frequency", "reoffences_per_reoffender")
TRACKER_TOTALS = (
    "people",
    "people_excluded",
    "offences_before",
    "offences_during",
    "projected_before",
    "projected_during",
    "change_pct",
    "cost_before",
    "cost_during",
    "cost_change_pct",
    "costed_share",
)


def write(folder: Path, tables: dict[str, pl.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_csv(folder / f"{name}.csv")
    return folder


@pytest.fixture(scope="module")
def cases_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every rule case's rows in one data set (CSV), each case's people apart."""
    merged: dict[str, list[pl.DataFrame]] = {}
    for number, case in enumerate(CASES):
        for name, frame in case.tables(prefix=f"c{number}-").items():
            merged.setdefault(name, []).append(frame)
    tables = {name: pl.concat(frames, how="diagonal_relaxed") for name, frames in merged.items()}
    return write(tmp_path_factory.mktemp("cases"), tables)


@pytest.fixture(scope="module")
def impact_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("impact"), impact_tables(effect=-1.0))


def ok(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def fails(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert message in result.stderr
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert isinstance(result.exception, SystemExit)


def common(folder: Path, engine: str = "polars", as_of: str = "2023-06-01") -> list[str]:
    return ["--data", str(folder), "--engine", engine, "--as-of", as_of]


Q1 = ["--from", "2021-01-01", "--to", "2021-03-31"]
YEAR = ["--from", "2021-01-01", "--to", "2021-12-31"]


# --- every command ------------------------------------------------------------------------


def test_reoffending_prints_the_figures_overall_adult_and_juvenile(cases_folder: Path) -> None:
    out = ok(["reoffending", *Q1, "--data", str(cases_folder), "--as-of", "2023-06-01"])
    assert out["engine"] == "duckdb"  # the default
    for key in FIGURES:
        assert key in out
        assert key in out["adult"] and key in out["juvenile"]
    assert out["provisional"] is False
    assert "Ministry of Justice" in str(out["source"]) and out["definition"]
    assert set(out["by_index_disposal"]) == {"custody", "community", "other_court", "caution"}


def test_reoffending_as_csv_to_a_file(cases_folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["reoffending", *Q1, *common(cases_folder), "--format", "csv", "--output", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert rows[0]["section"] == "total" and int(rows[0]["cohort"]) > 0
    assert {"by_age", "by_index_disposal", "by_previous_sanctions"} <= {r["section"] for r in rows}
    assert all(r["definition"] and r["source"] for r in rows)


def test_a_period_not_yet_final_is_reported_provisional(cases_folder: Path) -> None:
    result = runner.invoke(app, ["reoffending", *Q1, *common(cases_folder, as_of="2022-01-01")])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["provisional"] is True
    assert "note: Provisional" in result.stderr


def test_tracker_prints_totals_breakdowns_and_the_warning(cases_folder: Path) -> None:
    out = ok(["tracker", *common(cases_folder, as_of="2021-12-31")])
    for key in TRACKER_TOTALS:
        assert key in out
    for breakdown in ("by_local_authority", "by_scheme", "by_tier"):
        groups = out[breakdown]
        assert groups and all("costed_share" in g for g in groups.values())
    assert "regression to the mean" in str(out["warning"])
    assert "Heeks" in str(out["source"])


def test_tracker_for_one_scheme_with_pending(cases_folder: Path) -> None:
    out = ok(
        [
            "tracker",
            "--scheme",
            "ppo",
            "--include-pending",
            *common(cases_folder, as_of="2021-12-31"),
        ]
    )
    assert out["schemes"] == ["ppo"] and "pending_during" in out


def test_impact(impact_folder: Path) -> None:
    out = ok(["impact", "--scheme", "ppo", *common(impact_folder, as_of=AS_OF.isoformat())])
    assert out["treated_matched"] >= 60
    assert {"rate", "frequency"} <= set(out["estimates"])
    assert out["balance"] and "Justice Data Lab" in str(out["source"])
    assert any("For every 100" in note for note in out["notes"])


def test_custody_reentry(cases_folder: Path) -> None:
    out = ok(["custody-reentry", *YEAR, *common(cases_folder)])
    assert out["measure"] == "custody_reentry" and out["people_managed"]


def test_rag_movement(cases_folder: Path) -> None:
    out = ok(["rag-movement", *YEAR, *common(cases_folder)])
    assert out["improving"] == 1 and out["worsening"] == 1


def test_post_completion(cases_folder: Path) -> None:
    out = ok(["post-completion", "--kind", "drr", *YEAR, *common(cases_folder)])
    # The post-completion case's three completions and the targets case's two.
    assert out["people_completed"] == 5 and out["people_reoffended"] == 1


def test_targets_from_csv_and_json(cases_folder: Path, tmp_path: Path) -> None:
    as_csv = tmp_path / "targets.csv"
    as_csv.write_text("kind,starts_target,completions_target\ndrr,6,4\n")
    out = ok(["targets", *YEAR, "--targets", str(as_csv), *common(cases_folder)])
    assert out["by_kind"]["drr"]["starts_pct_of_target"] == pytest.approx(50.0)
    as_json = tmp_path / "targets.json"
    as_json.write_text(json.dumps({"atr": {"starts": 2}}))
    out = ok(["targets", *YEAR, "--targets", str(as_json), *common(cases_folder)])
    assert out["by_kind"]["atr"]["starts_target"] == 2


def test_by_disposal(cases_folder: Path) -> None:
    out = ok(["by-disposal", *Q1, *common(cases_folder)])
    assert "community_resolution" in out["by_disposal"]
    one = ok(["by-disposal", *Q1, "--disposal", "caution", *common(cases_folder)])
    assert one["disposal"] == "caution" and one["cohort"]


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["reoffending", "--from", "2021-03-31", "--to", "2021-01-01"], "dates out of order"),
        (["reoffending", "--from", "2021-02-30", "--to", "2021-03-31"], "not a date"),
        (["reoffending", *Q1, "--final-only", "--as-of", "2022-01-01"], "not final"),
        (["reoffending", "--from", "1990-01-01", "--to", "1990-03-31"], "empty cohort"),
        (["reoffending", *Q1, "--engine", "pandas"], "unknown engine 'pandas'"),
        (["reoffending", *Q1, "--format", "xml"], "unknown format 'xml'"),
        (["tracker", "--scheme", "nope"], "unknown scheme 'nope'"),
        (["tracker", "--scheme", "gang"], "empty cohort"),
        (["tracker", "--from", "2021-06-01", "--to", "2021-01-01"], "dates out of order"),
        (["impact", "--scheme", "nope"], "unknown scheme 'nope'"),
        (["impact", "--scheme", "ppo"], "too few people to analyse"),
        (["custody-reentry", "--from", "2021-12-31", "--to", "2021-01-01"], "dates out of order"),
        (["rag-movement", "--from", "1990-01-01", "--to", "1990-12-31"], "empty cohort"),
        (["post-completion", "--kind", "nope", *YEAR], "unknown intervention kind 'nope'"),
        (
            ["post-completion", "--kind", "drr", *YEAR, "--final-only", "--as-of", "2022-01-01"],
            "not final",
        ),
        (["by-disposal", *Q1, "--disposal", "nope"], "unknown disposal 'nope'"),
        (["targets", *YEAR, "--targets", "/no/such/targets.csv"], "cannot read the targets file"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_1(
    cases_folder: Path, args: list[str], message: str
) -> None:
    extra = [] if "--engine" in args else ["--engine", "polars"]
    as_of = [] if "--as-of" in args else ["--as-of", "2023-06-01"]
    fails([*args, "--data", str(cases_folder), *extra, *as_of], message)


def test_a_missing_data_folder(tmp_path: Path) -> None:
    fails(["reoffending", *Q1, "--data", str(tmp_path / "absent")], "no such folder")


def test_bad_targets_files(cases_folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "targets.csv"
    bad.write_text("kind,starts_target\nnope,3\n")
    fails(
        ["targets", *YEAR, "--targets", str(bad), *common(cases_folder)],
        "unknown intervention kind",
    )
    bad.write_text("kind,starts_target\ndrr,many\n")
    fails(["targets", *YEAR, "--targets", str(bad), *common(cases_folder)], "whole number")
