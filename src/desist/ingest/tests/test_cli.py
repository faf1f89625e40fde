"""The ``desist import`` command: problems on stderr and exit 1, or a summary per table."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from desist.ingest.cli import import_dataset
from desist.ingest.tests.builders import dataset, full_dataset, offence_row, person_row
from desist.people.models import Person

app = typer.Typer()
app.command("import")(import_dataset)
runner = CliRunner()


@pytest.mark.django_db
def test_problems_go_to_stderr_and_exit_1_without_traceback(folder: Path) -> None:
    dataset(folder, people=[person_row(sex="Q")], offences=[offence_row(outcome_date=None)])

    result = runner.invoke(app, [str(folder)])

    assert result.exit_code == 1
    progress, problems = result.stderr.splitlines()[:2], result.stderr.splitlines()[2:]
    assert progress[0] == f"validating {folder}"
    assert progress[1].startswith("validated 2 rows in ")
    assert problems == [
        f"{folder}/people.csv:2: sex: Q: unknown code (one of: M, F, X, U)",
        f"{folder}/offences.csv:2: outcome_date: : required when the outcome is not pending "
        "(outcome is conviction)",
        "2 problems: nothing was loaded.",
    ]
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_success_prints_a_summary_per_table(folder: Path) -> None:
    full_dataset(folder)

    result = runner.invoke(app, [str(folder)])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "table                   inserted     updated   unchanged",
        "people                         3           0           0",
        "offences                       3           0           0",
        "custody                        1           0           0",
        "arrests                        2           0           0",
        "interventions                  2           0           0",
        "cohort_memberships             2           0           0",
        "rag_reviews                    2           0           0",
    ]
    again = runner.invoke(app, [str(folder)])
    assert (
        again.stdout.splitlines()[1] == "people                         0           0           3"
    )


@pytest.mark.django_db
def test_skip_invalid_and_ignore_unknown_columns_options(folder: Path, tmp_path: Path) -> None:
    dataset(
        folder,
        people=[person_row("P1"), person_row("P2", sex="Q")],
        offences=[offence_row(colour="red")],
    )
    rejects = tmp_path / "rejects.csv"

    result = runner.invoke(
        app, [str(folder), "--skip-invalid", str(rejects), "--ignore-unknown-columns"]
    )

    assert result.exit_code == 0, result.output
    assert f"1 rows rejected: see {rejects}" in result.stderr
    assert f"{folder}/offences.csv: ignored unknown column(s): colour" in result.stderr
    assert rejects.exists()


def test_help_comes_from_the_docstring() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Import a data set in the canonical format" in result.stdout
    assert "--skip-invalid" in result.stdout
    assert "--ignore-unknown-columns" in result.stdout
