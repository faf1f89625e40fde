"""The nominal page's timeline entries for restorative justice cases (offending data: a case
says that the person harmed a victim). The victim appears by reference only."""

from __future__ import annotations

from collections.abc import Collection

from desist.accounts.access import Category
from desist.people.models import Person
from desist.restorative.models import RestorativeCase
from desist.web.nominal import TimelineEntry


def timeline_entries(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """One entry per case, for viewers who may read the person's offending."""
    if Category.OFFENDING not in categories:
        return []
    entries = []
    for case in RestorativeCase.objects.filter(person=person).select_related("facilitator"):
        details = (
            ("Source", case.get_source_display()),
            ("Stage", case.get_stage_display()),
            ("Victim reference", case.victim_reference),
            ("Facilitator", case.facilitator.name if case.facilitator else ""),
            ("Outcome agreed", case.outcome_agreed),
            ("Closed", case.get_closed_reason_display()),
        )
        entries.append(
            TimelineEntry(
                on=case.notified_on,
                kind="restorative-justice",
                title=f"Restorative justice: {case.get_level_display()}",
                details=tuple((label, value) for label, value in details if value),
                byline=str(case.recorded_by or ""),
            )
        )
    return entries
