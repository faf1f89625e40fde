"""The partnership's performance report: its tables gathered, laid out as HTML, printed as PDF.

``build_report`` computes the report's own sections with the measures (``figures``) and then
calls every provider of ``sections.SECTION_PROVIDERS`` in order. A provider that cannot be
imported, raises, or returns a malformed table does not stop the report: its section shows
what went wrong (and the command line prints it), so a scrutiny panel never receives a
report with a section silently missing. ``render_html`` gives one self-contained page (inline
CSS and SVG charts, no scripts, no external files); ``render_pdf`` prints it with WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desist.dataset.frames import DataSet
from desist.reports import figures
from desist.reports.charts import bar_chart, number
from desist.reports.sections import (
    SECTION_PROVIDERS,
    Cell,
    Provider,
    ReportPeriod,
    ReportTable,
    check_table,
)

TITLE = "Performance report"


@dataclass(frozen=True)
class Problem:
    """A provider whose section could not be produced, and why."""

    provider: str
    message: str


@dataclass(frozen=True)
class Section:
    title: str
    tables: tuple[ReportTable, ...]


@dataclass
class Report:
    """Everything the report shows, before it is laid out."""

    partnership: str
    period: ReportPeriod
    produced: dt.datetime
    source: str
    sections: list[Section] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def tables(self) -> list[ReportTable]:
        return [table for section in self.sections for table in section.tables]

    def table(self, title: str) -> ReportTable:
        """The table with this title (for tests and callers that read one figure)."""
        for table in self.tables:
            if table.title == title:
                return table
        raise KeyError(title)


def check_period(period: ReportPeriod) -> str | None:
    """What is wrong with a report period, or None: the days in order, the period starting
    by the as-of date (there are no data after it)."""
    if period.start > period.end:
        return f"the period starts {period.start} after it ends {period.end}"
    if period.start > period.as_of:
        return f"the period starts {period.start}, after the as-of date {period.as_of}"
    return None


def load_provider(path: str) -> Provider:
    module, _, name = path.rpartition(".")
    provider: Provider = getattr(importlib.import_module(module), name)
    return provider


def provider_tables(path: str, period: ReportPeriod) -> tuple[list[ReportTable], Problem | None]:
    """One provider's tables, or the problem that stopped them (nothing half shown)."""
    try:
        tables = list(load_provider(path)(period))
    except Exception as error:  # any failure of another domain is reported
        return [], Problem(path, f"{type(error).__name__}: {error}")
    for table in tables:
        if not isinstance(table, ReportTable):
            return [], Problem(path, f"it returned a {type(table).__name__}, not a ReportTable")
        problems = check_table(table)
        if problems:
            return [], Problem(path, f"table {table.title!r}: {'; '.join(problems)}")
    return tables, None


def group(tables: Sequence[ReportTable]) -> list[Section]:
    """Tables grouped by their section, sections in the order they first appear."""
    order: dict[str, list[ReportTable]] = {}
    for table in tables:
        order.setdefault(table.section, []).append(table)
    return [Section(title, tuple(found)) for title, found in order.items()]


def build_report(
    data: DataSet,
    period: ReportPeriod,
    *,
    partnership: str,
    source: str,
    providers: Sequence[str] | None = None,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> Report:
    """The report for ``period``: the measures' sections from ``data``, then each provider's
    (``SECTION_PROVIDERS`` unless ``providers`` names others)."""
    tables = figures.measure_tables(data, period)
    problems = []
    for path in SECTION_PROVIDERS if providers is None else providers:
        found, problem = provider_tables(path, period)
        tables.extend(found)
        if problem is not None:
            problems.append(problem)
    return Report(
        partnership=partnership,
        period=period,
        produced=now().replace(microsecond=0),
        source=source,
        sections=group(tables),
        problems=problems,
    )


# --- layout -----------------------------------------------------------------------------------


def cell_text(value: Cell) -> str:
    """How a cell prints: numbers with thousands separators, a dash for no figure."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return number(float(value))
    return value


def is_numeric(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (Django template, inline CSS and SVG)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    sections = []
    for number_, section in enumerate(report.sections, start=1):
        tables = []
        for table in section.tables:
            tables.append(
                {
                    "table": table,
                    "header": [
                        {"text": column, "numeric": index > 0}
                        for index, column in enumerate(table.columns)
                    ],
                    "rows": [
                        [
                            {"text": cell_text(cell), "numeric": is_numeric(cell) or cell is None}
                            for cell in row
                        ]
                        for row in table.rows
                    ],
                    "chart": mark_safe(bar_chart(table)),  # the SVG's text is escaped
                }
            )
        sections.append({"number": number_, "title": section.title, "tables": tables})
    return render_to_string(
        "reports/report.html", {"report": report, "sections": sections, "title": TITLE}
    )


def render_pdf(html: str) -> bytes:
    """The HTML report printed by WeasyPrint (A4, the print CSS of the template)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
