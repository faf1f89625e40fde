"""Restorative justice on the pages: a referral moves through the pipeline to a conference;
the pipeline page; the facilitator register; every role on every page, cell by cell."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.people.models import Person
from desist.restorative.models import Facilitator, RestorativeCase, Stage
from desist.web.tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).strftime("%d/%m/%Y")


def solihull_person() -> Person:
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull")
    return person


def facilitator(level: int, name: str = "Sam Facilitator") -> Facilitator:
    return Facilitator.objects.create(
        name=name,
        organisation="Demo Police",
        kind="police_officer",
        level=level,
        trained_on=TODAY - dt.timedelta(days=400),
    )


def test_a_victim_support_notification_moves_through_the_pipeline_to_a_conference() -> None:
    person = solihull_person()
    level_one, level_two = facilitator(1, "Lee One"), facilitator(2, "Kim Two")
    police = client_for(
        UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    )

    named = police.post("/restorative-justice/new/", {"victim_reference": "Jane Smith"})
    assert "not a name" in named.content.decode()
    error = police.post("/restorative-justice/new/", {"person": "999999"}).content.decode()
    assert "No one with this person number is in your caseload" in error
    assert "Enter the victim reference" in error
    assert AuditEvent.objects.filter(verb=Verb.DENIED, object_id="999999").exists()
    response = police.post(
        "/restorative-justice/new/",
        {
            "person": person.pk,
            "source": "victim_support",
            "level": "2",
            "victim_reference": "VS-2026-0107",
            "received_on": day(30),
        },
    )
    case = RestorativeCase.objects.get()
    assert response["Location"] == f"/restorative-justice/{case.pk}/"
    assert case.stage == Stage.NOTIFIED and case.referred_on is None
    url = f"/restorative-justice/{case.pk}/advance/"

    skip = police.post(url, {"stage": "victim_offered", "on": day(29)}).content.decode()
    assert "The case can only move to the next stage: referred" in skip
    early = police.post(url, {"stage": "referred", "on": day(31)}).content.decode()
    assert "Date must be on or after the previous stage" in early
    police.post(url, {"stage": "referred", "on": day(28)})
    police.post(url, {"stage": "victim_offered", "on": day(20)})
    missing = police.post(url, {"stage": "victim_contacted", "on": day(15)}).content.decode()
    assert "Choose the trained facilitator" in missing
    police.post(url, {"stage": "victim_contacted", "on": day(15), "facilitator": level_one.pk})
    wrong = police.post(
        url, {"stage": "conference_held", "on": day(5), "facilitator": level_one.pk}
    ).content.decode()
    assert "A Level 2 conference needs a Level 2 trained facilitator" in wrong
    police.post(url, {"stage": "conference_held", "on": day(5), "facilitator": level_two.pk})
    case.refresh_from_db()
    assert case.stage == Stage.CONFERENCE_HELD and case.facilitator == level_two

    error = police.post(f"/restorative-justice/{case.pk}/outcome/", {}).content.decode()
    assert "Enter the outcomes agreed" in error
    police.post(
        f"/restorative-justice/{case.pk}/outcome/",
        {"outcome_agreed": "An apology; repair the fence", "satisfaction": "5"},
    )
    case.refresh_from_db()
    assert case.satisfaction == 5 and case.history.count() == 6
    assert AuditEvent.objects.filter(person=person, verb=Verb.CHANGED).count() == 6

    page = police.get("/restorative-justice/").content.decode()
    assert "1 of 1 victim who answered was very or fairly satisfied" in page
    timeline = police.get(f"/people/{person.pk}/").content.decode()
    assert "Restorative justice: Level 2 (conference)" in timeline


def test_an_officer_referral_counts_as_notified_and_a_closed_case_stops() -> None:
    person = solihull_person()
    coordinator = client_for(
        UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    )
    coordinator.post(
        "/restorative-justice/new/",
        {
            "person": person.pk,
            "source": "officer",
            "level": "1",
            "victim_reference": "CRIME-55",
            "received_on": day(3),
        },
    )
    case = RestorativeCase.objects.get()
    assert case.stage == Stage.REFERRED and case.notified_on == case.referred_on
    coordinator.post(f"/restorative-justice/{case.pk}/close/", {"reason": "victim_declined"})
    case.refresh_from_db()
    assert case.closed_reason == "victim_declined"
    closed = coordinator.post(
        f"/restorative-justice/{case.pk}/advance/", {"stage": "victim_offered", "on": day(1)}
    ).content.decode()
    assert "The case is closed" in closed
    page = coordinator.get("/restorative-justice/").content.decode()
    assert "Officer referral 1" in page and "CRIME-55" not in page


def test_coordinators_keep_the_facilitator_register() -> None:
    coordinator = client_for(
        UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    )
    error = coordinator.post("/restorative-justice/facilitators/", {"name": ""}).content.decode()
    assert "Enter the facilitator&#x27;s name" in error
    coordinator.post(
        "/restorative-justice/facilitators/",
        {
            "name": "Jo Carer",
            "organisation": "Demo Care Homes",
            "kind": "care_home_staff",
            "level": "2",
            "trained_on": day(100),
        },
    )
    added = Facilitator.objects.get()
    assert added.local_authority == "Solihull" and added.history.count() == 1
    page = coordinator.get("/restorative-justice/facilitators/").content.decode()
    assert "Jo Carer" in page and "Care home staff" in page


def test_a_unit_sees_and_chooses_only_its_own_facilitators() -> None:
    person = solihull_person()
    ours = facilitator(2, "Kim Solihull")
    ours.local_authority = "Solihull"
    ours.save()
    facilitator(2, "Pat Partnership")  # no local authority: the whole partnership's
    theirs = facilitator(2, "Lou Havering")
    theirs.local_authority = "Havering"
    theirs.save()
    case = RestorativeCase.objects.create(
        person=person,
        victim_reference="V9",
        source="officer",
        level=2,
        stage="victim_offered",
        notified_on=TODAY - dt.timedelta(days=10),
        referred_on=TODAY - dt.timedelta(days=10),
        victim_offered_on=TODAY - dt.timedelta(days=5),
    )
    police = client_for(
        UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    )
    register = police.get("/restorative-justice/facilitators/").content.decode()
    assert "Kim Solihull" in register and "Pat Partnership" in register
    assert "Lou Havering" not in register
    page = police.get(f"/restorative-justice/{case.pk}/").content.decode()
    assert "Kim Solihull" in page and "Lou Havering" not in page
    url = f"/restorative-justice/{case.pk}/advance/"
    forged = police.post(url, {"stage": "victim_contacted", "on": day(1), "facilitator": theirs.pk})
    assert "Select a valid choice" in forged.content.decode()
    ours.trained_on = TODAY
    ours.save()
    early = police.post(url, {"stage": "victim_contacted", "on": day(1), "facilitator": ours.pk})
    assert "after this date" in early.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.VICTIM_OFFERED and case.facilitator is None


def test_a_case_moved_meanwhile_in_another_tab_is_not_moved_again() -> None:
    from desist.restorative import service

    user = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    case = RestorativeCase.objects.create(
        person=solihull_person(),
        victim_reference="V7",
        source="officer",
        level=1,
        stage="referred",
        notified_on=TODAY - dt.timedelta(days=3),
        referred_on=TODAY - dt.timedelta(days=3),
    )
    stale = RestorativeCase.objects.get(pk=case.pk)
    service.advance(case, user, None, "victim_offered", TODAY, None)
    with pytest.raises(service.ChangedMeanwhile):
        service.advance(stale, user, None, "victim_offered", TODAY - dt.timedelta(days=1), None)
    case.refresh_from_db()
    assert case.victim_offered_on == TODAY and case.history.count() == 2


READERS = {
    Role.POLICE_OFFENDER_MANAGER,
    Role.PROBATION_OFFICER,
    Role.YOUTH_JUSTICE_WORKER,
    Role.DRUG_ALCOHOL_WORKER,
    Role.IOM_COORDINATOR,
}
WRITERS = {Role.POLICE_OFFENDER_MANAGER, Role.IOM_COORDINATOR}
KEEPERS = {Role.IOM_COORDINATOR}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_on_every_page(role: Role) -> None:
    """Read: roles with an offending cell, people in scope; write: police and coordinators in
    scope; the register: coordinators. Everyone else 403; another unit's case 404."""
    agency = Agency.objects.create(name="Agency", kind="police")
    user = UserFactory.create(role=role, local_authority="Solihull", agency=agency)
    person = solihull_person()
    if role in {Role.YOUTH_JUSTICE_WORKER, Role.DRUG_ALCOHOL_WORKER}:
        person.memberships.update(lead_agency=agency)
    case = RestorativeCase.objects.create(
        person=person,
        victim_reference="V1",
        source="officer",
        level=1,
        stage="referred",
        notified_on=TODAY,
        referred_on=TODAY,
    )
    other = RestorativeCase.objects.create(
        person=PersonFactory.create(local_authority="Havering"),
        victim_reference="V2",
        source="officer",
        level=1,
        stage="referred",
        notified_on=TODAY,
        referred_on=TODAY,
    )
    client = client_for(user)
    reads = {
        "/restorative-justice/": 200,
        f"/restorative-justice/{case.pk}/": 200,
        f"/restorative-justice/{other.pk}/": 404,
        "/restorative-justice/facilitators/": 200,
    }
    writes = {
        ("get", "/restorative-justice/new/"): 200,
        ("post", f"/restorative-justice/{case.pk}/advance/"): 200,  # invalid: shown again
        ("post", f"/restorative-justice/{case.pk}/close/"): 200,
        ("post", f"/restorative-justice/{other.pk}/advance/"): 404,
    }
    for url, status in reads.items():
        assert client.get(url).status_code == (status if role in READERS else 403), (role, url)
    for (method, url), status in writes.items():
        expected = status if role in WRITERS else 403
        assert getattr(client, method)(url).status_code == expected, (role, url)
    denied = AuditEvent.objects.filter(verb=Verb.DENIED, object_type="restorative.restorativecase")
    assert denied.filter(object_id=str(other.pk)).exists() == (role in READERS), role
    home = client.get("/", follow=True).content.decode()
    assert ('href="/restorative-justice/"' in home) == (role in READERS), role
    register = client.post("/restorative-justice/facilitators/", {}).status_code
    assert register == (200 if role in KEEPERS else 403)
