"""What the nominal page shows of a person's supervision: orders and licences with their
conditions and enforcement (offending), contacts and home visits (case work), and what falls
due, from the rules in ``rules.py``. Only the categories the viewer may read are filled in.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from desist.accounts.access import AnyUser, Category
from desist.cohorts.models import RagReview
from desist.people.models import Person
from desist.supervision import permissions, rules
from desist.supervision.models import Contact, Enforcement, HomeVisit, SupervisionOrder


def breach_threshold() -> int:
    """Unacceptable absences before a breach is considered: the local choice of the
    deployment (``DESIST_BREACH_AFTER_ABSENCES``) or ``rules.BREACH_AFTER_ABSENCES``."""
    return int(getattr(settings, "DESIST_BREACH_AFTER_ABSENCES", rules.BREACH_AFTER_ABSENCES))


@dataclass
class OrderSummary:
    order: SupervisionOrder
    status: str
    conditions: list[object] = field(default_factory=list)
    enforcements: list[Enforcement] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    visits: list[HomeVisit] = field(default_factory=list)
    next_report: date | None = None
    report_overdue: bool = False
    due_this_week: list[rules.Appointment] = field(default_factory=list)
    visit_due: date | None = None
    visit_overdue: bool = False
    consider_breach: bool = False
    unacceptable_absences: int = 0
    below_minimum: bool = False


@dataclass
class SupervisionSummary:
    show_offending: bool
    show_case_work: bool
    orders: list[OrderSummary]
    may_record: dict[str, bool]
    breach_threshold: int
    breach_window_days: int = rules.BREACH_WINDOW_DAYS
    minimum_source: str = rules.HAVERING_MINIMUM


def _appointments(contacts: Collection[Contact]) -> list[rules.Appointment]:
    return [rules.Appointment(c.appointment_date, c.outcome) for c in contacts]


def order_summary(
    order: SupervisionOrder, show_offending: bool, show_case_work: bool, rag: str, today: date
) -> OrderSummary:
    """One order with what falls due, from its prefetched conditions, enforcements, contacts
    and visits; the parts of a category the viewer may not read are left empty."""
    enforcements = list(order.enforcements.all())
    recalled = [e.on for e in enforcements if e.kind == Enforcement.Kind.RECALL]
    contacts = list(order.contacts.all())
    visits = list(order.visits.all())
    appointments = _appointments(contacts)
    summary = OrderSummary(
        order=order,
        status=rules.order_status(
            order.start_date, order.end_date, max(recalled, default=None), today
        ),
    )
    if show_offending:
        summary.conditions = list(order.conditions.all())
        summary.enforcements = enforcements
        summary.below_minimum = rules.below_minimum(order.reporting_frequency, rag) or (
            rules.below_minimum(order.visit_frequency, rag)
        )
    if show_case_work:
        summary.contacts, summary.visits = contacts, visits
        summary.next_report = rules.next_report_due(
            order.reporting_frequency, appointments, order.start_date
        )
        summary.report_overdue = summary.next_report < today
        summary.due_this_week = rules.contacts_due_this_week(appointments, today)
        summary.unacceptable_absences = rules.unacceptable_absences(
            appointments, today, rules.BREACH_WINDOW_DAYS
        )
        summary.consider_breach = show_offending and rules.consider_breach(
            appointments, today, breach_threshold()
        )
        if order.visit_frequency:
            last = max((v.visited_on for v in visits), default=None)
            summary.visit_due = rules.visit_due(order.visit_frequency, last, order.start_date)
            summary.visit_overdue = rules.visit_overdue(
                order.visit_frequency, last, order.start_date, today
            )
    return summary


PREFETCH = ("conditions", "enforcements", "contacts", "visits__agency")


def summarise(
    user: AnyUser,
    person: Person,
    categories: Collection[Category],
    read_only: bool,
    today: date,
) -> SupervisionSummary:
    """The supervision part of the nominal page for this viewer (``categories`` are the
    record's categories they may read; ``read_only`` for a record opened with a reason)."""
    own_case = permissions.is_own_case(user, person)
    show_offending = Category.OFFENDING in categories
    show_case_work = Category.CASE_WORK in categories
    may_record = {
        kind: not read_only and permissions.may_record(user, own_case, kind)
        for kind in permissions.CATEGORY_OF
    }
    threshold = breach_threshold()
    summaries: list[OrderSummary] = []
    if show_offending or show_case_work:
        latest = RagReview.objects.filter(person=person).order_by("-review_date").first()
        rag = latest.rag if latest else ""
        orders = SupervisionOrder.objects.filter(person=person).select_related("responsible_agency")
        for order in orders.prefetch_related(*PREFETCH):
            summary = order_summary(order, show_offending, show_case_work, rag, today)
            summaries.append(summary)
    return SupervisionSummary(
        show_offending=show_offending,
        show_case_work=show_case_work,
        orders=summaries,
        may_record=may_record,
        breach_threshold=threshold,
    )
