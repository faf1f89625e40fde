"""Recording supervision through the pages: forms name the field at fault, changes are
audited, kept in the change history and shown on the nominal page and its timeline, and the
rules' results (visits overdue, contacts due, breach prompts, weekly minimum) are shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.cohorts.models import RagReview
from desist.supervision.demo import create_demo_supervision
from desist.supervision.forms import ContactForm, OrderForm
from desist.supervision.models import Contact, Enforcement, SupervisionOrder
from desist.supervision.summary import summarise
from desist.supervision.tests.factories import (
    ContactFactory,
    EnforcementFactory,
    HomeVisitFactory,
    OrderFactory,
)
from desist.web.tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def probation() -> Client:
    user = UserFactory.create(
        username="po1", role=Role.PROBATION_OFFICER, local_authority="Solihull"
    )
    client = Client()
    client.force_login(user)
    return client


def person_with_order(**order: object) -> SupervisionOrder:
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull")
    return OrderFactory.create(person=person, **order)


def test_an_order_is_recorded_audited_and_kept_in_its_history(probation: Client) -> None:
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull")
    agency = UserFactory.create(role=Role.PROBATION_OFFICER).agency
    assert agency is not None
    response = probation.post(
        f"/people/{person.pk}/orders/new/",
        {
            "kind": "licence",
            "start_date": "1/9/2026",
            "end_date": "1/9/2027",
            "responsible_agency": str(agency.pk),
            "reporting_frequency": "weekly",
            "visit_frequency": "weekly",
        },
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get(person=person)
    assert order.recorded_by is not None
    assert (order.kind, order.reporting_frequency, order.recorded_by.username) == (
        "licence",
        "weekly",
        "po1",
    )
    assert order.history.count() == 1
    event = AuditEvent.objects.get(verb=Verb.CHANGED, person=person)
    assert event.object_type == "supervision.supervisionorder"
    assert event.detail == "Licence or order record added"
    html = probation.get(f"/people/{person.pk}/").content.decode()
    assert "Licence (after release from custody) started" in html


def test_bad_input_names_the_field_and_writes_nothing(probation: Client) -> None:
    order = person_with_order()
    url = f"/people/{order.person.pk}/orders/{order.pk}/contacts/new/"
    response = probation.post(url, {"appointment_date": "31/2/2026", "outcome": "kept"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Appointment date must be a real date, like 27/3/2026" in html
    assert 'href="#id_appointment_date"' in html
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.CHANGED).exists()


def test_the_forms_check_dates_against_today_and_the_order() -> None:
    today = dt.date(2026, 12, 3)
    order = person_with_order(start_date=dt.date(2026, 11, 1), end_date=dt.date(2027, 11, 1))
    early = ContactForm(
        {"appointment_date": "1/10/2026", "outcome": "kept"}, today=today, order=order
    )
    assert early.errors["appointment_date"] == [
        "Appointment date must be on or after the order's start, 1 November 2026"
    ]
    future = ContactForm(
        {"appointment_date": "9/12/2026", "outcome": "kept"}, today=today, order=order
    )
    assert future.errors["appointment_date"] == ["Appointment date must be today or in the past"]
    booked = ContactForm(
        {"appointment_date": "9/12/2026", "outcome": "booked"}, today=today, order=order
    )
    assert booked.is_valid()
    past_booking = ContactForm(
        {"appointment_date": "9/11/2026", "outcome": "booked"}, today=today, order=order
    )
    assert "outcome" in past_booking.errors
    backwards = OrderForm(
        {
            "kind": "licence",
            "start_date": "1/9/2026",
            "end_date": "1/8/2026",
            "reporting_frequency": "weekly",
        },
        today=today,
    )
    assert backwards.errors["end_date"] == ["End date must be on or after the start date"]
    assert backwards.errors["responsible_agency"] == ["Select the responsible agency"]


def test_a_missed_appointment_and_a_warning_letter_show_on_the_timeline(probation: Client) -> None:
    order = person_with_order()
    base = f"/people/{order.person.pk}/orders/{order.pk}"
    on = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    probation.post(
        f"{base}/contacts/new/", {"appointment_date": on, "outcome": "missed_unacceptable"}
    )
    probation.post(f"{base}/warnings/new/", {"on": on, "reason": "Missed yesterday's appointment"})
    html = probation.get(f"/people/{order.person.pk}/").content.decode()
    assert 'data-kind="contact"' in html and "Appointment: missed: unacceptable absence" in html
    assert (
        'data-kind="enforcement-warning"' in html and "Missed yesterday&#x27;s appointment" in html
    )
    assert "Changed: Appointment recorded: missed: unacceptable absence" in html
    assert str(Enforcement.objects.values_list("recorded_by__username", flat=True).get()) == "po1"


def test_the_summary_applies_the_rules() -> None:
    today = timezone.localdate()
    user = UserFactory.create(role=Role.PROBATION_OFFICER, local_authority="Solihull")
    order = person_with_order(
        start_date=today - dt.timedelta(days=90),
        reporting_frequency="fortnightly",
        visit_frequency="weekly",
    )
    RagReview.objects.create(person=order.person, review_date=today, rag="red")
    HomeVisitFactory.create(order=order, visited_on=today - dt.timedelta(days=8))
    for days in (3, 10):
        ContactFactory.create(
            order=order,
            appointment_date=today - dt.timedelta(days=days),
            outcome="missed_unacceptable",
        )
    categories = {"offending", "case_work"}
    summary = summarise(user, order.person, categories, False, today)  # type: ignore[arg-type]
    (item,) = summary.orders
    assert item.visit_overdue and item.visit_due == today - dt.timedelta(days=1)
    assert item.report_overdue, "nothing kept: due a fortnight after the start, long past"
    assert item.below_minimum, "a red RAG asks for weekly reporting (Havering 2017)"
    assert item.consider_breach and item.unacceptable_absences == 2
    assert summary.may_record == dict.fromkeys(summary.may_record, True)
    with override_settings(DESIST_BREACH_AFTER_ABSENCES=3):
        again = summarise(user, order.person, categories, False, today)  # type: ignore[arg-type]
    assert not again.orders[0].consider_breach and again.breach_threshold == 3
    read_only = summarise(user, order.person, categories, True, today)  # type: ignore[arg-type]
    assert not any(read_only.may_record.values())


def test_the_demo_gives_the_probation_caseload_orders() -> None:
    from desist.accounts.demo import create_demo_users

    create_demo_users("Solihull")
    from desist.accounts.models import User

    probation = User.objects.get(username="probation")
    for _ in range(3):
        MembershipFactory.create(local_authority="Solihull", offender_manager=probation)
    assert create_demo_supervision("Solihull", timezone.localdate()) == 3
    assert SupervisionOrder.objects.count() == 3
    assert Enforcement.objects.filter(kind="warning").count() == 1
    assert Enforcement.objects.filter(kind="recall").count() == 1
    assert Contact.objects.filter(outcome="booked").count() == 3
    assert create_demo_supervision("", timezone.localdate()) == 0


def test_the_due_list_shows_what_falls_due(probation: Client) -> None:
    today = timezone.localdate()
    order = person_with_order(start_date=today - dt.timedelta(days=90), visit_frequency="weekly")
    HomeVisitFactory.create(order=order, visited_on=today - dt.timedelta(days=30))
    ended = person_with_order(
        start_date=today - dt.timedelta(days=400), end_date=today - dt.timedelta(days=1)
    )
    recalled = person_with_order()
    EnforcementFactory.create(order=recalled, kind="recall")
    html = probation.get("/supervision/").content.decode()
    assert f"/people/{order.person_id}/" in html and "Overdue" in html
    assert f"/people/{ended.person_id}/" not in html, "ended orders are not in force"
    assert f"/people/{recalled.person_id}/" not in html, "a recalled person is in prison"
    assert "1 order in force" in html
    assert "No orders or licences" in probation.get("/supervision/?mine=1").content.decode()
