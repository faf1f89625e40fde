"""Referral pages: every role on every page, the officer's referral and the receiving
service's triage, contact, signposting and outcome, each audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.referrals.models import Referral, Service, Signpost
from desist.web.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CASEWORK = {
    Role.POLICE_OFFENDER_MANAGER,
    Role.PROBATION_OFFICER,
    Role.YOUTH_JUSTICE_WORKER,
    Role.DRUG_ALCOHOL_WORKER,
    Role.HOUSING_EMPLOYMENT_WORKER,
    Role.IOM_COORDINATOR,
}
REFERRERS = {
    Role.POLICE_OFFENDER_MANAGER,
    Role.PROBATION_OFFICER,
    Role.YOUTH_JUSTICE_WORKER,
    Role.IOM_COORDINATOR,
}
DIRECTORY_READERS = CASEWORK | {Role.ADMINISTRATOR}
DIRECTORY_EDITORS = {Role.IOM_COORDINATOR, Role.ADMINISTRATOR}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def receiver() -> Agency:
    return AgencyFactory.create(name="Linking People Service", kind="other")


def referral_to(agency: Agency, by: User | None = None, **fields: object) -> Referral:
    data: dict[str, object] = {
        "subject_name": "Alex Example",
        "local_authority": "Solihull",
        "receiving_agency": agency,
        "referred_on": dt.date(2026, 5, 1),
        "concern": "Lives alone, repeatedly targeted by callers",
        "consent": Referral.Consent.GIVEN,
        "referred_by": by,
        **fields,
    }
    return Referral.objects.create(**data)


def service(**fields: object) -> Service:
    data: dict[str, object] = {"name": "Befriending", "kind": "other", "contact": "0121 000 0000"}
    return Service.objects.create(**{**data, **fields})


@pytest.mark.parametrize("role", list(Role))
def test_who_may_open_each_page(role: Role) -> None:
    user = UserFactory.create(role=role, local_authority="Solihull")
    client = client_for(user)
    found = service()
    assert client.get("/referrals/").status_code == (200 if role in CASEWORK else 403)
    home = client.get("/").content.decode()
    assert ('href="/referrals/"' in home) == (role in CASEWORK)
    assert ('href="/services/"' in home) == (role == Role.ADMINISTRATOR)  # its only way in
    assert client.get("/referrals/new/").status_code == (200 if role in REFERRERS else 403)
    assert client.get("/services/").status_code == (200 if role in DIRECTORY_READERS else 403)
    editor = 200 if role in DIRECTORY_EDITORS else 403
    assert client.get("/services/new/").status_code == editor
    assert client.get(f"/services/{found.pk}/edit/").status_code == editor
    # A referral to the user's own agency: the receiving service's staff work on it.
    assert user.agency is not None
    mine = referral_to(user.agency)
    detail = client.get(f"/referrals/{mine.pk}/")
    assert detail.status_code == (200 if role in CASEWORK else 403)
    if role in CASEWORK:
        assert "Save triage" in detail.content.decode()
    # Someone else's referral to another agency: not found for everyone with case work.
    other = referral_to(receiver(), local_authority="Havering")
    assert client.get(f"/referrals/{other.pk}/").status_code == (404 if role in CASEWORK else 403)
    for step in ("triage", "contact", "signpost", "outcome"):
        refused = client.post(f"/referrals/{other.pk}/{step}/", {})
        assert refused.status_code == (404 if role in CASEWORK else 403), step
        assert Referral.objects.get(pk=other.pk).history.count() == 1


def test_the_referrer_sees_but_does_not_work_on_their_referral() -> None:
    officer = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    made = referral_to(receiver(), by=officer)
    client = client_for(officer)
    html = client.get(f"/referrals/{made.pk}/").content.decode()
    assert "Alex Example" in html and "Save triage" not in html
    refused = client.post(
        f"/referrals/{made.pk}/triage/", {"need": "other", "risk": "low", "priority": "routine"}
    )
    assert refused.status_code == 403


def test_a_coordinator_sees_the_referrals_of_their_unit_only() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    agency = receiver()
    unit = referral_to(agency, subject_name="In the unit")
    referral_to(agency, subject_name="Elsewhere", local_authority="Havering")
    html = client_for(coordinator).get("/referrals/").content.decode()
    assert "In the unit" in html and "Elsewhere" not in html
    assert f"/referrals/{unit.pk}/" in html


def test_an_officer_refers_a_nominal_of_their_caseload_and_it_is_disclosed() -> None:
    officer = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    agency = receiver()
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull")
    outside = PersonFactory.create(local_authority="Havering")
    MembershipFactory.create(person=outside, local_authority="Havering")
    client = client_for(officer)
    base = {
        "receiving_agency": agency.pk,
        "concern": "Socially isolated after release",
        "consent": "given",
    }
    prefilled = client.get(f"/referrals/new/?person={person.pk}").content.decode()
    assert f'value="{person.pk}"' in prefilled
    empty = client.post("/referrals/new/", {}).content.decode()
    for message in (
        "Enter the person&#x27;s full name, or a person number",
        "Select the service to refer to",
        "Enter the concern",
        "Select whether the person consented",
    ):
        assert message in empty
    refused = client.post("/referrals/new/", {**base, "person_number": outside.pk})
    assert "There is no nominal with this number on your caseload" in refused.content.decode()
    assert not Referral.objects.exists()
    response = client.post("/referrals/new/", {**base, "person_number": person.pk})
    referral = Referral.objects.get()
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.person == person and referral.local_authority == "Solihull"
    assert referral.referred_on == timezone.localdate()
    event = AuditEvent.objects.get(verb=Verb.DISCLOSED, person=person)
    assert "Linking People Service" in event.detail and event.user_id == officer.pk
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "Referred to Linking People Service" in html


def test_a_person_not_on_the_cohort_is_referred_with_minimal_details() -> None:
    officer = UserFactory.create(role=Role.PROBATION_OFFICER, local_authority="Solihull")
    client = client_for(officer)
    response = client.post(
        "/referrals/new/",
        {
            "subject_name": "Sam Neighbour",
            "subject_date_of_birth": "1/2/1950",
            "receiving_agency": receiver().pk,
            "concern": "Frequent falls, no family nearby",
            "consent": "not_given",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.person is None and referral.subject_name == "Sam Neighbour"
    assert AuditEvent.objects.filter(verb=Verb.CHANGED, object_id=str(referral.pk)).exists()


def test_the_receiving_service_triages_contacts_signposts_and_closes() -> None:
    agency = receiver()
    worker = UserFactory.create(role=Role.HOUSING_EMPLOYMENT_WORKER, agency=agency)
    referral = referral_to(agency, referred_on=timezone.localdate() - dt.timedelta(days=3))
    befriending = service(area="Solihull")
    service(name="Elsewhere only", area="Havering")
    client = client_for(worker)
    base = f"/referrals/{referral.pk}/"
    page = client.get(base).content.decode()
    assert "Befriending" in page and "Elsewhere only" not in page
    missing = client.post(f"{base}triage/", {}).content.decode()
    assert "Select the main need" in missing and "Select the priority" in missing
    client.post(f"{base}triage/", {"need": "accommodation", "risk": "high", "priority": "urgent"})
    referral.refresh_from_db()
    assert referral.triaged_by == worker and referral.priority == "urgent"
    early = client.post(f"{base}contact/", {"first_contact_on": "1/1/2020"}).content.decode()
    assert "Date of first contact must be on or after the referral" in early
    today = timezone.localdate()
    client.post(f"{base}contact/", {"first_contact_on": today.strftime("%d/%m/%Y")})
    client.post(f"{base}signpost/", {"service": befriending.pk})
    assert Signpost.objects.get().service == befriending
    client.post(f"{base}outcome/", {"outcome": "signposted", "outcome_notes": "Agreed to visit"})
    referral.refresh_from_db()
    assert referral.days_to_first_contact == 3 and referral.outcome_on == today
    assert referral.status_label == "Closed"
    assert referral.history.count() == 4  # made, triaged, contacted, closed
    assert AuditEvent.objects.filter(verb=Verb.CHANGED, username=worker.username).count() == 4
    listed = client.get("/referrals/").content.decode()
    assert "Days to first contact: median 3, 90th percentile 3, over the 1 referral" in listed
    closed = client.get(base).content.decode()
    assert "Signposted to other services" in closed and "Save triage" not in closed


def test_the_directory_is_kept_by_coordinators() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    client = client_for(coordinator)
    missing = client.post("/services/new/", {}).content.decode()
    assert "Enter the name of the service" in missing and "Select the kind of support" in missing
    client.post(
        "/services/new/",
        {
            "name": "Debt advice",
            "kind": "finance_benefit_debt",
            "contact": "debt@example.org",
            "active": "True",
        },
    )
    found = Service.objects.get()
    client.post(
        f"/services/{found.pk}/edit/",
        {
            "name": "Debt advice",
            "kind": "finance_benefit_debt",
            "contact": "debt@example.org",
            "active": "False",
        },
    )
    found.refresh_from_db()
    assert not found.active and found.history.count() == 2
    assert "Debt advice" in client.get("/services/").content.decode()
