"""Recording disposals, conditions and compliance on the pages; the OOCD page; permissions
for every role on every page, cell by cell."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.disposals import service
from desist.disposals.models import Condition, Disposal, Outcome
from desist.offending.models import Offence
from desist.people.models import Person
from desist.reference.models import Outcome as OutcomeCode
from desist.web.tests.factories import (
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def solihull_person() -> Person:
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull")
    return person


def officer(role: Role = Role.POLICE_OFFENDER_MANAGER, la: str = "Solihull") -> User:
    return UserFactory.create(role=role, local_authority=la)


def pending_offence(person: Person, days_ago: int) -> Offence:
    """An offence the police record still shows waiting for an outcome."""
    return OffenceFactory.create(
        person=person,
        offence_date=TODAY - dt.timedelta(days=days_ago),
        outcome=reference(OutcomeCode, "pending"),
        outcome_date=None,
        sentence=None,
        custody_days=None,
    )


def disposal_for(person: Person, kind: str = "conditional_caution") -> Disposal:
    offence = pending_offence(person, 40)
    return Disposal.objects.create(
        person=person, offence=offence, kind=kind, disposal_date=TODAY - dt.timedelta(days=30)
    )


def test_an_officer_records_a_conditional_caution_and_its_breach_is_charged() -> None:
    person = solihull_person()
    offence = pending_offence(person, 20)
    police = client_for(officer())

    assert "Enter the person number" in police.get("/disposals/new/?person=").content.decode()
    outside = PersonFactory.create(local_authority="Havering")
    page = police.get(f"/disposals/new/?person={outside.pk}").content.decode()
    assert "No one with this person number is in your caseload" in page
    assert AuditEvent.objects.filter(verb=Verb.DENIED, object_id=str(outside.pk)).exists()
    url = f"/disposals/new/?person={person.pk}"
    assert offence.offence_group.label in police.get(url).content.decode()

    error = police.post(
        url,
        {
            "offence": offence.pk,
            "kind": "conditional_caution",
            "disposal_date": (TODAY + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            "remedy": "reparation",
        },
    ).content.decode()
    assert "Date of the disposal must be today or in the past" in error
    assert "A Community Remedy option goes with a community resolution only" in error
    assert not Disposal.objects.exists()

    response = police.post(
        url,
        {
            "offence": offence.pk,
            "kind": "conditional_caution",
            "disposal_date": (TODAY - dt.timedelta(days=10)).strftime("%d/%m/%Y"),
        },
    )
    disposal = Disposal.objects.get()
    assert response["Location"] == f"/disposals/{disposal.pk}/"
    assert disposal.outcome == Outcome.OPEN and disposal.local_authority == "Solihull"

    error = police.post(
        f"/disposals/{disposal.pk}/conditions/",
        {"pathway": "alcohol", "description": "", "deadline": "1/1/2000"},
    ).content.decode()
    assert "Enter the condition" in error
    assert "Deadline must be on or after the date of the disposal" in error
    for pathway, days in (("alcohol", -1), ("victim_awareness", 30)):
        police.post(
            f"/disposals/{disposal.pk}/conditions/",
            {
                "pathway": pathway,
                "description": f"Attend the {pathway} course",
                "deadline": (TODAY + dt.timedelta(days=days)).strftime("%d/%m/%Y"),
            },
        )
    alcohol, awareness = Condition.objects.order_by("deadline")
    listing = police.get("/disposals/").content.decode()
    assert "1 day overdue" in listing and "Attend the alcohol course" in listing

    police.post(
        f"/disposals/{disposal.pk}/conditions/{awareness.pk}/compliance/",
        {
            f"condition-{awareness.pk}-compliance": "complied",
            f"condition-{awareness.pk}-compliance_date": TODAY.strftime("%d/%m/%Y"),
        },
    )
    disposal.refresh_from_db()
    assert disposal.outcome == Outcome.OPEN
    police.post(
        f"/disposals/{disposal.pk}/conditions/{alcohol.pk}/compliance/",
        {
            f"condition-{alcohol.pk}-compliance": "not_complied",
            f"condition-{alcohol.pk}-compliance_date": TODAY.strftime("%d/%m/%Y"),
        },
    )
    disposal.refresh_from_db()
    assert (disposal.outcome, disposal.outcome_date) == (Outcome.CHARGED, TODAY)
    page = police.get(f"/disposals/{disposal.pk}/").content.decode()
    assert "Charged for the original offence" in page
    assert disposal.history.count() >= 2 and alcohol.history.count() == 2
    changes = AuditEvent.objects.filter(person=person, verb=Verb.CHANGED)
    assert changes.count() == 5
    last = changes.order_by("pk").last()
    assert last is not None and "outcome charged for the original offence" in last.detail
    assert AuditEvent.objects.filter(person=person, verb=Verb.VIEWED).exists()
    timeline = police.get(f"/people/{person.pk}/").content.decode()
    assert "Out of court disposal: Conditional caution" in timeline


def test_a_community_remedy_needs_the_victims_view_and_no_victim_name_is_listed() -> None:
    person = solihull_person()
    offence = pending_offence(person, 5)
    coordinator = client_for(officer(Role.IOM_COORDINATOR))
    url = f"/disposals/new/?person={person.pk}"
    data = {
        "offence": offence.pk,
        "kind": "community_resolution",
        "disposal_date": TODAY.strftime("%d/%m/%Y"),
        "remedy": "reparation",
        "victim_reference": "VS-2026-0042",
    }
    error = coordinator.post(url, data).content.decode()
    assert "Enter the victim&#x27;s view of the Community Remedy option" in error
    named = coordinator.post(url, {**data, "victim_reference": "Mrs Jones"}).content.decode()
    assert "Victim reference must be a crime or Victim Support reference number" in named
    coordinator.post(url, {**data, "victim_view": "Wants the graffiti cleaned off"})
    disposal = Disposal.objects.get()
    assert disposal.remedy == "reparation" and disposal.victim_view.startswith("Wants")
    assert "VS-2026-0042" not in coordinator.get("/disposals/").content.decode()
    assert "VS-2026-0042" in coordinator.get(f"/disposals/{disposal.pk}/").content.decode()


def test_a_disposal_is_recorded_once_for_an_offence_the_police_record_leaves_open() -> None:
    person = solihull_person()
    pending = pending_offence(person, 30)
    resolved = OffenceFactory.create(
        person=person,
        offence_date=TODAY - dt.timedelta(days=60),
        outcome=reference(OutcomeCode, "community_resolution"),
        outcome_date=TODAY - dt.timedelta(days=50),
        sentence=None,
        custody_days=None,
    )
    convicted = OffenceFactory.create(person=person, offence_date=TODAY - dt.timedelta(days=90))
    police = client_for(officer())
    url = f"/disposals/new/?person={person.pk}"
    form = police.get(url).content.decode()
    assert "(police record: pending)" in form and "(police record: community resolution)" in form
    assert f'value="{convicted.pk}"' not in form

    def record(offence: Offence, kind: str) -> str:
        data = {"offence": offence.pk, "kind": kind, "disposal_date": TODAY.strftime("%d/%m/%Y")}
        return police.post(url, data).content.decode()

    assert "Select a valid choice" in record(convicted, "conditional_caution")
    wrong = record(resolved, "conditional_caution")
    assert "The police record shows this offence as community resolution" in wrong
    assert not Disposal.objects.exists()
    record(resolved, "community_resolution")
    record(pending, "conditional_caution")
    assert set(Disposal.objects.values_list("offence_id", "kind")) == {
        (resolved.pk, "community_resolution"),
        (pending.pk, "conditional_caution"),
    }
    assert "Select a valid choice" in record(pending, "conditional_caution")
    assert Disposal.objects.count() == 2
    pending.refresh_from_db()
    assert pending.outcome_id == "pending"  # the imported record is left as it was
    page = police.get(f"/disposals/{Disposal.objects.get(offence=pending).pk}/").content.decode()
    assert "Outcome in the police record" in page and "desist does not change it" in page


def test_the_oocd_page_counts_outcomes_and_shows_reoffending_by_disposal() -> None:
    person = solihull_person()
    charged = disposal_for(person)
    charged.outcome = Outcome.CHARGED
    charged.save()
    disposal_for(person, "community_resolution")
    start, end = service.default_period(TODAY)
    # a community resolution in the cohort period followed by a sanctioned reoffence
    OffenceFactory.create(
        person=person,
        offence_date=start,
        outcome=reference(OutcomeCode, "community_resolution"),
        outcome_date=start + dt.timedelta(days=5),
        sentence=None,
        custody_days=None,
    )
    OffenceFactory.create(
        person=person,
        offence_date=start + dt.timedelta(days=60),
        outcome_date=start + dt.timedelta(days=90),
    )
    page = client_for(officer(Role.PROBATION_OFFICER)).get("/disposals/").content.decode()
    assert "Charged for the original offence" in page
    assert "Reoffending by disposal type" in page and "100.0%" in page
    assert "shared/reference/measures.md section 3 (reoffending by disposal)" in page
    result = service.reoffending_by_disposal_type(start, end, TODAY)
    assert not isinstance(result, str)
    rows = {row.disposal: row for row in service.measure_rows(result)}
    assert (rows["community_resolution"].cohort, rows["community_resolution"].reoffenders) == (1, 1)
    # the page keeps the measure until the data change: a new offence computes it again
    OffenceFactory.create(
        person=PersonFactory.create(),
        offence_date=start + dt.timedelta(days=1),
        outcome=reference(OutcomeCode, "community_resolution"),
        outcome_date=start + dt.timedelta(days=2),
        sentence=None,
        custody_days=None,
    )
    again = service.page_reoffending_by_disposal_type(start, end, TODAY)
    assert not isinstance(again, str)
    assert again.breakdowns["by_disposal"]["community_resolution"]["cohort"] == 2
    assert service.page_reoffending_by_disposal_type(start, end, TODAY) == again
    bad = client_for(officer()).get("/disposals/?start=2026-02-01&end=2026-01-01")
    assert "To must be on or after From" in bad.content.decode()


def test_a_change_made_meanwhile_in_another_tab_is_not_overwritten() -> None:
    person = solihull_person()
    user = officer()
    disposal = disposal_for(person)
    condition = service.add_condition(
        disposal, user, None, {"pathway": "debt", "description": "Debt advice", "deadline": TODAY}
    )
    stale_condition = Condition.objects.get(pk=condition.pk)
    stale_disposal = Disposal.objects.get(pk=disposal.pk)
    assert service.record_compliance(condition, user, None, "complied", TODAY) == Outcome.COMPLIED
    with pytest.raises(service.ChangedMeanwhile):
        service.record_compliance(stale_condition, user, None, "not_complied", TODAY)
    with pytest.raises(service.ChangedMeanwhile):
        service.add_condition(
            stale_disposal, user, None, {"pathway": "drugs", "description": "x", "deadline": TODAY}
        )
    condition.refresh_from_db()
    disposal.refresh_from_db()
    assert condition.compliance == "complied" and disposal.outcome == Outcome.COMPLIED
    assert disposal.conditions.count() == 1


def test_a_person_with_a_disposal_can_be_deleted_but_not_the_offence_alone() -> None:
    from django.db.models import RestrictedError

    person = solihull_person()
    disposal = disposal_for(person)
    with pytest.raises(RestrictedError):
        disposal.offence.delete()
    person.delete()
    assert not Disposal.objects.exists() and not Offence.objects.exists()


def test_the_open_disposals_count_is_the_whole_number_when_the_list_is_cut() -> None:
    person = solihull_person()
    first = disposal_for(person)
    Disposal.objects.bulk_create(
        Disposal(
            person=person,
            offence=first.offence,
            kind="community_resolution",
            disposal_date=first.disposal_date,
        )
        for _ in range(200)
    )
    page = client_for(officer()).get("/disposals/").content.decode()
    assert "Open disposals (201)" in page and "The 200 most recent are shown." in page


def test_default_period_is_twelve_whole_months_ending_eighteen_months_back() -> None:
    assert service.default_period(dt.date(2026, 12, 3)) == (
        dt.date(2024, 6, 1),
        dt.date(2025, 5, 31),
    )


READERS = {
    Role.POLICE_OFFENDER_MANAGER,
    Role.PROBATION_OFFICER,
    Role.YOUTH_JUSTICE_WORKER,
    Role.DRUG_ALCOHOL_WORKER,
    Role.IOM_COORDINATOR,
}
WRITERS = {Role.POLICE_OFFENDER_MANAGER, Role.IOM_COORDINATOR}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_on_every_page(role: Role) -> None:
    """Read: the roles with an offending cell, for people in scope; write: police and
    coordinators, in scope only. Everyone else: 403; someone else's disposal: 404."""
    from desist.accounts.models import Agency

    agency = Agency.objects.create(name="Agency", kind="police")
    user = UserFactory.create(role=role, local_authority="Solihull", agency=agency)
    person = solihull_person()
    if role in {Role.YOUTH_JUSTICE_WORKER, Role.DRUG_ALCOHOL_WORKER}:
        person.memberships.update(lead_agency=agency)
    disposal = disposal_for(person)
    condition = Condition.objects.create(
        disposal=disposal, pathway="drugs", description="Drugs course", deadline=TODAY
    )
    elsewhere = disposal_for(PersonFactory.create(local_authority="Havering"))
    client = client_for(user)
    reads = {
        "/disposals/": 200,
        f"/disposals/{disposal.pk}/": 200,
        f"/disposals/{elsewhere.pk}/": 404,
    }
    writes = {
        f"/disposals/new/?person={person.pk}": ("get", 200),
        f"/disposals/{disposal.pk}/conditions/": ("post", 200),  # invalid form: shown again
        f"/disposals/{disposal.pk}/conditions/{condition.pk}/compliance/": ("post", 200),
        f"/disposals/{elsewhere.pk}/conditions/": ("post", 404),
    }
    for url, status in reads.items():
        expected = status if role in READERS else 403
        assert client.get(url).status_code == expected, (role, url)
    for url, (method, status) in writes.items():
        expected = status if role in WRITERS else 403
        assert getattr(client, method)(url).status_code == expected, (role, url)
    denied = AuditEvent.objects.filter(verb=Verb.DENIED, object_type="disposals.disposal")
    assert denied.filter(object_id=str(elsewhere.pk)).exists() == (role in READERS), role
    home = client.get("/", follow=True).content.decode()
    assert ('href="/disposals/"' in home) == (role in READERS), role
    if role in READERS:
        page = client.get(f"/disposals/{disposal.pk}/").content.decode()
        assert ("Add a condition" in page) == (role in WRITERS)
