"""The nominal page's timeline entries for out of court disposals (offending data)."""

from __future__ import annotations

from collections.abc import Collection

from desist.accounts.access import Category
from desist.disposals.models import Disposal
from desist.people.models import Person
from desist.web.nominal import TimelineEntry


def timeline_entries(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """One entry per disposal, for viewers who may read the person's offending."""
    if Category.OFFENDING not in categories:
        return []
    disposals = (
        Disposal.objects.filter(person=person)
        .select_related("offence__offence_group", "officer")
        .prefetch_related("conditions")
    )
    entries = []
    for disposal in disposals:
        conditions = "; ".join(
            f"{c.get_pathway_display()} by {c.deadline:%d/%m/%Y}"
            + (f" ({c.get_compliance_display().lower()})" if c.compliance else "")
            for c in disposal.conditions.all()
        )
        details = (
            ("Offence", disposal.offence.offence_group.label),
            ("Outcome", disposal.get_outcome_display()),
            ("Community Remedy", disposal.get_remedy_display()),
            ("Conditions", conditions),
        )
        entries.append(
            TimelineEntry(
                on=disposal.disposal_date,
                kind="disposal",
                title=f"Out of court disposal: {disposal.get_kind_display()}",
                details=tuple((label, value) for label, value in details if value),
                byline=str(disposal.officer or ""),
            )
        )
    return entries
