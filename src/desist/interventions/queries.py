"""The queries of the Interventions page: filters over ``permissions.visible_interventions``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from desist.interventions.models import Intervention


def filter_interventions(
    rows: QuerySet[Intervention],
    kinds: Sequence[str] = (),
    statuses: Sequence[str] = (),
    period_from: date | None = None,
    period_to: date | None = None,
) -> QuerySet[Intervention]:
    """Narrow to kinds, statuses and a period: an intervention is in the period when it was
    open at some time in it, from its referral (or start) to its end (open ones to today)."""
    if kinds:
        rows = rows.filter(kind_id__in=kinds)
    if statuses:
        rows = rows.filter(status__in=statuses)
    if period_to is not None:
        opened = Coalesce("referral_date", "start_date")
        rows = rows.alias(opened=opened).filter(opened__lte=period_to)
    if period_from is not None:
        rows = rows.filter(Q(end_date__isnull=True) | Q(end_date__gte=period_from))
    return rows
