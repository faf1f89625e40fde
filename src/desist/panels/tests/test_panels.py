"""Panels: the agenda rules, recording outcomes and actions, minutes, the Actions page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.cohorts.models import CohortMembership, RagReview
from desist.panels.agenda import build_agenda
from desist.panels.models import Action, Panel, PanelCase
from desist.reference.models import OffenceGroup, Scheme
from desist.web.tests.factories import (
    AgencyFactory,
    ArrestFactory,
    CustodyPeriodFactory,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db

MEETING = dt.date(2026, 6, 30)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(scheme: str = "ppo", local_authority: str = "Solihull") -> CohortMembership:
    return MembershipFactory.create(
        person=PersonFactory.create(local_authority=local_authority),
        scheme=reference(Scheme, scheme),
        local_authority=local_authority,
        start_date=dt.date(2025, 1, 1),
    )


def panel(kind: str = Panel.Kind.IOM, on: dt.date = MEETING) -> Panel:
    return Panel.objects.create(kind=kind, meeting_date=on, local_authority="Solihull")


def test_the_agenda_holds_who_is_due_and_who_had_events_since_the_last_panel() -> None:
    reviewed = member().person
    RagReviewFactory.create(person=reviewed, review_date=MEETING - dt.timedelta(days=10))
    overdue = member().person
    RagReviewFactory.create(person=overdue, review_date=MEETING - dt.timedelta(days=40))
    never = member().person
    arrested = member().person
    RagReviewFactory.create(person=arrested, review_date=MEETING - dt.timedelta(days=5))
    ArrestFactory.create(person=arrested, arrest_date=MEETING - dt.timedelta(days=3))
    released = member().person
    RagReviewFactory.create(person=released, review_date=MEETING - dt.timedelta(days=5))
    CustodyPeriodFactory.create(
        person=released,
        start_date=dt.date(2026, 1, 1),
        release_date=MEETING - dt.timedelta(days=2),
        kind="recall",
    )
    breached = member().person
    RagReviewFactory.create(person=breached, review_date=MEETING - dt.timedelta(days=5))
    OffenceFactory.create(
        person=breached,
        offence_date=MEETING - dt.timedelta(days=1),
        offence_group=reference(OffenceGroup, "breach_of_order"),
    )
    old_news = member().person
    RagReviewFactory.create(person=old_news, review_date=MEETING - dt.timedelta(days=5))
    ArrestFactory.create(person=old_news, arrest_date=MEETING - dt.timedelta(days=20))
    member(local_authority="Havering")  # another unit's
    panel(on=MEETING - dt.timedelta(days=14))  # the last panel: events since then only

    agenda = {item.person_id: item for item in build_agenda(panel())}
    assert set(agenda) == {overdue.pk, never.pk, arrested.pk, released.pk, breached.pk}
    assert agenda[never.pk].reasons == ["Due for review"]
    assert agenda[arrested.pk].reasons == ["Events since the last panel"]
    assert "Arrested" in agenda[arrested.pk].events[0]
    assert [e.split(": ", 1)[1] for e in agenda[released.pk].events] == ["Released from custody"]
    assert "Breach of order or licence" in agenda[breached.pk].events[0]


def test_people_in_more_than_one_cohort_are_flagged_and_mappa_reviews_its_own() -> None:
    both = member("ppo").person
    MembershipFactory.create(
        person=both, scheme=reference(Scheme, "mappa"), local_authority="Solihull"
    )
    only_ppo = member("ppo").person
    iom = {item.person_id: item for item in build_agenda(panel())}
    assert iom[both.pk].other_cohorts == ["MAPPA", "Prolific and priority offenders"]
    assert iom[only_ppo.pk].other_cohorts == []
    mappa = {item.person_id for item in build_agenda(panel(Panel.Kind.MAPPA))}
    assert mappa == {both.pk}


def test_a_coordinator_runs_a_panel_and_a_police_officer_sees_the_action() -> None:
    police_agency = AgencyFactory.create(name="Police", kind="police")
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    officer = UserFactory.create(
        role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull", agency=police_agency
    )
    membership = member()
    person = membership.person
    chair = client_for(coordinator)

    assert chair.get("/panels/new/").status_code == 200
    response = chair.post(
        "/panels/new/",
        {"kind": "iom", "meeting_date": "30/6/2026", "agencies": [police_agency.pk]},
    )
    created = Panel.objects.get()
    assert response["Location"] == f"/panels/{created.pk}/"
    assert created.local_authority == "Solihull" and list(created.agencies.all()) == [police_agency]
    case = PanelCase.objects.get(panel=created, person=person)
    assert person.family_name in chair.get(f"/panels/{created.pk}/").content.decode()

    base = f"/panels/{created.pk}/cases/{case.pk}/"
    assert chair.get(base).status_code == 200
    error = chair.post(f"{base}outcome/", {"decision": "deselect"}).content.decode()
    assert "Enter why the person is de-selected" in error
    response = chair.post(
        f"{base}outcome/",
        {
            "summary": "Rearrested; engage with DIP",
            "rag": "red",
            "tier": "1",
            "decision": "continue",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.decision, case.rag, case.tier) == ("continue", "red", 1)
    assert RagReview.objects.get(person=person, review_date=MEETING).rag == "red"
    membership.refresh_from_db()
    assert membership.tier == 1 and membership.history.count() == 2

    response = chair.post(
        f"{base}actions/",
        {
            "description": "Home visit within a week",
            "agency": police_agency.pk,
            "owner": officer.pk,
            "due_date": (timezone.localdate() + dt.timedelta(days=7)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.person_id, action.owner_id) == (person.pk, officer.pk)
    Action.objects.create(
        person=person,
        description="Old action",
        agency=police_agency,
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )

    police = client_for(officer)
    html = police.get("/actions/").content.decode()
    assert "Home visit within a week" in html and "Overdue (1)" in html and "Due (1)" in html
    assert police.post(f"/actions/{action.pk}/done/").status_code == 302
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()
    assert "Home visit within a week" not in police.get("/actions/").content.decode()
    assert AuditEvent.objects.filter(verb=Verb.CHANGED, person=person).count() == 3


def test_deselection_closes_the_units_memberships_with_the_reason() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    membership = member()
    meeting = panel()
    case = PanelCase.objects.create(panel=meeting, person=membership.person)
    client_for(coordinator).post(
        f"/panels/{meeting.pk}/cases/{case.pk}/outcome/",
        {"decision": "deselect", "deselection_reason": "No offending for 12 months"},
    )
    membership.refresh_from_db()
    assert membership.end_date == MEETING
    assert membership.deselection_reason == "No offending for 12 months"


def test_an_owner_must_work_for_the_agency_and_a_due_date_is_not_past() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    other = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER)
    meeting = panel()
    case = PanelCase.objects.create(panel=meeting, person=member().person)
    html = (
        client_for(coordinator)
        .post(
            f"/panels/{meeting.pk}/cases/{case.pk}/actions/",
            {
                "description": "x",
                "agency": AgencyFactory.create().pk,
                "owner": other.pk,
                "due_date": "1/1/2020",
            },
        )
        .content.decode()
    )
    assert "The owner must work for the agency of the action" in html
    assert "Due date must be today or in the future" in html
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.POLICE_OFFENDER_MANAGER, Role.PROBATION_OFFICER, Role.HOUSING_EMPLOYMENT_WORKER]
)
def test_only_chairs_create_panels_and_record_outcomes(role: Role) -> None:
    user = UserFactory.create(role=role, local_authority="Solihull")
    meeting = panel()
    assert user.agency is not None
    meeting.agencies.add(user.agency)
    case = PanelCase.objects.create(panel=meeting, person=member().person)
    client = client_for(user)
    assert client.get("/panels/").status_code == 200
    assert client.get("/panels/new/").status_code == 403
    assert (
        client.post(
            f"/panels/{meeting.pk}/cases/{case.pk}/outcome/", {"decision": "continue"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/panels/{meeting.pk}/minutes/", {"file_format": "csv", "recipient": "x"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "role",
    [Role.ANALYST, Role.PARTNERSHIP_MANAGER, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER],
)
def test_roles_without_case_work_see_no_panels_or_actions(role: Role) -> None:
    client = client_for(UserFactory.create(role=role))
    meeting = panel()
    assert client.get("/panels/").status_code == 403
    assert client.get(f"/panels/{meeting.pk}/").status_code == 403
    assert client.get("/actions/").status_code == 403


def test_panels_of_other_units_are_not_found() -> None:
    user = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Havering")
    assert client_for(user).get(f"/panels/{panel().pk}/").status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "html"])
def test_minutes_export_is_a_disclosure_logged_for_each_person(file_format: str) -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    meeting = panel()
    discussed = member().person
    not_discussed = member().person
    PanelCase.objects.create(panel=meeting, person=discussed, decision="continue", summary="=cmd")
    PanelCase.objects.create(panel=meeting, person=not_discussed)
    client = client_for(coordinator)
    assert client.get(f"/panels/{meeting.pk}/minutes/").status_code == 405
    missing = client.post(f"/panels/{meeting.pk}/minutes/", {"file_format": file_format})
    assert "Enter who will receive the minutes" in missing.content.decode()
    response = client.post(
        f"/panels/{meeting.pk}/minutes/",
        {"file_format": file_format, "recipient": "Panel members"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    content = response.content.decode()
    assert discussed.family_name in content and not_discussed.family_name not in content
    if file_format == "csv":
        assert "'=cmd" in content
    disclosed = AuditEvent.objects.filter(verb=Verb.DISCLOSED)
    assert [e.person_id for e in disclosed] == [discussed.pk]
    assert disclosed.get().reason == "To Panel members"
    assert AuditEvent.objects.filter(verb=Verb.EXPORTED, object_type="panels.panel").exists()
    timeline = client.get(f"/people/{discussed.pk}/").content.decode()
    assert "Disclosed: Minutes of IOM panel" in timeline


def test_reviews_after_the_meeting_do_not_count_for_a_past_panel() -> None:
    person = member().person
    RagReviewFactory.create(person=person, review_date=MEETING + dt.timedelta(days=3))
    assert [item.person_id for item in build_agenda(panel())] == [person.pk]


def test_an_agencys_actions_on_another_units_nominal_are_not_shown_or_completed() -> None:
    """A force-wide agency serves several units: its Solihull officer sees only the actions on
    people in their own scope (``visible_people``), and cannot complete the others."""
    police_agency = AgencyFactory.create(name="Police", kind="police")
    officer = UserFactory.create(
        role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull", agency=police_agency
    )
    due = timezone.localdate() + dt.timedelta(days=7)
    ours = Action.objects.create(
        person=member().person, description="Visit in Solihull", agency=police_agency, due_date=due
    )
    theirs = Action.objects.create(
        person=member(local_authority="Havering").person,
        description="Visit in Havering",
        agency=police_agency,
        due_date=due,
    )
    police = client_for(officer)
    html = police.get("/actions/").content.decode()
    assert "Visit in Solihull" in html and "Visit in Havering" not in html
    assert police.post(f"/actions/{theirs.pk}/done/").status_code == 403
    assert police.post(f"/actions/{ours.pk}/done/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.completed_on is None
