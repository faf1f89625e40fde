"""Scores read from and saved to the case database (for the web pages)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from desist.scoring.cli import app
from desist.scoring.tests.builders import write_folder
from desist.scoring.tests.test_ogrs3 import history


@pytest.mark.django_db(transaction=True)
def test_scores_from_the_case_database_are_saved_with_breakdowns(tmp_path: Path) -> None:
    from desist.ingest.service import run_import
    from desist.scoring.models import PersonScore, ScoreRun

    frames = history()
    frames["people"] = frames["people"].filter(pl.col("person_id") != "UNK")
    frames["offences"] = frames["offences"].filter(pl.col("person_id") != "UNK")
    folder = write_folder(tmp_path / "data", frames)
    imported = run_import(folder)
    assert imported.loaded, imported.problems
    runner = CliRunner()
    out = tmp_path / "o.csv"
    result = runner.invoke(app, ["ogrs3", "--as-of", "2024-01-01", "--output", str(out),
                                 "--engine", "polars", "--save"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert set(pl.read_csv(out)["person_id"]) == {"EX1", "EX3", "TIE", "YOUTH", "INSIDE"}
    run = ScoreRun.objects.get(kind="ogrs3")
    assert run.people_scored == 5 and run.settings_version == "high"
    ex1 = PersonScore.objects.get(run=run, person__source_id="EX1")
    assert round(ex1.components["ogrs3_1y"] * 100, 2) == 8.80 and ex1.grade == "low"

    result = runner.invoke(app, ["matrix", "--as-of", "2021-12-31", "--output",
                                 str(tmp_path / "m.csv"), "--save"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    run = ScoreRun.objects.get(kind="matrix")
    assert run.basis == "local choice" and run.settings_fingerprint
    assert run.people_scored >= 2
    for saved in PersonScore.objects.filter(run=run):
        assert sum(p["points"] for p in saved.breakdown) == pytest.approx(saved.score)
        assert sum(saved.components.values()) == pytest.approx(saved.score)


@pytest.mark.django_db
def test_every_person_with_a_problem_history_is_left_out_not_only_the_first_200() -> None:
    """``history_problems`` lists 200 rows of each kind unless asked for more: a saved run and
    the Proposals page must leave out all such people, not score the 201st on a bad history."""
    from desist.reference.models import OffenceGroup
    from desist.scoring.models import PersonScore
    from desist.scoring.store import score_case_database
    from desist.web.tests.factories import OffenceFactory, PersonFactory, reference

    as_of = dt.date(2026, 6, 30)
    burglary = reference(OffenceGroup, "burglary_residential")
    too_young = PersonFactory.create_batch(205, date_of_birth=as_of - dt.timedelta(days=8 * 365))
    for person in too_young:  # aged 7 at a recent burglary: under the age of responsibility
        OffenceFactory.create(person=person, offence_date=as_of - dt.timedelta(days=60),
                              outcome_date=as_of - dt.timedelta(days=30),
                              offence_group=burglary)  # fmt: skip
    matrix, ogrs3 = score_case_database(as_of)
    assert not PersonScore.objects.filter(run__in=[matrix, ogrs3]).exists()
