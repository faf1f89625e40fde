"""Factories of supervision records (synthetic only)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from desist.supervision.models import Condition, Contact, Enforcement, HomeVisit, SupervisionOrder
from desist.web.tests.factories import PersonFactory


class OrderFactory(DjangoModelFactory[SupervisionOrder]):
    class Meta:
        model = SupervisionOrder

    person = factory.SubFactory(PersonFactory)
    kind = SupervisionOrder.Kind.LICENCE
    start_date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=365))
    reporting_frequency = "weekly"
    visit_frequency = "fortnightly"


class ConditionFactory(DjangoModelFactory[Condition]):
    class Meta:
        model = Condition

    order = factory.SubFactory(OrderFactory)
    kind = Condition.Kind.ADDITIONAL
    text = "Not to enter the town centre exclusion zone"
    added_on = factory.LazyAttribute(lambda c: c.order.start_date)


class ContactFactory(DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    order = factory.SubFactory(OrderFactory)
    appointment_date = factory.LazyAttribute(lambda c: c.order.start_date + dt.timedelta(days=7))
    outcome = Contact.Outcome.KEPT
    notes = "Reported on time"


class HomeVisitFactory(DjangoModelFactory[HomeVisit]):
    class Meta:
        model = HomeVisit

    order = factory.SubFactory(OrderFactory)
    visited_on = factory.LazyAttribute(lambda v: v.order.start_date + dt.timedelta(days=3))
    outcome = HomeVisit.Outcome.SEEN


class EnforcementFactory(DjangoModelFactory[Enforcement]):
    class Meta:
        model = Enforcement

    order = factory.SubFactory(OrderFactory)
    kind = Enforcement.Kind.WARNING
    on = factory.LazyAttribute(lambda e: e.order.start_date + dt.timedelta(days=10))
    reason = "Missed two appointments without a reason"
