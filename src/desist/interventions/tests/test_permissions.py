"""Who may open and record requirements, programmes and targets: every role against every
page, cell by cell. The expected cells are written out by hand from docs/interventions.md,
not derived from the permission functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.interventions.models import Intervention, Target
from desist.people.models import Person
from desist.reference.models import InterventionKind
from desist.web.tests.factories import (
    AgencyFactory,
    InterventionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db

DRR, JOBS = "drr", "employment_programme"


@dataclass(frozen=True)
class Cells:
    listed: frozenset[str]  # kinds shown on the Interventions page
    person_page: int
    drr_detail: int
    jobs_detail: int
    may_refer: frozenset[str]  # kinds a referral is saved for
    targets: int
    set_target: int


NONE: frozenset[str] = frozenset()
BOTH = frozenset({DRR, JOBS})
CASEWORK_403 = Cells(NONE, 403, 403, 403, NONE, 403, 403)
EXPECTED: dict[Role, Cells] = {
    Role.POLICE_OFFENDER_MANAGER: Cells(NONE, 200, 404, 404, NONE, 200, 403),
    Role.PROBATION_OFFICER: Cells(NONE, 200, 404, 404, NONE, 200, 403),
    Role.YOUTH_JUSTICE_WORKER: Cells(NONE, 200, 404, 404, NONE, 200, 403),
    Role.DRUG_ALCOHOL_WORKER: Cells(BOTH, 200, 200, 200, frozenset({DRR}), 403, 403),
    Role.HOUSING_EMPLOYMENT_WORKER: Cells(
        frozenset({JOBS}), 200, 404, 200, frozenset({JOBS}), 403, 403
    ),
    Role.IOM_COORDINATOR: Cells(BOTH, 200, 200, 200, NONE, 200, 200),
    Role.ANALYST: Cells(NONE, 403, 403, 403, NONE, 200, 403),
    Role.PARTNERSHIP_MANAGER: Cells(NONE, 403, 403, 403, NONE, 200, 403),
    Role.ADMINISTRATOR: CASEWORK_403,
    Role.DATA_PROTECTION_OFFICER: CASEWORK_403,
}
#: Own case: the police officer manages the person.
OWN_POLICE = Cells(BOTH, 200, 200, 200, frozenset({JOBS}), 200, 403)
OWN_PROBATION = Cells(BOTH, 200, 200, 200, BOTH, 200, 403)


@dataclass(frozen=True)
class World:
    person: Person
    drr: Intervention
    jobs: Intervention
    agencies: dict[str, Agency]


def world() -> World:
    agencies = {
        name: AgencyFactory.create(name=name, kind=kind)
        for name, kind in [
            ("Recovery", "drug_alcohol_service"),
            ("Housing", "housing"),
            ("Youth", "youth_justice"),
        ]
    }
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(
        person=person, local_authority="Solihull", lead_agency=agencies["Youth"]
    )
    drr = InterventionFactory.create(person=person, agency=agencies["Recovery"])
    jobs = InterventionFactory.create(
        person=person,
        kind=reference(InterventionKind, JOBS),
        agency=agencies["Housing"],
    )
    return World(person, drr, jobs, agencies)


AGENCY_OF = {
    Role.DRUG_ALCOHOL_WORKER: "Recovery",
    Role.HOUSING_EMPLOYMENT_WORKER: "Housing",
    Role.YOUTH_JUSTICE_WORKER: "Youth",
}


def user_for(role: Role, here: World) -> User:
    agency = here.agencies.get(AGENCY_OF.get(role, ""))
    extra = {"agency": agency} if agency else {}
    return UserFactory.create(role=role, local_authority="Solihull", **extra)


def observe(user: User, here: World) -> Cells:
    """What the user gets from each page, in the shape of ``Cells``."""
    client = Client()
    client.force_login(user)
    listing = client.get("/interventions/")
    listed: set[str] = set()
    if listing.status_code == 200:
        html = listing.content.decode()
        listed = {
            code
            for code, item in [(DRR, here.drr), (JOBS, here.jobs)]
            if f'href="/interventions/{item.pk}/"' in html
        }
    referred = set()
    for kind in (DRR, JOBS):
        before = Intervention.objects.filter(kind_id=kind).count()
        client.post(
            f"/people/{here.person.pk}/interventions/new/",
            {"kind": kind, "referral_date": "1/6/2026"},
        )
        if Intervention.objects.filter(kind_id=kind).count() > before:
            referred.add(kind)
    target_new = client.post(
        "/interventions/targets/new/",
        {
            "kind": DRR,
            "period_start": "1/4/2026",
            "period_end": "31/3/2027",
            "starts_target": "34",
            "completions_target": "17",
        },
    )
    return Cells(
        listed=frozenset(listed),
        person_page=client.get(f"/people/{here.person.pk}/interventions/").status_code,
        drr_detail=client.get(f"/interventions/{here.drr.pk}/").status_code,
        jobs_detail=client.get(f"/interventions/{here.jobs.pk}/").status_code,
        may_refer=frozenset(referred),
        targets=client.get("/interventions/targets/").status_code,
        set_target=200 if target_new.status_code == 302 else target_new.status_code,
    )


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_role_on_every_page(role: Role) -> None:
    here = world()
    assert observe(user_for(role, here), here) == EXPECTED[role]


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.POLICE_OFFENDER_MANAGER, OWN_POLICE), (Role.PROBATION_OFFICER, OWN_PROBATION)],
)
def test_an_own_case_opens_the_own_cells(role: Role, expected: Cells) -> None:
    here = world()
    user = user_for(role, here)
    MembershipFactory.create(person=here.person, local_authority="Solihull", offender_manager=user)
    assert observe(user, here) == expected


@pytest.mark.parametrize("role", [Role.IOM_COORDINATOR, Role.DRUG_ALCOHOL_WORKER])
def test_people_outside_scope_are_not_listed_nor_found(role: Role) -> None:
    here = world()
    user = user_for(role, here)
    elsewhere = PersonFactory.create(local_authority="Havering")
    MembershipFactory.create(person=elsewhere, local_authority="Havering")
    far = InterventionFactory.create(person=elsewhere)
    client = Client()
    client.force_login(user)
    assert f"/interventions/{far.pk}/" not in client.get("/interventions/").content.decode()
    assert client.get(f"/interventions/{far.pk}/").status_code == 404
    assert client.get(f"/people/{elsewhere.pk}/interventions/").status_code == 404
    assert client.post(f"/interventions/{far.pk}/end/", {}).status_code == 404
    assert AuditEvent.objects.filter(verb=Verb.DENIED, object_id=str(far.pk)).exists()


def test_a_coordinator_reads_health_interventions_but_records_no_step() -> None:
    here = world()
    client = Client()
    client.force_login(user_for(Role.IOM_COORDINATOR, here))
    html = client.get(f"/interventions/{here.drr.pk}/").content.decode()
    assert "Record the end" not in html
    response = client.post(
        f"/interventions/{here.drr.pk}/end/", {"end_date": "1/6/2026", "outcome": "withdrawn"}
    )
    assert response.status_code == 403


def test_targets_are_of_the_users_unit_and_changed_only_there() -> None:
    kind = reference(InterventionKind, DRR)
    ours = Target.objects.create(
        kind=kind,
        local_authority="Solihull",
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2026, 3, 31),
        starts_target=34,
        completions_target=17,
    )
    theirs = Target.objects.create(
        kind=kind,
        local_authority="Havering",
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2026, 3, 31),
        starts_target=28,
        completions_target=16,
    )
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    client = Client()
    client.force_login(coordinator)
    html = client.get("/interventions/targets/").content.decode()
    assert f"/interventions/targets/{ours.pk}/" in html
    assert f"/interventions/targets/{theirs.pk}/" not in html
    assert client.get(f"/interventions/targets/{theirs.pk}/").status_code == 404
    analyst = UserFactory.create(role=Role.ANALYST)
    client.force_login(analyst)
    everyone = client.get("/interventions/targets/").content.decode()
    assert "Havering" in everyone and "Solihull" in everyone
    only = client.get("/interventions/targets/?local_authority=Havering").content.decode()
    assert '<td class="govuk-table__cell">Solihull</td>' not in only
