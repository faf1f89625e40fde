"""Scores on the nominal page: the latest saved runs, the breakdown shown equals the stored
score, and who may see them (RISK readers except the RAG-only housing workers)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from desist.accounts.access import readable_categories
from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.people.models import Person
from desist.reference.models import OffenceGroup
from desist.scoring.demo import create_demo_scores
from desist.scoring.models import PersonScore, ScoreRun
from desist.scoring.permissions import may_read_scores
from desist.scoring.person import person_scores
from desist.web.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def scored_person(local_authority: str = "Solihull") -> Person:
    """A person with three recent sanctioned offences of different gravity, in a unit scheme."""
    born = dt.date(1990, 5, 1)
    person = PersonFactory.create(local_authority=local_authority, date_of_birth=born)
    MembershipFactory.create(person=person, local_authority=local_authority)
    groups = ((20, "burglary_residential"), (100, "shoplifting"), (300, "robbery_personal"))
    for days, group in groups:
        when = AS_OF - dt.timedelta(days=days + 30)
        OffenceFactory.create(
            person=person,
            offence_date=when,
            outcome_date=when + dt.timedelta(days=30),
            offence_group=reference(OffenceGroup, group),
        )
    return person


def page_of(user_role: Role, person: Person, **user: object) -> str:
    client = Client()
    client.force_login(UserFactory.create(role=user_role, local_authority="Solihull", **user))
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def numbers(html: str, pattern: str) -> list[float]:
    return [float(value) for value in re.findall(pattern, html)]


def test_the_breakdown_shown_adds_up_to_the_stored_score() -> None:
    person = scored_person()
    matrix_run, ogrs3_run = create_demo_scores("Solihull", AS_OF)
    stored = PersonScore.objects.get(run=matrix_run, person=person)
    assert stored.score > 0 and matrix_run.settings_effective_date is not None
    html = page_of(Role.IOM_COORDINATOR, person)

    shown = numbers(html, r'data-score="matrix">([\d.]+)<')
    points = numbers(html, r"data-points>([\d.]+)<")
    components = dict(re.findall(r'data-component="(\w+)">([\d.]+)<', html))
    assert shown == [pytest.approx(stored.score)]
    assert len(points) == len(stored.breakdown) == 7  # recency 1, frequency 3, gravity 3
    assert sum(points) == pytest.approx(stored.score)
    assert {c: float(v) for c, v in components.items()} == pytest.approx(stored.components)
    assert f"version {matrix_run.settings_version}" in html
    assert f"effective {matrix_run.settings_effective_date:%-d %B %Y}" in html
    assert "Residential burglary" in html and "Robbery of personal property" in html
    assert "local choice" in html and "docs/scoring.md section 2" in html

    ogrs3 = PersonScore.objects.get(run=ogrs3_run, person=person)
    one_year = round(ogrs3.components["ogrs3_1y"] * 100)
    assert f'data-score="ogrs3-1y">{one_year}%<' in html
    assert "Research Summary 7/09" in html and "docs/scoring.md section 1" in html


def test_the_latest_run_is_shown_and_a_person_missing_from_it_scored_nothing() -> None:
    person = scored_person()
    first, _ = create_demo_scores("Solihull", AS_OF)
    later = ScoreRun.objects.create(kind="matrix", as_of=AS_OF + dt.timedelta(days=400),
                                    settings_version="1.0")  # fmt: skip
    scores = person_scores(person)
    assert scores.matrix_run == later and scores.matrix is not None
    assert scores.matrix.score == 0 and scores.matrix.lines == ()
    later.delete()
    scores = person_scores(person)
    assert scores.matrix is not None and scores.matrix.run == first
    assert scores.matrix.breakdown_total == pytest.approx(scores.matrix.score)


def test_nothing_saved_says_so_and_a_person_without_sanction_has_no_ogrs3() -> None:
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull")
    assert "No scores have been saved yet" in page_of(Role.IOM_COORDINATOR, person)
    create_demo_scores("Solihull", AS_OF)
    html = page_of(Role.IOM_COORDINATOR, person)
    assert "no sanction on or before that date" in html
    assert "No counted offence or arrest gave points" in html


def test_a_record_added_after_the_runs_is_not_shown_as_scored_nothing() -> None:
    """Imported after the scores were saved: neither "0 points" nor "no sanction" is true."""
    create_demo_scores("Solihull", AS_OF)
    person = scored_person()
    scores = person_scores(person)
    assert scores.matrix is None and scores.ogrs3 is None
    assert scores.added_after_matrix and scores.added_after_ogrs3
    html = page_of(Role.IOM_COORDINATOR, person)
    assert html.count("this record was added after that run was saved") == 2
    assert "no sanction on or before" not in html and 'data-score="matrix"' not in html
    assert "No counted offence or arrest gave points" not in html


def scores_rule(user: User, own_case: bool) -> bool:
    """The rule as the nominal page applies it, on the categories the user reads."""
    return may_read_scores(user, readable_categories(user, own_case=own_case))


#: Who sees the scores section on a record in their scope (ROLES.md risk cell; housing and
#: employment workers: RAG only). Written out by hand.
SEES_SCORES = {
    Role.POLICE_OFFENDER_MANAGER: True,
    Role.PROBATION_OFFICER: True,
    Role.YOUTH_JUSTICE_WORKER: True,
    Role.DRUG_ALCOHOL_WORKER: True,
    Role.HOUSING_EMPLOYMENT_WORKER: False,
    Role.IOM_COORDINATOR: True,
}


@pytest.mark.parametrize(("role", "sees"), list(SEES_SCORES.items()))
def test_who_sees_scores_on_the_nominal_page(role: Role, sees: bool) -> None:
    agency = AgencyFactory.create(name="Scores agency")
    person = scored_person()
    person.memberships.update(lead_agency=agency)
    create_demo_scores("Solihull", AS_OF)
    html = page_of(role, person, agency=agency)
    assert ('id="scores-heading"' in html) is sees
    assert ("data-breakdown" in html) is sees
    assert scores_rule(UserFactory.create(role=role), own_case=False) is sees


NO_CASEWORK = [Role.ANALYST, Role.PARTNERSHIP_MANAGER, Role.ADMINISTRATOR,
               Role.DATA_PROTECTION_OFFICER]  # fmt: skip


@pytest.mark.parametrize("role", NO_CASEWORK)
def test_roles_without_case_work_read_no_scores(role: Role) -> None:
    person = scored_person()
    client = Client()
    client.force_login(UserFactory.create(role=role))
    assert client.get(f"/people/{person.pk}/").status_code == 403
    assert not scores_rule(UserFactory.create(role=role), own_case=True)
