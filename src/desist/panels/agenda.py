"""Panel agendas as plain functions: who is due for review, what happened since the last
panel, and who is in more than one cohort.

- **Due for review**: an open member of the panel's cohort whose latest RAG review is older
  than ``settings.DESIST_REVIEW_DAYS`` days on the meeting date, or who has none (the one
  rule in ``desist.cohorts.review``, which the cohort list's filter uses too).
- **Recent events** since the last panel of the same kind and unit (or, for the first, the
  review period): arrests, releases from custody, breaches (offences in the group
  ``breach_of_order``) and recalls to custody.
- **In more than one cohort**: open memberships in two or more schemes (for example PPO and
  MAPPA), flagged so that panels cross-reference and avoid duplicated work.

New proposals (people not yet adopted, from the selection scores) join when scoring lands.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, QuerySet

from desist.cohorts.models import CohortMembership, RagReview
from desist.cohorts.review import review_cutoff, review_interval
from desist.offending.models import Arrest, CustodyPeriod, Offence
from desist.panels.models import Panel, PanelCase

#: The schemes whose members each kind of panel reviews (None: every scheme).
PANEL_SCHEMES: dict[str, frozenset[str] | None] = {
    Panel.Kind.IOM: None,
    Panel.Kind.MAPPA: frozenset({"mappa"}),
    Panel.Kind.DIP: frozenset({"drr", "atr", "hccu"}),
    Panel.Kind.ASB: None,
}
BREACH_GROUP = "breach_of_order"


@dataclass
class AgendaItem:
    person_id: int
    reasons: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    other_cohorts: list[str] = field(default_factory=list)


def cohort_memberships(kind: str, local_authority: str) -> QuerySet[CohortMembership]:
    """The open memberships a panel of this kind and unit reviews."""
    memberships = CohortMembership.objects.filter(end_date__isnull=True)
    if local_authority:
        memberships = memberships.filter(local_authority=local_authority)
    schemes = PANEL_SCHEMES.get(kind)
    if schemes is not None:
        memberships = memberships.filter(scheme_id__in=schemes)
    return memberships


def last_panel_date(kind: str, local_authority: str, before: date) -> date | None:
    """The date of the previous meeting of this kind of panel in this unit."""
    previous = Panel.objects.filter(
        kind=kind, local_authority=local_authority, meeting_date__lt=before
    ).aggregate(last=Max("meeting_date"))
    return previous["last"]


def due_for_review(members: QuerySet[CohortMembership], on: date, days: int) -> set[int]:
    """Of these members, the people due for review on ``on`` (``desist.cohorts.review``: the
    latest RAG review up to ``on`` is ``days`` days old or more, or there is none). Reviews
    after ``on`` do not count, so an agenda for a past meeting is as it was then."""
    cutoff = review_cutoff(on, days)
    person_ids = set(members.values_list("person_id", flat=True))
    recent = set(
        RagReview.objects.filter(
            person_id__in=members.values("person_id"), review_date__gt=cutoff, review_date__lte=on
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    return person_ids - recent


def recent_events(
    members: QuerySet[CohortMembership], since: date, until: date
) -> dict[int, list[str]]:
    """Arrests, releases, breaches and recalls in (since, until], by person, oldest first."""
    person_ids = members.values("person_id")
    events: dict[int, list[tuple[date, str]]] = defaultdict(list)
    arrests = Arrest.objects.filter(
        person_id__in=person_ids, arrest_date__gt=since, arrest_date__lte=until
    ).select_related("offence_group")
    for arrest in arrests:
        events[arrest.person_id].append(
            (arrest.arrest_date, f"Arrested ({arrest.offence_group.label.lower()})")
        )
    custody = CustodyPeriod.objects.filter(person_id__in=person_ids)
    for period in custody.filter(release_date__gt=since, release_date__lte=until):
        assert period.release_date is not None
        events[period.person_id].append((period.release_date, "Released from custody"))
    for period in custody.filter(kind="recall", start_date__gt=since, start_date__lte=until):
        events[period.person_id].append((period.start_date, "Recalled to custody"))
    for offence in Offence.objects.filter(
        person_id__in=person_ids,
        offence_group_id=BREACH_GROUP,
        offence_date__gt=since,
        offence_date__lte=until,
    ):
        events[offence.person_id].append((offence.offence_date, "Breach of order or licence"))
    return {
        person: [f"{on:%d/%m/%Y}: {text}" for on, text in sorted(items)]
        for person, items in events.items()
    }


def other_cohorts(members: QuerySet[CohortMembership]) -> dict[int, list[str]]:
    """The schemes of those members with open memberships in two or more schemes (in any
    unit: a person can be in one unit's PPO cohort and another's MAPPA)."""
    schemes: dict[int, set[str]] = defaultdict(set)
    rows = CohortMembership.objects.filter(
        person_id__in=members.values("person_id"), end_date__isnull=True
    ).values_list("person_id", "scheme__label")
    for person_id, label in rows:
        schemes[person_id].add(label)
    return {person: sorted(labels) for person, labels in schemes.items() if len(labels) > 1}


def build_agenda(panel: Panel) -> list[AgendaItem]:
    """Who should be discussed at the panel, and why."""
    days = review_interval()
    members = cohort_memberships(panel.kind, panel.local_authority)
    since = last_panel_date(panel.kind, panel.local_authority, panel.meeting_date) or (
        panel.meeting_date - timedelta(days=days)
    )
    due = due_for_review(members, panel.meeting_date, days)
    events = recent_events(members, since, panel.meeting_date)
    flagged = other_cohorts(members)
    items = []
    for person_id in sorted(due | set(events)):
        item = AgendaItem(person_id)
        if person_id in due:
            item.reasons.append("Due for review")
        if person_id in events:
            item.reasons.append("Events since the last panel")
            item.events = events[person_id]
        item.other_cohorts = flagged.get(person_id, [])
        items.append(item)
    return items


@transaction.atomic
def create_agenda(panel: Panel) -> int:
    """Put the agenda's people on the panel (once each); return how many were added."""
    existing = set(panel.cases.values_list("person_id", flat=True))
    new = [
        PanelCase(
            panel=panel,
            person_id=item.person_id,
            reasons=", ".join(item.reasons),
            events="\n".join(item.events),
            other_cohorts=", ".join(item.other_cohorts),
        )
        for item in build_agenda(panel)
        if item.person_id not in existing
    ]
    PanelCase.objects.bulk_create(new)
    return len(new)
