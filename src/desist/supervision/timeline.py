"""Timeline entries of supervision records for the nominal page (``web.nominal.timeline``):
orders, conditions and enforcement for those who read offending, appointments and home
visits for those who read case work."""

from __future__ import annotations

from collections.abc import Collection

from desist.accounts.access import Category
from desist.people.models import Person
from desist.supervision.models import Condition, Contact, Enforcement, HomeVisit, SupervisionOrder
from desist.web.nominal import TimelineEntry


def _by(user: object) -> str:
    return str(user) if user else ""


def entries(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """The person's supervision events the viewer may read (unsorted)."""
    found: list[TimelineEntry] = []
    if Category.OFFENDING in categories:
        for order in SupervisionOrder.objects.filter(person=person).select_related("recorded_by"):
            found.append(
                TimelineEntry(
                    on=order.start_date,
                    kind="order",
                    title=f"{order.get_kind_display()} started",
                    details=(
                        ("Ends", f"{order.end_date.day} {order.end_date:%B %Y}"),
                        ("Reporting", order.get_reporting_frequency_display()),
                    ),
                    byline=_by(order.recorded_by),
                )
            )
        conditions = Condition.objects.filter(order__person=person).select_related("recorded_by")
        found += [
            TimelineEntry(
                on=c.added_on,
                kind="condition",
                title=f"{c.get_kind_display()} added",
                details=(("Condition", c.text),),
                byline=_by(c.recorded_by),
            )
            for c in conditions
        ]
        actions = Enforcement.objects.filter(order__person=person).select_related("recorded_by")
        found += [
            TimelineEntry(
                on=a.on,
                kind=f"enforcement-{a.kind}",
                title=a.get_kind_display(),
                details=(("Reason", a.reason),),
                byline=_by(a.recorded_by),
            )
            for a in actions
        ]
    if Category.CASE_WORK in categories:
        contacts = Contact.objects.filter(order__person=person).select_related("recorded_by")
        found += [
            TimelineEntry(
                on=c.appointment_date,
                kind="contact",
                title=f"Appointment: {c.get_outcome_display().lower()}",
                details=(("Notes", c.notes),) if c.notes else (),
                byline=_by(c.recorded_by),
            )
            for c in contacts
        ]
        visits = HomeVisit.objects.filter(order__person=person).select_related(
            "agency", "recorded_by"
        )
        found += [
            TimelineEntry(
                on=v.visited_on,
                kind="home-visit",
                title=f"Home visit: {v.get_outcome_display().lower()}",
                details=tuple(
                    (label, value)
                    for label, value in (("Agency", str(v.agency or "")), ("Notes", v.notes))
                    if value
                ),
                byline=_by(v.recorded_by),
            )
            for v in visits
        ]
    return found
