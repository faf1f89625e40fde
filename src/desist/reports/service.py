"""Producing the report as a file: built from the case database, logged as a disclosure."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from desist.accounts.access import AnyUser
from desist.audit.models import AuditEvent, Verb
from desist.audit.service import record
from desist.dataset.frames import DataSet
from desist.reports.build import Report, build_report, render_html, render_pdf
from desist.reports.sections import ReportPeriod

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
OBJECT_TYPE = "reports.performance_report"


@dataclass(frozen=True)
class ReportFile:
    report: Report
    content: bytes
    content_type: str
    filename: str


def case_database() -> DataSet:
    """The case database as a data set on the embedded engine (DuckDB)."""
    from desist.dataset.database import read_database

    return read_database("duckdb")


def filename(period: ReportPeriod, file_format: str) -> str:
    return f"performance-report-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.{file_format}"


def produce(
    data: DataSet,
    period: ReportPeriod,
    file_format: str,
    *,
    source: str,
    providers: tuple[str, ...] | None = None,
) -> ReportFile:
    """The report for the period in the format (html or pdf)."""
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"unknown report format {file_format!r}: choose html or pdf")
    report = build_report(
        data,
        period,
        partnership=settings.PARTNERSHIP_NAME,
        source=source,
        providers=providers,
        now=lambda: timezone.localtime().replace(tzinfo=None),
    )
    html = render_html(report)
    content = render_pdf(html) if file_format == "pdf" else html.encode("utf-8")
    return ReportFile(report, content, CONTENT_TYPES[file_format], filename(period, file_format))


def log_disclosure(
    produced: ReportFile,
    file_format: str,
    *,
    user: AnyUser | None,
    request: HttpRequest | None,
    recipient: str,
    purpose: str,
    who: str = "",
) -> AuditEvent:
    """One audit event: an analytics disclosure (aggregate figures, no person), with its
    purpose and recipient (ROLES.md: exports are disclosures)."""
    period = produced.report.period
    by = f" by {who}" if who else ""
    return record(
        Verb.DISCLOSED,
        user=user,
        request=request,
        object_type=OBJECT_TYPE,
        object_id=f"{period.start.isoformat()}/{period.end.isoformat()}",
        detail=(
            f"Performance report {period.start} to {period.end}, data as of {period.as_of}, "
            f"{file_format.upper()}{by}; to {recipient}"
        ),
        reason=f"{purpose} (to {recipient})",
    )
