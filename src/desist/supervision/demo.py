"""Demo records for supervision: licences and orders of the demo unit's people, with
conditions, appointments kept and missed, home visits, a warning letter and a recall."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from desist.accounts.models import User
from desist.cohorts.models import CohortMembership
from desist.supervision import service
from desist.supervision.models import Condition, Contact, Enforcement, HomeVisit, SupervisionOrder

PEOPLE = 6


@transaction.atomic
def create_demo_supervision(local_authority: str, as_of: date) -> int:
    """Give the first people managed by the demo probation officer in ``local_authority`` an
    order or licence each (weekly reporting for the first ones, monthly after), recorded by
    the probation officer and the police officer; returns the number of orders."""
    probation = User.objects.filter(username="probation").first()
    police = User.objects.filter(username="police").first()
    if probation is None or police is None or not local_authority:
        return 0
    memberships = (
        CohortMembership.objects.filter(
            local_authority=local_authority, end_date__isnull=True, offender_manager=probation
        )
        .select_related("person")
        .order_by("person__family_name", "person_id")
    )
    people = list(dict.fromkeys(m.person for m in memberships))[:PEOPLE]
    # The reporting history ends a few days ago: this week's appointments are still booked.
    today = as_of
    for number, person in enumerate(people):
        start = today - timedelta(days=120 + 30 * number)
        order = service.record_order(
            person,
            probation,
            None,
            {
                "kind": SupervisionOrder.Kind.LICENCE
                if number % 2 == 0
                else SupervisionOrder.Kind.COMMUNITY_ORDER,
                "start_date": start,
                "end_date": start + timedelta(days=365),
                "responsible_agency": probation.agency,
                "reporting_frequency": "weekly" if number < 3 else "monthly",
                "visit_frequency": "weekly" if number < 2 else "fortnightly",
            },
        )
        service.add_condition(
            order,
            probation,
            None,
            {
                "kind": Condition.Kind.STANDARD,
                "text": "Keep in touch with the supervising officer as instructed",
                "added_on": start,
            },
        )
        for week in range(1, 6):
            on = today - timedelta(days=7 * week + 2)
            missed = number == 0 and week in (1, 3)
            outcome = Contact.Outcome.MISSED_UNACCEPTABLE if missed else Contact.Outcome.KEPT
            service.record_contact(
                order, probation, None, {"appointment_date": on, "outcome": outcome, "notes": ""}
            )
        service.record_contact(
            order,
            probation,
            None,
            {"appointment_date": today + timedelta(days=1), "outcome": "booked", "notes": ""},
        )
        visited = today - timedelta(days=5 if number else 12)
        service.record_visit(
            order,
            police,
            None,
            {"visited_on": visited, "outcome": HomeVisit.Outcome.SEEN, "notes": ""},
        )
        if number == 0:
            service.add_condition(
                order,
                probation,
                None,
                {
                    "kind": Condition.Kind.ADDITIONAL,
                    "text": "Curfew from 7pm to 7am, electronically monitored",
                    "added_on": today - timedelta(days=20),
                },
            )
            service.record_enforcement(
                order,
                probation,
                None,
                Enforcement.Kind.WARNING,
                {
                    "on": today - timedelta(days=21),
                    "reason": "Missed an appointment without an acceptable reason",
                },
            )
        if number == 1:
            service.record_enforcement(
                order,
                probation,
                None,
                Enforcement.Kind.RECALL,
                {
                    "on": today - timedelta(days=3),
                    "reason": "Arrested for burglary while on licence",
                },
            )
    return len(people)
