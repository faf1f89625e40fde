"""The permission matrix of docs/permissions.md, cell by cell, on the pages.

For every role and every situation (the person is the user's own case, in the user's scope,
or outside it) the nominal page is opened and each data category is looked for. The expected
cells are written out here by hand from the docs, not derived from ``accounts.access``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from desist.accounts.access import Category, writable_categories
from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.people.models import Person
from desist.reference.models import InterventionKind
from desist.referrals.models import Referral
from desist.web.tests.factories import (
    AgencyFactory,
    InterventionFactory,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db

ID, OFF, RISK, CW, HEALTH, OTHER = (
    Category.IDENTITY,
    Category.OFFENDING,
    Category.RISK,
    Category.CASE_WORK,
    Category.HEALTH,
    Category.OTHER_PATHWAYS,
)
EVERYTHING = frozenset({ID, OFF, RISK, CW, HEALTH, OTHER})
NOT_OWN = frozenset({ID, OFF, RISK, CW})
UNIT_ROLES = {Role.POLICE_OFFENDER_MANAGER, Role.PROBATION_OFFICER, Role.IOM_COORDINATOR}

#: What each role reads of a record: (own case, in scope, outside scope). "404": not found;
#: a set after a reason was given. Roles without case work get 403 everywhere.
READ_CELLS: dict[
    Role, tuple[frozenset[Category], frozenset[Category], frozenset[Category] | str]
] = {
    Role.POLICE_OFFENDER_MANAGER: (EVERYTHING, NOT_OWN, NOT_OWN),
    Role.PROBATION_OFFICER: (EVERYTHING, NOT_OWN, NOT_OWN),
    Role.YOUTH_JUSTICE_WORKER: (EVERYTHING, NOT_OWN, "404"),
    Role.DRUG_ALCOHOL_WORKER: (EVERYTHING, EVERYTHING, "404"),
    Role.HOUSING_EMPLOYMENT_WORKER: (
        frozenset({ID, RISK, CW, OTHER}),
        frozenset({ID, RISK, CW, OTHER}),
        "404",
    ),
    Role.IOM_COORDINATOR: (EVERYTHING, EVERYTHING, EVERYTHING),
}
NO_CASEWORK = [
    Role.ANALYST,
    Role.PARTNERSHIP_MANAGER,
    Role.ADMINISTRATOR,
    Role.DATA_PROTECTION_OFFICER,
]

#: What each role may change: (own case, in scope).
WRITE_CELLS: dict[Role, tuple[frozenset[Category], frozenset[Category]]] = {
    Role.POLICE_OFFENDER_MANAGER: (frozenset({ID, CW, OTHER}), frozenset({ID, CW})),
    Role.PROBATION_OFFICER: (frozenset({ID, CW, HEALTH, OTHER}), frozenset({ID, CW})),
    Role.YOUTH_JUSTICE_WORKER: (frozenset({ID, CW, HEALTH, OTHER}), frozenset({ID, CW})),
    Role.DRUG_ALCOHOL_WORKER: (frozenset({CW, HEALTH}), frozenset({CW, HEALTH})),
    Role.HOUSING_EMPLOYMENT_WORKER: (frozenset({CW, OTHER}), frozenset({CW, OTHER})),
    Role.IOM_COORDINATOR: (frozenset({ID, RISK, CW}), frozenset({ID, RISK, CW})),
}


def markers(person: Person) -> dict[Category, str]:
    """How each category shows on the nominal page."""
    return {
        ID: person.source_id,
        OFF: 'data-kind="offence"',
        RISK: "RAG review: Red",
        CW: 'data-kind="membership"',
        HEALTH: "Drug rehabilitation requirement",
        OTHER: "Employment programme",
    }


def full_record(local_authority: str, agency: Agency | None, manager: User | None) -> Person:
    """A person with something of every category, in a scheme led by ``agency``."""
    person = PersonFactory.create(local_authority=local_authority)
    MembershipFactory.create(
        person=person, local_authority=local_authority, lead_agency=agency, offender_manager=manager
    )
    OffenceFactory.create(person=person)
    RagReviewFactory.create(person=person, rag="red")
    InterventionFactory.create(person=person)  # DRR: health
    InterventionFactory.create(
        person=person, kind=reference(InterventionKind, "employment_programme")
    )
    return person


def situation_person(user: User, situation: str) -> Person:
    other_agency = AgencyFactory.create(name="Another agency")
    if situation == "own":
        return full_record("Solihull", user.agency, user)
    if situation == "scope":
        return full_record("Solihull", user.agency, None)
    return full_record("Havering", other_agency, None)


def shown(html: str, person: Person) -> frozenset[Category]:
    return frozenset(category for category, text in markers(person).items() if text in html)


@pytest.mark.parametrize("situation", ["own", "scope", "outside"])
@pytest.mark.parametrize("role", list(READ_CELLS))
def test_read_cells_on_the_nominal_page(role: Role, situation: str) -> None:
    user = UserFactory.create(role=role, local_authority="Solihull")
    person = situation_person(user, situation)
    client = Client()
    client.force_login(user)
    own, scope, outside = READ_CELLS[role]
    expected = {"own": own, "scope": scope, "outside": outside}[situation]
    url = f"/people/{person.pk}/"
    response = client.get(url)
    if expected == "404":
        assert response.status_code == 404
        assert AuditEvent.objects.filter(verb=Verb.DENIED, object_id=str(person.pk)).exists()
        return
    if situation == "outside":
        assert response.status_code == 302 and response["Location"] == f"{url}reason/"
        assert (
            client.post(f"{url}reason/", {"reason": "Joint case with Havering"}).status_code == 302
        )
        response = client.get(url)
    assert response.status_code == 200
    assert shown(response.content.decode(), person) == expected
    event = AuditEvent.objects.get(verb=Verb.VIEWED, person=person)
    assert event.outside_scope == (situation == "outside")
    assert event.reason == ("Joint case with Havering" if situation == "outside" else "")


@pytest.mark.parametrize("role", NO_CASEWORK)
def test_roles_without_case_work_open_no_record(role: Role) -> None:
    user = UserFactory.create(role=role, local_authority="Solihull")
    person = full_record("Solihull", user.agency, user)
    client = Client()
    client.force_login(user)
    assert client.get(f"/people/{person.pk}/").status_code == 403
    assert client.get(f"/people/{person.pk}/reason/").status_code == 403
    assert client.get("/cohort/").status_code == 403


@pytest.mark.parametrize("own_case", [True, False])
@pytest.mark.parametrize("role", list(WRITE_CELLS))
def test_write_cells(role: Role, own_case: bool) -> None:
    user = UserFactory.build(role=role)
    expected = WRITE_CELLS[role][0 if own_case else 1]
    assert writable_categories(user, own_case=own_case) == expected


@pytest.mark.parametrize("role", list(Role))
def test_audit_cell(role: Role) -> None:
    client = Client()
    client.force_login(UserFactory.create(role=role))
    allowed = role in {Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER}
    assert client.get("/audit/").status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", list(READ_CELLS))
def test_the_cohort_list_follows_the_same_scope(role: Role) -> None:
    user = UserFactory.create(role=role, local_authority="Solihull")
    own = full_record("Solihull", user.agency, user)
    led = full_record("Solihull", user.agency, None)
    unit_only = full_record("Solihull", AgencyFactory.create(name="Other"), None)
    elsewhere_with_intervention = full_record("Havering", None, None)
    InterventionFactory.create(person=elsewhere_with_intervention, agency=user.agency)
    assert user.agency is not None
    referred = full_record("Havering", None, None)
    referral_closed = full_record("Havering", None, None)
    for person, outcome in ((referred, ""), (referral_closed, Referral.Outcome.SUPPORTED)):
        Referral.objects.create(
            person=person,
            receiving_agency=user.agency,
            referred_on=dt.date(2026, 5, 1),
            concern="Rent arrears and threatened with eviction",
            consent=Referral.Consent.GIVEN,
            outcome=outcome,
        )
    client = Client()
    client.force_login(user)
    html = client.get("/cohort/").content.decode()
    listed = {
        p.pk
        for p in (own, led, unit_only, elsewhere_with_intervention, referred, referral_closed)
        if f"/people/{p.pk}/" in html
    }
    if role in UNIT_ROLES:
        assert listed == {own.pk, led.pk, unit_only.pk}
    else:
        # Agency caseload (ROLES.md): open memberships, interventions and open referrals.
        assert listed == {own.pk, led.pk, elsewhere_with_intervention.pk, referred.pk}


def test_a_unit_role_without_a_local_authority_sees_everyone() -> None:
    user = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="")
    person = full_record("Havering", None, None)
    client = Client()
    client.force_login(user)
    assert client.get(f"/people/{person.pk}/").status_code == 200


def test_the_reason_form_needs_a_real_reason_and_is_skipped_in_scope() -> None:
    user = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    outside = full_record("Havering", None, None)
    inside = full_record("Solihull", None, None)
    client = Client()
    client.force_login(user)
    form = client.get(f"/people/{outside.pk}/reason/").content.decode()
    assert "This record is outside your caseload" in form
    assert outside.family_name not in form and outside.source_id not in form
    short = client.post(f"/people/{outside.pk}/reason/", {"reason": "look"}).content.decode()
    assert "Reason must be 10 characters or more" in short
    assert client.get(f"/people/{outside.pk}/").status_code == 302  # still no reason
    assert client.get(f"/people/{inside.pk}/reason/")["Location"] == f"/people/{inside.pk}/"
    assert client.get("/people/999999/reason/").status_code == 404
