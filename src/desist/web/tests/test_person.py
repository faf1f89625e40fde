"""The nominal page: identity, schemes, RAG, the timeline, and what each role sees of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.interventions.models import Intervention
from desist.people.models import Person
from desist.reference.models import InterventionKind
from desist.web.nominal import age_on
from desist.web.tests.factories import (
    ArrestFactory,
    CustodyPeriodFactory,
    InterventionFactory,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db


def page(user: User, person: Person) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_age_on() -> None:
    born = dt.date(1990, 6, 15)
    assert age_on(born, dt.date(2020, 6, 14)) == 29
    assert age_on(born, dt.date(2020, 6, 15)) == 30
    assert age_on(dt.date(2000, 2, 29), dt.date(2021, 2, 28)) == 20


def test_identity_schemes_rag_and_a_timeline_newest_first() -> None:
    person = PersonFactory.create(given_name="Dana", family_name="Whitlow", sex="F")
    MembershipFactory.create(person=person, tier=1, start_date=dt.date(2022, 1, 10))
    OffenceFactory.create(person=person, offence_date=dt.date(2023, 5, 1))
    ArrestFactory.create(person=person, arrest_date=dt.date(2023, 4, 1))
    CustodyPeriodFactory.create(
        person=person, start_date=dt.date(2021, 1, 1), licence_end_date=dt.date(2021, 9, 30)
    )
    RagReviewFactory.create(person=person, rag="amber", review_date=dt.date(2024, 1, 1))
    RagReviewFactory.create(person=person, rag="red", review_date=dt.date(2024, 2, 1))
    InterventionFactory.create(
        person=person, referral_date=dt.date(2022, 3, 1), start_date=dt.date(2022, 3, 15)
    )
    html = page(UserFactory.create(role=Role.IOM_COORDINATOR), person)

    assert "Dana Whitlow" in html and person.source_id in html and "Female" in html
    assert "moj-identity-bar" in html and "moj-timeline" in html
    assert "Prolific and priority offenders" in html and "Tier 1" in html
    assert "RAG history (2 reviews)" in html
    assert "Licence ends: 30 September 2021" in html
    order = [
        "RAG review: Red",
        "RAG review: Amber",
        "Offence: Residential burglary",
        "Arrest: Theft or unauthorised taking of a vehicle",
        "Drug rehabilitation requirement: started",
        "Adopted into Prolific and priority offenders",
        "Custody (sentence)",
    ]
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)


def test_people_outside_the_users_scope_are_not_found_or_need_a_reason() -> None:
    elsewhere = MembershipFactory.create(local_authority="Havering").person
    never_a_nominal = PersonFactory.create()
    client = Client()
    client.force_login(UserFactory.create(role=Role.YOUTH_JUSTICE_WORKER))
    assert client.get(f"/people/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/people/{never_a_nominal.pk}/").status_code == 404
    assert client.get("/people/999999/").status_code == 404
    client.force_login(
        UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    )
    for person in (elsewhere, never_a_nominal):
        response = client.get(f"/people/{person.pk}/")
        assert response.status_code == 302
        assert response["Location"] == f"/people/{person.pk}/reason/"
    assert client.get("/people/999999/").status_code == 404


def test_housing_workers_see_no_offending_and_no_health_data() -> None:
    person = MembershipFactory.create().person
    OffenceFactory.create(person=person)
    RagReviewFactory.create(person=person, rag="green")
    InterventionFactory.create(person=person)  # a DRR: health and substance use
    InterventionFactory.create(
        person=person, kind=reference(InterventionKind, "employment_programme")
    )
    housing = UserFactory.create(role=Role.HOUSING_EMPLOYMENT_WORKER)
    person.memberships.update(lead_agency=housing.agency)
    html = page(housing, person)
    assert "Offence:" not in html
    assert "Drug rehabilitation requirement" not in html
    assert "Employment programme" in html
    assert "RAG review: Green" in html


def test_health_interventions_only_for_the_police_offender_manager_of_the_case() -> None:
    officer = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER)
    other_officer = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER)
    person = MembershipFactory.create(offender_manager=officer).person
    InterventionFactory.create(person=person)
    assert Intervention.objects.filter(person=person).count() == 1
    assert "Drug rehabilitation requirement" in page(officer, person)
    assert "Drug rehabilitation requirement" not in page(other_officer, person)


@pytest.mark.parametrize("role", [Role.POLICE_OFFENDER_MANAGER, Role.HOUSING_EMPLOYMENT_WORKER])
def test_the_referral_link_only_for_roles_that_may_refer(role: Role) -> None:
    user = UserFactory.create(role=role, local_authority="Solihull")
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull", lead_agency=user.agency)
    html = page(user, person)
    link = f"/referrals/new/?person={person.pk}"
    assert (link in html) == (role == Role.POLICE_OFFENDER_MANAGER)
