"""What the nominal page shows of one person: age, current schemes, RAG, and a timeline.

Each part of the record belongs to a data category of ROLES.md; ``timeline`` leaves out the
categories the viewer may not read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from desist.accounts.access import Category, intervention_category, pathway_category
from desist.audit.service import person_activity
from desist.cohorts.models import CohortMembership, RagReview
from desist.interventions.models import Intervention
from desist.offending.models import Arrest, CustodyPeriod, Offence
from desist.pathways.models import PathwayNeed
from desist.people.models import Person
from desist.reference import lists

NEED_TYPE = PathwayNeed._meta.label_lower
INTERVENTION_TYPE = Intervention._meta.label_lower
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


def all_memberships(person: Person) -> QuerySet[CohortMembership]:
    """Every membership, open or closed, newest first, with what the page shows of each."""
    return person.memberships.select_related("scheme", "offender_manager", "lead_agency")


def open_memberships(person: Person) -> QuerySet[CohortMembership]:
    return all_memberships(person).filter(end_date__isnull=True)


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


def _rag_reviews(reviews: Iterable[RagReview]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            on=review.review_date,
            kind="rag",
            title=f"RAG review: {review.get_rag_display()}",
            details=_details(("Notes", review.notes)),
            byline=str(review.reviewed_by) if review.reviewed_by else "",
        )
        for review in reviews
    ]


def _interventions(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    interventions = (
        Intervention.objects.filter(person=person)
        .select_related("kind", "agency")
        .prefetch_related("drug_tests")
    )
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
                    ("Assessed", item.get_assessment_display() if item.assessment else None),
                    (
                        "Drug tests",
                        str(len(item.drug_tests.all())) if item.drug_tests.all() else None,
                    ),
                    ("Reason", item.end_reason),
                ),
            )
        )
    return entries


def _memberships(memberships: Iterable[CohortMembership]) -> list[TimelineEntry]:
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


def _activity(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """Changes, exports and disclosures from the audit log (``audit.service.record``).

    An event about a pathway need shows only to those who may read that pathway; one about
    an intervention only to those who may read its kind's category.
    """
    events = list(person_activity(person))
    need_ids = [e.object_id for e in events if e.object_type == NEED_TYPE]
    need_pathways = dict(
        PathwayNeed.objects.filter(pk__in=need_ids).values_list("pk", "pathway_id")
    )
    hidden = {
        str(pk)
        for pk, pathway in need_pathways.items()
        if pathway_category(pathway) not in categories
    }
    intervention_ids = [e.object_id for e in events if e.object_type == INTERVENTION_TYPE]
    intervention_pathways = Intervention.objects.filter(pk__in=intervention_ids).values_list(
        "pk", "kind__pathway_id"
    )
    hidden_interventions = {
        str(pk)
        for pk, pathway in intervention_pathways
        if intervention_category(pathway) not in categories
    }
    return [
        TimelineEntry(
            on=timezone.localdate(event.at),
            kind=f"audit-{event.verb}",
            title=f"{event.get_verb_display()}: {event.detail}" if event.detail else event.verb,
            details=_details(("Reason", event.reason)),
            byline=event.username,
        )
        for event in events
        if not (event.object_type == NEED_TYPE and event.object_id in hidden)
        and not (event.object_type == INTERVENTION_TYPE and event.object_id in hidden_interventions)
    ]


def pathway_needs(person: Person, categories: Collection[Category]) -> list[PathwayNeed]:
    """The person's pathway needs the viewer may read, by pathway."""
    needs = person.pathway_needs.select_related("pathway", "assessed_by")
    return [need for need in needs if pathway_category(need.pathway_id) in categories]


def _value(record: models.Model, field: str) -> str:
    """A field of a historical record as shown to people (choice labels, names of rows)."""
    display = getattr(record, f"get_{field}_display", None)
    if callable(display):
        return str(display())
    value = getattr(record, field, None)
    if isinstance(value, date):
        return _day(value)
    return "" if value is None else str(value)


def _with_previous(records: Iterable[Any]) -> list[tuple[Any, Any]]:
    """Each historical record with the one before it of the same row (None for the first).

    The same pairs as simple-history's ``prev_record``, found in memory from one query:
    ``prev_record`` queries once per record, which on a long record was most of the page's
    queries.
    """
    rows: dict[Any, list[Any]] = {}
    for record in records:
        row = getattr(record, record.instance_type._meta.pk.attname)
        rows.setdefault(row, []).append(record)
    pairs: list[tuple[Any, Any]] = []
    for versions in rows.values():
        versions.sort(key=lambda record: (record.history_date, record.history_id))
        pairs += zip(versions, [None, *versions[:-1]], strict=True)
    return pairs


def _changes(records: Iterable[Any], title: str) -> list[TimelineEntry]:
    """Timeline entries for the changes ("~") in some historical records, field by field."""
    entries = []
    for record, previous in _with_previous(records):
        if record.history_type != "~" or previous is None:
            continue
        delta = record.diff_against(previous)
        details = tuple(
            (
                capfirst(str(record.instance_type._meta.get_field(change.field).verbose_name)),
                f"{_value(previous, change.field) or 'blank'} to "
                f"{_value(record, change.field) or 'blank'}",
            )
            for change in delta.changes
        )
        if details:
            entries.append(
                TimelineEntry(
                    on=timezone.localdate(record.history_date),
                    kind="change",
                    title=title,
                    details=details,
                    byline=str(record.history_user or ""),
                )
            )
    return entries


def change_history(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """Changes to the person's case records (django-simple-history) the viewer may read."""
    entries: list[TimelineEntry] = []
    if Category.IDENTITY in categories:
        entries += _changes(person.history.select_related("history_user"), "Identity changed")
    if Category.CASE_WORK in categories:
        history = CohortMembership.history.filter(person_id=person.pk)
        entries += _changes(history.select_related("history_user"), "Scheme membership changed")
    if Category.RISK in categories:
        history = RagReview.history.filter(person_id=person.pk)
        entries += _changes(history.select_related("history_user"), "RAG review changed")
    readable = [code for code in lists.pathways() if pathway_category(code) in categories]
    needs = PathwayNeed.history.filter(person_id=person.pk, pathway_id__in=readable)
    entries += _changes(needs.select_related("history_user"), "Pathway need changed")
    return entries


def _needs(needs: Iterable[PathwayNeed]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            on=need.assessed_on,
            kind="pathway-need",
            title=f"Need assessed: {need.pathway.label} ({need.get_level_display().lower()})",
            details=_details(("Status", need.get_status_display()), ("Plan", need.plan)),
            byline=str(need.assessed_by or ""),
        )
        for need in needs
    ]


def _disposals(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """Out of court disposals (``desist.disposals.timeline``; imported here, not at the top,
    because that module imports ``TimelineEntry`` from this one)."""
    from desist.disposals.timeline import timeline_entries

    return timeline_entries(person, categories)


def _restorative(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """Restorative justice cases (``desist.restorative.timeline``, imported as above)."""
    from desist.restorative.timeline import timeline_entries

    return timeline_entries(person, categories)


def _supervision(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """Orders, conditions, enforcement, appointments and home visits
    (``desist.supervision.timeline``, imported as above)."""
    from desist.supervision.timeline import entries

    return entries(person, categories)


def _referrals(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    """Referrals of vulnerable people (``desist.referrals.timeline``, imported as above)."""
    from desist.referrals.timeline import timeline_entries

    return timeline_entries(person, categories)


def timeline(
    person: Person,
    categories: Collection[Category],
    *,
    rag_reviews: Iterable[RagReview] | None = None,
    needs: Iterable[PathwayNeed] | None = None,
    memberships: Iterable[CohortMembership] | None = None,
) -> list[TimelineEntry]:
    """Every dated event the viewer may read, newest first.

    Interventions without any date are left out (they have no place on a timeline). The
    page passes the RAG reviews, readable pathway needs and memberships it has already
    fetched for its other parts, so that each is read once.
    """
    entries: list[TimelineEntry] = []
    if Category.OFFENDING in categories:
        entries += _offences(person) + _arrests(person) + _custody(person)
    if Category.RISK in categories:
        entries += _rag_reviews(rag_history(person) if rag_reviews is None else rag_reviews)
    entries += _interventions(person, categories)
    entries += _needs(pathway_needs(person, categories) if needs is None else needs)
    entries += change_history(person, categories)
    entries += _supervision(person, categories)
    entries += _disposals(person, categories) + _restorative(person, categories)
    entries += _referrals(person, categories)
    if Category.CASE_WORK in categories:
        entries += _memberships(all_memberships(person) if memberships is None else memberships)
        entries += _activity(person, categories)
    return sorted(entries, key=lambda entry: entry.on, reverse=True)
