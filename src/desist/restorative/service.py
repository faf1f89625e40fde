"""Recording restorative justice cases and facilitators; the pipeline, satisfaction and
facilitator figures for a period.

Every change of a case goes to the audit log through ``audit.service.record`` (and so to the
person's timeline); the rules that decide whether a change may happen are in ``rules``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.service import save_and_record
from desist.restorative import rules
from desist.restorative.models import (
    ClosedReason,
    Facilitator,
    FacilitatorKind,
    RestorativeCase,
    Source,
    Stage,
)


class ChangedMeanwhile(Exception):
    """The case moved on or was closed since the page was opened: the change is not made."""


@transaction.atomic
def create_case(
    user: AnyUser, request: HttpRequest | None, data: dict[str, Any]
) -> RestorativeCase:
    """A Victim Support notification starts at "notified"; an officer's referral at
    "referred", counted as notified the same day (``rules``)."""
    on: dt.date = data["received_on"]
    officer = data["source"] == Source.OFFICER
    case = RestorativeCase.objects.create(
        person=data["person"],
        victim_reference=data["victim_reference"],
        source=data["source"],
        level=data["level"],
        local_authority=getattr(user, "local_authority", ""),
        recorded_by_id=user.pk,
        stage=Stage.REFERRED if officer else Stage.NOTIFIED,
        notified_on=on,
        referred_on=on if officer else None,
    )
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=case.person,
        obj=case,
        detail=f"{case} opened: {case.get_source_display().lower()}",
    )
    return case


@transaction.atomic
def advance(
    case: RestorativeCase,
    user: AnyUser,
    request: HttpRequest | None,
    stage: str,
    on: dt.date,
    facilitator: Facilitator | None,
) -> RestorativeCase:
    """Move the case to its next stage (checked by the form with ``rules``). The case's row is
    held first: a case moved or closed meanwhile (another tab, another officer) is refused."""
    held = (
        RestorativeCase.objects.select_for_update()
        .values_list("stage", "closed_on")
        .get(pk=case.pk)
    )
    if held != (case.stage, case.closed_on):
        raise ChangedMeanwhile(f"{case} was moved or closed meanwhile")
    target = Stage(stage)
    setattr(case, rules.STAGE_FIELDS[target], on)
    case.stage = target
    if facilitator is not None:
        case.facilitator = facilitator
    detail = f"{case}: {target.label.lower()} on {on:%d/%m/%Y}"
    return save_and_record(case, user, request, detail, person=case.person)


@transaction.atomic
def record_outcome(
    case: RestorativeCase, user: AnyUser, request: HttpRequest | None
) -> RestorativeCase:
    """Save the outcomes agreed and the victim's satisfaction (the form has set them)."""
    detail = f"{case}: outcomes agreed recorded"
    return save_and_record(case, user, request, detail, person=case.person)


@transaction.atomic
def close(
    case: RestorativeCase, user: AnyUser, request: HttpRequest | None, reason: str, on: dt.date
) -> RestorativeCase:
    case.closed_on, case.closed_reason = on, reason
    detail = f"{case} closed: {ClosedReason(reason).label.lower()}"
    return save_and_record(case, user, request, detail, person=case.person)


@transaction.atomic
def add_facilitator(
    user: AnyUser, request: HttpRequest | None, facilitator: Facilitator
) -> Facilitator:
    facilitator.local_authority = getattr(user, "local_authority", "")
    return save_and_record(facilitator, user, request, f"Facilitator added: {facilitator}")


def stage_dates(cases: QuerySet[RestorativeCase]) -> list[rules.StageDates]:
    fields = [rules.STAGE_FIELDS[stage] for stage in rules.STAGES]
    return [rules.StageDates(tuple(row)) for row in cases.values_list(*fields)]


def pipeline(cases: QuerySet[RestorativeCase], start: dt.date, end: dt.date) -> dict[Stage, int]:
    """Pipeline counts of the cases notified in [start, end] (``rules.pipeline_counts``)."""
    in_period = cases.filter(notified_on__gte=start, notified_on__lte=end)
    return rules.pipeline_counts(stage_dates(in_period), start, end)


def notified_by_source(
    cases: QuerySet[RestorativeCase], start: dt.date, end: dt.date
) -> dict[str, int]:
    in_period = cases.filter(notified_on__gte=start, notified_on__lte=end)
    return {source.label: in_period.filter(source=source).count() for source in Source}


def satisfaction(
    cases: QuerySet[RestorativeCase], start: dt.date, end: dt.date
) -> rules.SatisfactionSummary:
    """Satisfaction of the victims whose conference was held in [start, end]."""
    held = cases.filter(conference_held_on__gte=start, conference_held_on__lte=end)
    return rules.satisfaction_summary(held.values_list("satisfaction", flat=True))


@dataclass(frozen=True)
class FacilitatorRow:
    kind: str
    trained: int
    level_two: int


def facilitators_table(facilitators: QuerySet[Facilitator], as_of: dt.date) -> list[FacilitatorRow]:
    """Active facilitators trained by ``as_of``, by role: Level 1 or above, of whom Level 2."""
    rows = facilitators.filter(active=True, trained_on__lte=as_of).values_list("kind", "level")
    labels = dict(FacilitatorKind.choices)
    return [
        FacilitatorRow(labels.get(kind, kind), trained, level_two)
        for kind, (trained, level_two) in rules.facilitators_by_level(rows).items()
    ]


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve months up to today."""
    from desist.measures.common import add_months

    return add_months(today, -12) + dt.timedelta(days=1), today
