"""What the nominal page shows of one person: age, current schemes, RAG, and a timeline.

Each part of the record belongs to a data category of ROLES.md; ``timeline`` leaves out the
categories the viewer may not read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.text import capfirst

from desist.accounts.access import Category, intervention_category
from desist.cohorts.models import CohortMembership, RagReview
from desist.interventions.models import Intervention
from desist.offending.models import Arrest, CustodyPeriod, Offence
from desist.people.models import Person

SEX_LABELS = {"M": "Male", "F": "Female", "X": "Other", "U": "Not known"}


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event in a person's history."""

    on: date
    kind: str
    title: str
    details: tuple[tuple[str, str], ...] = ()
    byline: str = ""


def age_on(date_of_birth: date, today: date) -> int:
    """Age in whole years on ``today``."""
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def sex_label(code: str) -> str:
    return SEX_LABELS.get(code, code)


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _details(*pairs: tuple[str, str | None]) -> tuple[tuple[str, str], ...]:
    return tuple((label, value) for label, value in pairs if value)


def open_memberships(person: Person) -> QuerySet[CohortMembership]:
    return person.memberships.filter(end_date__isnull=True).select_related(
        "scheme", "offender_manager", "lead_agency"
    )


def rag_history(person: Person) -> QuerySet[RagReview]:
    """RAG reviews, newest first."""
    return person.rag_reviews.select_related("reviewed_by").order_by("-review_date")


def _offences(person: Person) -> list[TimelineEntry]:
    offences = Offence.objects.filter(person=person).select_related(
        "offence_group", "outcome", "sentence"
    )
    return [
        TimelineEntry(
            on=offence.offence_date,
            kind="offence",
            title=f"Offence: {offence.offence_group.label}",
            details=_details(
                ("Outcome", offence.outcome.label),
                ("Outcome date", _day(offence.outcome_date)),
                ("Sentence", offence.sentence.label if offence.sentence else None),
                ("Custody", f"{offence.custody_days} days" if offence.custody_days else None),
                ("Domestic abuse", "Yes" if offence.domestic_abuse else None),
            ),
        )
        for offence in offences
    ]


def _arrests(person: Person) -> list[TimelineEntry]:
    arrests = Arrest.objects.filter(person=person).select_related("offence_group")
    return [
        TimelineEntry(
            on=arrest.arrest_date,
            kind="arrest",
            title=f"Arrest: {arrest.offence_group.label}",
            details=_details(("Outcome", capfirst(arrest.get_outcome_display()))),
        )
        for arrest in arrests
    ]


def _custody(person: Person) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            on=period.start_date,
            kind="custody",
            title=f"Custody ({period.kind})",
            details=_details(
                ("Released", _day(period.release_date)),
                ("Licence ends", _day(period.licence_end_date)),
            ),
        )
        for period in CustodyPeriod.objects.filter(person=person)
    ]


def _rag_reviews(person: Person) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            on=review.review_date,
            kind="rag",
            title=f"RAG review: {review.get_rag_display()}",
            details=_details(("Notes", review.notes)),
            byline=str(review.reviewed_by) if review.reviewed_by else "",
        )
        for review in rag_history(person)
    ]


def _interventions(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    interventions = Intervention.objects.filter(person=person).select_related("kind", "agency")
    entries = []
    for item in interventions:
        on = item.start_date or item.referral_date or item.end_date
        if on is None or intervention_category(item.kind.pathway_id) not in categories:
            continue
        entries.append(
            TimelineEntry(
                on=on,
                kind="intervention",
                title=f"{item.kind.label}: {item.get_status_display().lower()}",
                details=_details(
                    ("Referred", _day(item.referral_date)),
                    ("Started", _day(item.start_date)),
                    ("Ended", _day(item.end_date)),
                    ("Agency", item.agency.name if item.agency else None),
                ),
            )
        )
    return entries


def _memberships(person: Person) -> list[TimelineEntry]:
    memberships = person.memberships.select_related("scheme", "offender_manager")
    entries = []
    for membership in memberships:
        entries.append(
            TimelineEntry(
                on=membership.start_date,
                kind="membership",
                title=f"Adopted into {membership.scheme.label}",
                details=_details(
                    ("Cohort type", membership.get_cohort_type_display()),
                    ("Tier", membership.get_tier_display() if membership.tier else None),
                    ("Local authority", membership.local_authority),
                    ("Offender manager", str(membership.offender_manager or "")),
                    ("Reason", membership.adoption_reason),
                ),
            )
        )
        if membership.end_date is not None:
            entries.append(
                TimelineEntry(
                    on=membership.end_date,
                    kind="membership",
                    title=f"De-selected from {membership.scheme.label}",
                    details=_details(("Reason", membership.deselection_reason)),
                )
            )
    return entries


def timeline(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """Every dated event the viewer may read, newest first.

    Interventions without any date are left out (they have no place on a timeline).
    """
    entries: list[TimelineEntry] = []
    if Category.OFFENDING in categories:
        entries += _offences(person) + _arrests(person) + _custody(person)
    if Category.RISK in categories:
        entries += _rag_reviews(person)
    entries += _interventions(person, categories)
    if Category.CASE_WORK in categories:
        entries += _memberships(person)
    return sorted(entries, key=lambda entry: entry.on, reverse=True)
