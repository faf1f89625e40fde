"""Recording out of court disposals, their conditions and compliance; their figures.

Every change goes to the audit log through ``audit.service.record`` (and so to the person's
timeline); the disposal's outcome is always derived from its conditions by
``rules.disposal_outcome``, in the same transaction as the change that moves it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record
from desist.disposals import rules
from desist.disposals.models import Condition, Disposal, Kind, Outcome
from desist.measures.common import MeasureError, Result, add_months
from desist.offending.models import Offence
from desist.people.models import Person

#: The index outcomes shown in "reoffending by disposal type": the two conditional OOCDs and,
#: for comparison as in the West Midlands report (paragraph 47), simple cautions and
#: convictions.
MEASURED_DISPOSALS: tuple[str, ...] = (
    "community_resolution",
    "conditional_caution",
    "caution",
    "conviction",
)
#: Follow-up (12 months) plus waiting period (6 months) of proven reoffending.
FINAL_AFTER_MONTHS = 18


def offences_open_to_disposal(offences: QuerySet[Offence]) -> QuerySet[Offence]:
    """The offences a disposal may be recorded for (``rules.offence_problem``): pending or
    already given a community resolution or conditional caution in the police record, and
    without a disposal in desist yet."""
    return offences.filter(
        outcome_id__in=(rules.PENDING, *Kind.values), disposals__isnull=True
    ).select_related("offence_group", "outcome")


@transaction.atomic
def record_disposal(
    person: Person, user: AnyUser, request: HttpRequest | None, data: dict[str, Any]
) -> Disposal:
    """A new disposal for the person, open until its conditions are complied with."""
    disposal = Disposal.objects.create(
        person=person,
        offence=data["offence"],
        kind=data["kind"],
        disposal_date=data["disposal_date"],
        local_authority=getattr(user, "local_authority", ""),
        officer_id=user.pk,
        remedy=data.get("remedy", ""),
        victim_reference=data.get("victim_reference", ""),
        victim_view=data.get("victim_view", ""),
    )
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=person,
        obj=disposal,
        detail=f"{disposal} recorded",
    )
    return disposal


def _lock(disposal: Disposal) -> None:
    """Hold the disposal's row until the transaction ends, so that two changes to its
    conditions at once (two officers, two tabs) settle one after the other and the outcome
    is derived from every condition as saved (PostgreSQL; SQLite writes one at a time).
    Reloads the outcome it holds."""
    disposal.outcome, disposal.outcome_date = (
        Disposal.objects.select_for_update()
        .values_list("outcome", "outcome_date")
        .get(pk=disposal.pk)
    )


class ChangedMeanwhile(Exception):
    """The disposal was settled, or the condition's compliance recorded, since the page was
    opened (by someone else, or in another tab): the change is not made."""


def _settle(disposal: Disposal) -> Outcome:
    """Derive the disposal's outcome from its conditions and save it if it moved."""
    conditions = list(disposal.conditions.all())
    outcome = rules.disposal_outcome(disposal.kind, conditions)
    on = rules.outcome_date(disposal.kind, conditions)
    if (disposal.outcome, disposal.outcome_date) != (outcome, on):
        disposal.outcome, disposal.outcome_date = outcome, on
        disposal.save(update_fields=["outcome", "outcome_date", "modified_on"])
    return outcome


@transaction.atomic
def add_condition(
    disposal: Disposal, user: AnyUser, request: HttpRequest | None, data: dict[str, Any]
) -> Condition:
    _lock(disposal)
    if disposal.outcome != Outcome.OPEN:
        raise ChangedMeanwhile(f"{disposal} is no longer open")
    condition = Condition.objects.create(
        disposal=disposal,
        pathway=data["pathway"],
        description=data["description"],
        deadline=data["deadline"],
    )
    _settle(disposal)
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=disposal.person,
        obj=condition,
        detail=f"{disposal}: {condition} added",
    )
    return condition


@transaction.atomic
def record_compliance(
    condition: Condition,
    user: AnyUser,
    request: HttpRequest | None,
    compliance: str,
    on: dt.date,
) -> Outcome:
    """Record a condition's compliance; a breach of a conditional caution is charged."""
    disposal = condition.disposal
    _lock(disposal)
    if Condition.objects.filter(pk=condition.pk).exclude(compliance="").exists():
        raise ChangedMeanwhile(f"{condition}: compliance already recorded")
    condition.compliance, condition.compliance_date = compliance, on
    condition.save(update_fields=["compliance", "compliance_date", "modified_on"])
    before = disposal.outcome
    outcome = _settle(disposal)
    detail = f"{disposal}: {condition} {condition.get_compliance_display().lower()}"
    if outcome != before:
        detail += f"; outcome {Outcome(outcome).label.lower()}"
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=disposal.person,
        obj=condition,
        detail=detail,
    )
    return outcome


@dataclass(frozen=True)
class OverdueCondition:
    condition: Condition
    days_overdue: int


def overdue_conditions(disposals: QuerySet[Disposal], today: dt.date) -> list[OverdueCondition]:
    """Conditions past their deadline with nothing recorded, most overdue first."""
    conditions = (
        Condition.objects.filter(disposal__in=disposals, compliance="", deadline__lt=today)
        .select_related("disposal__person")
        .order_by("deadline", "pk")
    )
    return [
        OverdueCondition(c, (today - c.deadline).days)
        for c in conditions
        if rules.condition_overdue(c, today)
    ]


def outcome_counts(disposals: QuerySet[Disposal]) -> list[tuple[str, dict[str, int], int]]:
    """Disposals by kind and outcome: (kind label, {outcome label: count}, total) per kind."""
    counts = Counter(disposals.values_list("kind", "outcome"))
    rows = []
    for kind in Kind:
        by_outcome = {o.label: counts.get((kind.value, o.value), 0) for o in Outcome}
        rows.append((kind.label, by_outcome, sum(by_outcome.values())))
    return rows


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The latest twelve whole months whose follow-up and waiting period have ended by today.

    The cohort period ends on the last day of the month 18 months before ``today``, so that
    the figures are final (not provisional) by the proven reoffending rules.
    """
    month_start = add_months(today.replace(day=1), -FINAL_AFTER_MONTHS)
    end = month_start - dt.timedelta(days=1)
    start = add_months(end.replace(day=1), -11)
    return start, end


def reoffending_by_disposal_type(start: dt.date, end: dt.date, as_of: dt.date) -> Result | str:
    """Reoffending by disposal type on the case database (``measures.reoffending``), or a
    message saying why it cannot be computed."""
    from desist.dataset.database import CaseDatabaseError, read_database
    from desist.measures.reoffending import reoffending_by_disposal

    try:
        data = read_database("polars")
        return reoffending_by_disposal(data, start, end, as_of, MEASURED_DISPOSALS)
    except (MeasureError, CaseDatabaseError) as error:
        return str(error)


#: How long the OOCD page keeps a computed measure (the key also changes with every import).
MEASURE_CACHE_SECONDS = 3600


def page_reoffending_by_disposal_type(start: dt.date, end: dt.date, as_of: dt.date) -> Result | str:
    """``reoffending_by_disposal_type`` for the OOCD page, kept in the cache: the measure
    reads the whole case database (about 1 s and 240 MiB for 20,000 people, growing with
    the data), the same for every user, and its data change only by import. The key holds
    the period, the as-of day, the latest import and the latest offence, so that a new
    import or offence computes it afresh; an error is never kept. The scrutiny report calls
    the measure itself, uncached."""
    from django.core.cache import cache

    from desist.ingest.models import ImportRun

    last_import = ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_offence = Offence.objects.order_by("-pk").values_list("pk", flat=True).first()
    key = f"disposals:by-disposal:{start}:{end}:{as_of}:{last_import}:{last_offence}"
    result = cache.get(key)
    if result is None:
        result = reoffending_by_disposal_type(start, end, as_of)
        if not isinstance(result, str):
            cache.set(key, result, MEASURE_CACHE_SECONDS)
    return result


@dataclass(frozen=True)
class MeasureRow:
    """One disposal's proven reoffending figures, for tables."""

    disposal: str
    label: str
    cohort: int
    reoffenders: int
    rate: float | None
    frequency: float | None

    @property
    def rate_percent(self) -> str:
        return "no cohort" if self.rate is None else f"{self.rate * 100:.1f}%"

    @property
    def frequency_text(self) -> str:
        return "" if self.frequency is None else f"{self.frequency:.2f}"


def measure_rows(result: Result) -> list[MeasureRow]:
    """The by-disposal breakdown of the measure as rows, in ``MEASURED_DISPOSALS`` order."""
    from desist.reference import lists

    groups = result.breakdowns.get("by_disposal", {})
    labels = {code: outcome.label for code, outcome in lists.outcomes().items()}
    return [
        MeasureRow(
            disposal=code,
            label=labels.get(code, code),
            cohort=int(groups[code]["cohort"]),
            reoffenders=int(groups[code]["reoffenders"]),
            rate=groups[code]["rate"],
            frequency=groups[code]["frequency"],
        )
        for code in MEASURED_DISPOSALS
        if code in groups
    ]
