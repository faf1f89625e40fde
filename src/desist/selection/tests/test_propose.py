"""Cohort proposals: one test per criterion, flags kept not dropped, criteria validation, CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from desist.dataset.frames import dataset_from_polars
from desist.reference import lists
from desist.scoring.errors import SettingsError
from desist.scoring.matrix import run_matrix
from desist.scoring.settings import settings_for
from desist.selection.cli import app
from desist.selection.criteria import CRITERIA_FILE, load_criteria, parse_criteria
from desist.selection.propose import propose

D = dt.date
AS_OF = D(2024, 6, 30)


def offence(oid: str, pid: str, when: D, group: str, outcome: str = "conviction", **kw: Any):
    return {"offence_id": oid, "person_id": pid, "offence_date": when, "offence_group": group,
            "outcome": outcome, "outcome_date": when + dt.timedelta(days=14),
            "domestic_abuse": kw.get("da", False), "sentence": kw.get("sentence"),
            "custody_days": kw.get("days")}  # fmt: skip


def frames() -> dict[str, pl.DataFrame]:
    people = [
        ("BURG", D(1990, 1, 1), "M", "Walsall"),
        ("MANAGED", D(1985, 1, 1), "M", "Walsall"),
        ("INSIDE", D(1988, 1, 1), "M", "Dudley"),
        ("MAPPA", D(1970, 1, 1), "M", "Dudley"),
        ("OLD", D(1980, 1, 1), "M", "Walsall"),
        ("WOMAN", D(2000, 1, 1), "F", "Walsall"),
        ("CONVICTED_WOMAN", D(2000, 1, 1), "F", "Walsall"),
        ("DA", D(1992, 1, 1), "M", None),
        ("RELEASED", D(1995, 1, 1), "M", "Walsall"),
        ("DRR", D(1993, 1, 1), "M", "Walsall"),
    ]
    offences = [
        offence("B1", "BURG", D(2024, 3, 1), "burglary_residential"),
        offence("B2", "BURG", D(2024, 4, 1), "vehicle_theft"),
        offence("M1", "MANAGED", D(2024, 2, 1), "robbery_personal"),
        offence("I1", "INSIDE", D(2024, 1, 1), "theft_from_person"),
        offence("P1", "MAPPA", D(2023, 9, 1), "theft_from_vehicle"),
        offence("O1", "OLD", D(2022, 1, 1), "burglary_residential"),  # outside 12 months
        offence("O2", "OLD", D(2024, 1, 1), "shoplifting"),  # not neighbourhood crime
        offence("C1", "CONVICTED_WOMAN", D(2015, 1, 1), "shoplifting"),
        offence("D1", "DA", D(2023, 1, 1), "violence_with_injury", da=True),
        offence("D2", "DA", D(2024, 1, 1), "violence_without_injury", da=True),
        offence("R1", "RELEASED", D(2023, 10, 1), "other_theft", sentence="custody", days=180),
    ]
    memberships = [
        {"person_id": "MANAGED", "scheme": "ppo", "start_date": D(2023, 1, 1), "end_date": None},
        {"person_id": "BURG", "scheme": "ppo", "start_date": D(2020, 1, 1),
         "end_date": D(2021, 1, 1)},  # ended: not a flag
        {"person_id": "MAPPA", "scheme": "mappa", "start_date": D(2022, 1, 1), "end_date": None},
    ]  # fmt: skip
    custody = [
        {"person_id": "INSIDE", "start_date": D(2024, 5, 1), "release_date": None,
         "kind": "remand"},
        {"person_id": "RELEASED", "start_date": D(2023, 10, 15), "release_date": D(2024, 3, 1),
         "kind": "sentence"},
    ]  # fmt: skip
    arrests = [
        {"arrest_id": "A1", "person_id": "WOMAN", "arrest_date": D(2024, 2, 1),
         "offence_group": "shoplifting"},
        {"arrest_id": "A2", "person_id": "CONVICTED_WOMAN", "arrest_date": D(2024, 2, 1),
         "offence_group": "shoplifting"},
    ]  # fmt: skip
    interventions = [
        {"intervention_id": "V1", "person_id": "DRR", "kind": "drr", "start_date": D(2024, 1, 1),
         "end_date": None, "status": "started"},
        {"intervention_id": "V2", "person_id": "BURG", "kind": "drr", "start_date": D(2022, 1, 1),
         "end_date": D(2022, 6, 1), "status": "completed"},
    ]  # fmt: skip
    return {
        "people": pl.DataFrame(people, orient="row",
                               schema=["person_id", "date_of_birth", "sex", "local_authority"]),
        "offences": pl.DataFrame(offences),
        "cohort_memberships": pl.DataFrame(memberships),
        "custody": pl.DataFrame(custody),
        "arrests": pl.DataFrame(arrests),
        "interventions": pl.DataFrame(interventions),
    }  # fmt: skip


def proposals(scheme: str, engine: str = "polars", **kw: Any) -> pl.DataFrame:
    data = dataset_from_polars(frames(), engine)  # type: ignore[arg-type]
    criteria = load_criteria()
    ranking = run_matrix(data, AS_OF, settings_for(AS_OF)[0])
    return propose(data, AS_OF, criteria.schemes[scheme], criteria, ranking, **kw).frame


def by_person(frame: pl.DataFrame) -> dict[str, dict]:
    return {row["person_id"]: row for row in frame.to_dicts()}


def test_every_scheme_has_criteria() -> None:
    criteria = load_criteria()
    assert set(lists.schemes()) <= set(criteria.schemes)
    assert "fixed" in criteria.schemes and criteria.schemes["fixed"].cohort_type == "fixed"
    fixed_groups = set(criteria.schemes["fixed"].offences[0].groups)
    assert fixed_groups == set(lists.neighbourhood_crime_groups())


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_fixed_cohort_proposes_recent_neighbourhood_crime_and_flags(engine: str) -> None:
    rows = by_person(proposals("fixed", engine))
    assert set(rows) == {"BURG", "MANAGED", "INSIDE", "MAPPA"}
    assert "burglary_residential x1, vehicle_theft x1" in rows["BURG"]["reasons"]
    assert "matrix score" in rows["BURG"]["reasons"] and not rows["BURG"]["flagged"]
    assert rows["MANAGED"]["already_managed"] and "Prolific" in rows["MANAGED"]["flags"]
    assert rows["INSIDE"]["in_custody"] and "remand" in rows["INSIDE"]["flags"]
    assert rows["MAPPA"]["other_panel"] and not rows["MAPPA"]["already_managed"]
    walsall = [r for r in rows.values() if r["local_authority"] == "Walsall"]
    assert sorted(r["rank"] for r in walsall) == [1, 2]
    first = max(walsall, key=lambda r: r["score"])
    assert first["rank"] == 1


def test_local_authority_and_top_filters() -> None:
    assert set(proposals("fixed", local_authority="Dudley")["person_id"]) == {"INSIDE", "MAPPA"}
    assert proposals("fixed", top=1).group_by("local_authority").len()["len"].max() == 1


def test_women_scheme_uses_sex_age_convictions_and_arrests() -> None:
    rows = by_person(proposals("women"))
    assert set(rows) == {"WOMAN"}
    assert "0 conviction occasions to date (at most 0)" in rows["WOMAN"]["reasons"]
    assert "1 arrest(s) in the 12 months" in rows["WOMAN"]["reasons"]


def test_domestic_abuse_counts_flagged_offences_and_unknown_area() -> None:
    rows = by_person(proposals("domestic_abuse"))
    assert set(rows) == {"DA"} and rows["DA"]["local_authority"] == "(not recorded)"


def test_short_term_custody_and_interventions() -> None:
    rows = by_person(proposals("short_term_custody"))
    assert set(rows) == {"RELEASED"} and "after 138 days in custody" in rows["RELEASED"]["reasons"]
    assert set(proposals("drr")["person_id"]) == {"DRR"}


def test_malformed_criteria_name_the_field() -> None:
    text = CRITERIA_FILE.read_text(encoding="utf-8")
    with pytest.raises(SettingsError, match=r"schemes\.fixed\.offences\[0\]\.groups: unknown"):
        parse_criteria(text.replace('["neighbourhood_crime"]', '["burglary"]'))
    with pytest.raises(SettingsError, match=r"schemes\.women\.sex: unknown code 'W'"):
        parse_criteria(text.replace('sex = ["F"]', 'sex = ["W"]'))
    with pytest.raises(SettingsError, match=r"schemes\.youth\.min_age: 18 is above max_age 5"):
        parse_criteria(text.replace("max_age = 25\nmin_score = 20", "max_age = 5\nmin_score = 20"))
    with pytest.raises(SettingsError, match="not valid TOML"):
        parse_criteria("[schemes")


def write(folder: Path) -> Path:
    folder.mkdir()
    for name, frame in frames().items():
        frame.write_csv(folder / f"{name}.csv", date_format="%Y-%m-%d")
    return folder


def test_cli_propose_lists_reasons_and_flags(tmp_path: Path) -> None:
    folder = write(tmp_path / "data")
    runner = CliRunner()
    result = runner.invoke(app, ["propose", "--scheme", "fixed", "--as-of", "2024-06-30",
                                 "--data", str(folder)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "BURG" in result.stdout and "FLAGGED: already managed" in result.stdout
    assert "4 proposed" in result.stderr
    out = tmp_path / "p.csv"
    result = runner.invoke(app, ["propose", "--scheme", "women", "--as-of", "2024-06-30",
                                 "--data", str(folder), "--output", str(out)])  # fmt: skip
    assert result.exit_code == 0 and pl.read_csv(out)["person_id"].to_list() == ["WOMAN"]
    assert runner.invoke(app, ["propose", "--help"]).exit_code == 0
    listed = runner.invoke(app, ["schemes"])
    assert listed.exit_code == 0 and "domestic_abuse" in listed.stdout


def test_cli_bad_input(tmp_path: Path) -> None:
    folder = write(tmp_path / "data")
    runner = CliRunner()
    result = runner.invoke(app, ["propose", "--scheme", "nope", "--as-of", "2024-06-30",
                                 "--data", str(folder)])  # fmt: skip
    assert result.exit_code == 1 and "unknown scheme 'nope'" in result.stderr
    bad = tmp_path / "c.toml"
    bad.write_text("version = 1\n", encoding="utf-8")
    result = runner.invoke(app, ["propose", "--scheme", "fixed", "--as-of", "2024-06-30",
                                 "--data", str(folder), "--criteria", str(bad)])  # fmt: skip
    assert result.exit_code == 1 and "c.toml: basis: required" in result.stderr
    assert "Traceback" not in result.stderr
    broken = frames()
    broken["offences"] = broken["offences"].with_columns(
        offence_group=pl.when(pl.col("offence_id") == "B1").then(pl.lit("burglery"))
        .otherwise(pl.col("offence_group"))
    )  # fmt: skip
    other = tmp_path / "broken"
    other.mkdir()
    for name, frame in broken.items():
        frame.write_csv(other / f"{name}.csv", date_format="%Y-%m-%d")
    args = ["propose", "--scheme", "fixed", "--as-of", "2024-06-30", "--data", str(other)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "offence_id B1 (person_id BURG)" in result.stderr
    result = runner.invoke(app, [*args, "--skip-invalid", "--format", "csv"])
    assert result.exit_code == 0 and "BURG" not in result.stdout
