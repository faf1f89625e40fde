"""Reading the case database as a data set, and the commands without --data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from desist.measures.cli import app

D = dt.date


@pytest.fixture
def case_records(db: None) -> None:
    from desist.cohorts.models import CohortMembership, RagReview
    from desist.interventions.models import Intervention
    from desist.offending.models import Arrest, CustodyPeriod, Offence
    from desist.people.models import Person

    a = Person.objects.create(
        source_id="PNC-A", date_of_birth=D(1990, 6, 15), sex="M", local_authority="Leeds"
    )
    b = Person.objects.create(source_id="PNC-B", date_of_birth=D(2004, 2, 29), sex="F")
    Offence.objects.create(
        source_id="O1",
        person=a,
        offence_date=D(2020, 12, 1),
        offence_group_id="arson",
        outcome_id="conviction",
        outcome_date=D(2021, 1, 15),
        sentence_id="fine",
        domestic_abuse=True,
    )
    Offence.objects.create(
        source_id="O2",
        person=a,
        offence_date=D(2021, 5, 1),
        offence_group_id="shoplifting",
        outcome_id="caution",
        outcome_date=D(2021, 6, 1),
    )
    Offence.objects.create(
        source_id="O3",
        person=b,
        offence_date=D(2021, 1, 5),
        offence_group_id="criminal_damage",
        outcome_id="pending",
    )
    CustodyPeriod.objects.create(
        person=b, start_date=D(2020, 11, 1), release_date=D(2021, 2, 1), kind="sentence"
    )
    Arrest.objects.create(
        source_id="A1", person=a, arrest_date=D(2021, 4, 30), offence_group_id="shoplifting"
    )
    CohortMembership.objects.create(person=a, scheme_id="ppo", start_date=D(2021, 3, 1), tier=2)
    RagReview.objects.create(person=a, review_date=D(2021, 3, 1), rag="red")
    Intervention.objects.create(
        source_id="I1",
        person=a,
        kind_id="drr",
        status="completed",
        start_date=D(2021, 3, 1),
        end_date=D(2021, 9, 1),
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("case_records")
@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_the_case_tables_read_back_in_the_canonical_format(engine: str) -> None:
    from desist.dataset.database import read_database
    from desist.measures.common import collect

    data = read_database(engine)  # type: ignore[arg-type]
    people = collect(data["people"].sort("person_id")).to_dicts()
    assert [p["person_id"] for p in people] == ["PNC-A", "PNC-B"]  # source_id, not the pk
    assert people[0]["date_of_birth"] == D(1990, 6, 15)
    assert people[1]["local_authority"] is None  # a blank string is a missing value
    offences = collect(data["offences"].sort("offence_id")).to_dicts()
    assert offences[0] == {
        "offence_id": "O1",
        "person_id": "PNC-A",
        "offence_date": D(2020, 12, 1),
        "offence_group": "arson",
        "offence_code": None,
        "domestic_abuse": True,
        "outcome": "conviction",
        "outcome_date": D(2021, 1, 15),
        "sentence": "fine",
        "custody_days": None,
    }
    assert offences[2]["outcome_date"] is None
    memberships = collect(data["cohort_memberships"]).to_dicts()
    assert memberships[0]["tier"] == "2" and memberships[0]["scheme"] == "ppo"
    assert collect(data["custody"]).to_dicts()[0]["kind"] == "sentence"
    assert collect(data["interventions"]).to_dicts()[0]["kind"] == "drr"
    assert collect(data["rag_reviews"]).to_dicts()[0]["rag"] == "red"
    assert collect(data["arrests"]).to_dicts()[0]["arrest_id"] == "A1"


@pytest.mark.django_db
@pytest.mark.usefixtures("case_records")
def test_commands_without_data_read_the_case_database() -> None:
    result = CliRunner().invoke(
        app,
        [
            "reoffending",
            "--from",
            "2021-01-01",
            "--to",
            "2021-03-31",
            "--as-of",
            "2023-06-01",
            "--engine",
            "polars",
        ],
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    # A: conviction on 15 January, caution for an offence in May: a reoffender.
    # B: released from a custodial sentence on 1 February, a juvenile (16).
    assert (out["cohort"], out["reoffenders"]) == (2, 1)
    assert out["juvenile"]["cohort"] == 1 and out["by_index_disposal"]["custody"]["cohort"] == 1


@pytest.mark.django_db
def test_an_unreadable_database_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from desist.dataset import database

    monkeypatch.setattr(database, "_queries", lambda: {"people": "SELECT * FROM no_such_table"})
    result = CliRunner().invoke(
        app, ["reoffending", "--from", "2021-01-01", "--to", "2021-03-31", "--engine", "polars"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot read the case database")
    assert "Traceback" not in result.stderr
