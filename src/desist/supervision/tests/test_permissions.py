"""Who may open and use each supervision page, and what each role reads of supervision on
the nominal page: every role against every page, cell by cell (docs/supervision.md). The
expected cells are written out by hand from the docs, not derived from the code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.people.models import Person
from desist.supervision.models import SupervisionOrder
from desist.supervision.tests.factories import (
    ConditionFactory,
    ContactFactory,
    EnforcementFactory,
    OrderFactory,
)
from desist.web.tests.factories import AgencyFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ("order", "condition", "contact", "visit", "warning", "breach", "recall")
ALL, CASE, NONE = frozenset(PAGES), frozenset({"contact", "visit"}), frozenset[str]()

#: The pages each role may open for a person in its scope (the same for its own cases).
MAY_OPEN: dict[Role, frozenset[str]] = {
    Role.POLICE_OFFENDER_MANAGER: CASE,
    Role.PROBATION_OFFICER: ALL,
    Role.YOUTH_JUSTICE_WORKER: ALL,
    Role.DRUG_ALCOHOL_WORKER: CASE,
    Role.HOUSING_EMPLOYMENT_WORKER: NONE,
    Role.IOM_COORDINATOR: CASE,
}
NO_CASEWORK = (
    Role.ANALYST,
    Role.PARTNERSHIP_MANAGER,
    Role.ADMINISTRATOR,
    Role.DATA_PROTECTION_OFFICER,
)
#: What each role reads on the nominal page: (orders and enforcement, appointments and visits).
READS: dict[Role, tuple[bool, bool]] = {
    Role.POLICE_OFFENDER_MANAGER: (True, True),
    Role.PROBATION_OFFICER: (True, True),
    Role.YOUTH_JUSTICE_WORKER: (True, True),
    Role.DRUG_ALCOHOL_WORKER: (True, True),
    Role.HOUSING_EMPLOYMENT_WORKER: (False, True),
    Role.IOM_COORDINATOR: (True, True),
}
WITH_A_REASON = {Role.POLICE_OFFENDER_MANAGER, Role.PROBATION_OFFICER, Role.IOM_COORDINATOR}
ORDER_TEXT = "Licence (after release from custody)"
CONDITION_TEXT = "Not to enter the town centre exclusion zone"
WARNING_TEXT = "Missed two appointments without a reason"
CONTACT_TEXT = "Reported on time"

VALID_POST: dict[str, dict[str, str]] = {
    "order": {
        "kind": "licence",
        "start_date": "1/9/2026",
        "end_date": "1/9/2027",
        "reporting_frequency": "weekly",
        "visit_frequency": "monthly",
    },
    "condition": {"kind": "additional", "text": "Curfew 7pm to 7am", "added_on": "1/11/2026"},
    "contact": {"appointment_date": "1/11/2026", "outcome": "missed_unacceptable"},
    "visit": {"visited_on": "1/11/2026", "outcome": "not_in"},
    "warning": {"on": "2/11/2026", "reason": "Missed appointment"},
    "breach": {"on": "2/11/2026", "reason": "Third missed appointment"},
    "recall": {"on": "2/11/2026", "reason": "Licence breached, further arrest"},
}


def record_with_order(user: User, situation: str) -> tuple[Person, SupervisionOrder]:
    """A person with an order (and something of each kind) in or out of the user's scope."""
    local_authority = "Havering" if situation == "outside" else "Solihull"
    agency = AgencyFactory.create(name="Elsewhere") if situation == "outside" else user.agency
    person = PersonFactory.create(local_authority=local_authority)
    MembershipFactory.create(
        person=person,
        local_authority=local_authority,
        lead_agency=agency,
        offender_manager=user if situation == "own" else None,
    )
    order = OrderFactory.create(
        person=person, start_date=dt.date(2026, 6, 1), end_date=dt.date(2027, 6, 1)
    )
    ConditionFactory.create(order=order)
    ContactFactory.create(order=order)
    EnforcementFactory.create(order=order)
    return person, order


def url(page: str, person: Person, order: SupervisionOrder) -> str:
    if page == "order":
        return f"/people/{person.pk}/orders/new/"
    segment = {
        "condition": "conditions",
        "contact": "contacts",
        "visit": "visits",
        "warning": "warnings",
        "breach": "breaches",
        "recall": "recalls",
    }[page]
    return f"/people/{person.pk}/orders/{order.pk}/{segment}/new/"


def signed_in(role: Role) -> tuple[Client, User]:
    user = UserFactory.create(role=role, local_authority="Solihull")
    client = Client()
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("situation", ["own", "scope", "outside"])
@pytest.mark.parametrize("role", list(MAY_OPEN))
def test_each_page_for_each_case_work_role(role: Role, situation: str, page: str) -> None:
    client, user = signed_in(role)
    person, order = record_with_order(user, situation)
    response = client.get(url(page, person, order))
    if situation == "outside":
        assert response.status_code == 404
        assert AuditEvent.objects.filter(verb=Verb.DENIED, object_id=str(person.pk)).exists()
        return
    assert response.status_code == (200 if page in MAY_OPEN[role] else 403)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", list(MAY_OPEN))
def test_each_save_for_each_case_work_role(role: Role, page: str) -> None:
    client, user = signed_in(role)
    person, order = record_with_order(user, "scope")
    before = AuditEvent.objects.filter(verb=Verb.CHANGED).count()
    data = {**VALID_POST[page], "responsible_agency": str(user.agency_id)}
    response = client.post(url(page, person, order), data)
    if page in MAY_OPEN[role]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert AuditEvent.objects.filter(verb=Verb.CHANGED, person=person).count() == before + 1
    else:
        assert response.status_code == 403
        assert AuditEvent.objects.filter(verb=Verb.CHANGED).count() == before


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", NO_CASEWORK)
def test_roles_without_case_work_open_no_page(role: Role, page: str) -> None:
    client, user = signed_in(role)
    person, order = record_with_order(user, "own")
    assert client.get(url(page, person, order)).status_code == 403
    assert client.post(url(page, person, order), VALID_POST[page]).status_code == 403


@pytest.mark.parametrize("situation", ["scope", "outside"])
@pytest.mark.parametrize("role", list(READS))
def test_what_each_role_reads_on_the_nominal_page(role: Role, situation: str) -> None:
    client, user = signed_in(role)
    person, _ = record_with_order(user, situation)
    page = f"/people/{person.pk}/"
    if situation == "outside":
        if role not in WITH_A_REASON:
            assert client.get(page).status_code == 404
            return
        client.post(f"{page}reason/", {"reason": "Joint case with Havering"})
    html = client.get(page).content.decode()
    offending, case_work = READS[role]
    assert (ORDER_TEXT in html, CONDITION_TEXT in html, WARNING_TEXT in html) == (offending,) * 3
    assert (CONTACT_TEXT in html) == case_work
    assert ('data-kind="enforcement-warning"' in html) == offending
    assert ('data-kind="contact"' in html) == case_work
    links = ("Record a warning letter" in html, "Record an appointment" in html)
    if situation == "outside":
        assert links == (False, False), "a record opened with a reason is read only"
    else:
        assert links == ("warning" in MAY_OPEN[role], "contact" in MAY_OPEN[role])


@pytest.mark.parametrize("role", list(Role))
def test_the_due_list_for_each_role_lists_only_people_in_scope(role: Role) -> None:
    client, user = signed_in(role)
    inside, _ = record_with_order(user, "scope")
    outside, _ = record_with_order(user, "outside")
    response = client.get("/supervision/")
    if role not in MAY_OPEN:
        assert response.status_code == 403
        return
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/people/{inside.pk}/" in html and f"/people/{outside.pk}/" not in html
    assert (ORDER_TEXT in html) == READS[role][0], "the order's kind is offending data"
    assert AuditEvent.objects.filter(verb=Verb.SEARCHED, object_type="supervision").exists()
