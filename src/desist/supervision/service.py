"""Recording supervision: each change is saved with its change history (django-simple-history)
and one ``changed`` event in the audit log (``desist.audit.service.record``), in one
transaction, so nothing is half written.

The audit detail of an offending record (order, condition, warning, breach, recall) names no
more than "licence or order record": the log's events also show on the timeline to case-work
readers who may not read offending (housing and employment workers).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record
from desist.people.models import Person
from desist.supervision.models import (
    Condition,
    Contact,
    Enforcement,
    HomeVisit,
    SupervisionOrder,
)

OFFENDING_DETAIL = "Licence or order record added"


def _log(user: AnyUser, request: HttpRequest | None, person: Person, obj: Any, detail: str) -> None:
    record(Verb.CHANGED, user=user, request=request, person=person, obj=obj, detail=detail)


@transaction.atomic
def record_order(
    person: Person, user: AnyUser, request: HttpRequest | None, data: dict[str, Any]
) -> SupervisionOrder:
    """Save a new order or licence with its reporting and home visit frequencies."""
    order = SupervisionOrder.objects.create(person=person, recorded_by_id=user.pk, **data)
    _log(user, request, person, order, OFFENDING_DETAIL)
    return order


@transaction.atomic
def add_condition(
    order: SupervisionOrder, user: AnyUser, request: HttpRequest | None, data: dict[str, Any]
) -> Condition:
    """Add a standard or additional condition to an order or licence."""
    condition = Condition.objects.create(order=order, recorded_by_id=user.pk, **data)
    _log(user, request, order.person, condition, OFFENDING_DETAIL)
    return condition


@transaction.atomic
def record_contact(
    order: SupervisionOrder, user: AnyUser, request: HttpRequest | None, data: dict[str, Any]
) -> Contact:
    """Record a reporting appointment: booked, kept or missed."""
    contact = Contact.objects.create(order=order, recorded_by_id=user.pk, **data)
    outcome = contact.get_outcome_display()
    _log(user, request, order.person, contact, f"Appointment recorded: {outcome.lower()}")
    return contact


@transaction.atomic
def record_visit(
    order: SupervisionOrder, user: AnyUser, request: HttpRequest | None, data: dict[str, Any]
) -> HomeVisit:
    """Record a home visit by the user's agency and what they found."""
    visit = HomeVisit.objects.create(
        order=order, recorded_by_id=user.pk, agency_id=getattr(user, "agency_id", None), **data
    )
    outcome = visit.get_outcome_display()
    _log(user, request, order.person, visit, f"Home visit recorded: {outcome.lower()}")
    return visit


@transaction.atomic
def record_enforcement(
    order: SupervisionOrder,
    user: AnyUser,
    request: HttpRequest | None,
    kind: str,
    data: dict[str, Any],
) -> Enforcement:
    """Record a warning letter, a breach or a recall to prison."""
    action = Enforcement.objects.create(order=order, kind=kind, recorded_by_id=user.pk, **data)
    _log(user, request, order.person, action, OFFENDING_DETAIL)
    return action
