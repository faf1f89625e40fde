"""Searching and exporting the audit log, as plain functions."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from desist.audit.models import AuditEvent

CSV_COLUMNS = (
    "id",
    "at",
    "username",
    "verb",
    "person_id",
    "object_type",
    "object_id",
    "detail",
    "reason",
    "outside_scope",
    "ip_address",
)


@dataclass(frozen=True)
class AuditFilters:
    username: str = ""
    person_id: int | None = None
    verb: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def describe(self) -> str:
        """The filters in a few words, for the audit event of an export."""
        chosen = {key: value for key, value in asdict(self).items() if value not in ("", None)}
        return ", ".join(f"{key}={value}" for key, value in chosen.items()) or "everything"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search(filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events matching the filters, newest first (dates are whole local days)."""
    events = AuditEvent.objects.all()
    if filters.username:
        events = events.filter(username__iexact=filters.username)
    if filters.person_id is not None:
        events = events.filter(person_id=filters.person_id)
    if filters.verb:
        events = events.filter(verb=filters.verb)
    if filters.date_from:
        events = events.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return events.order_by("-at", "-pk")


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The events as CSV lines, header first (for a streaming response)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events:
        yield writer.writerow(
            [
                event.pk,
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                event.username,
                event.verb,
                event.person_id or "",
                event.object_type,
                event.object_id,
                safe_cell(event.detail),
                safe_cell(event.reason),
                "yes" if event.outside_scope else "no",
                event.ip_address or "",
            ]
        )


def safe_cell(value: str) -> str:
    """Defuse spreadsheet formulas (CSV injection) in free text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
