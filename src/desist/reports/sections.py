"""The contract between the scrutiny report and the domains that contribute figures to it.

Each domain that has figures for the partnership's performance report (interventions and
their targets, out of court disposals, restorative justice, priorities, risks) writes one
function ``report_sections(period: ReportPeriod) -> list[ReportTable]`` in its own
``report.py`` and lists it in ``SECTION_PROVIDERS``. The report (``desist report`` and its
button) calls each provider in order and lays the tables out; a provider computes its figures
from the case database for the period and never formats the page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

Cell = str | int | float | None


@dataclass(frozen=True)
class ReportPeriod:
    """The period a report covers (both days included) and the as-of date of its data."""

    start: date
    end: date
    as_of: date


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: numbers stay numbers, so that the report can chart them.

    ``definition`` names what the figures mean and their source (every figure desist shows
    does); ``chart`` optionally names the column to draw as a bar chart against the first.
    """

    section: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    definition: str
    notes: tuple[str, ...] = field(default=())
    chart: str | None = None


Provider = Callable[[ReportPeriod], list[ReportTable]]

#: Dotted paths of the providers, in the order their sections appear in the report.
SECTION_PROVIDERS: tuple[str, ...] = (
    "desist.interventions.report.report_sections",
    "desist.disposals.report.report_sections",
    "desist.restorative.report.report_sections",
    "desist.partnership.report.report_sections",
    "desist.referrals.report.report_sections",
)


def check_table(table: ReportTable) -> list[str]:
    """What is wrong with a provider's table (the report shows a faulty table as a problem,
    not as figures): every row as long as the columns, cells of the Cell types, a chart
    column that exists, a definition."""
    problems = []
    if not table.columns:
        problems.append("it has no columns")
    if not table.definition.strip():
        problems.append("it names no definition")
    if table.chart is not None and table.chart not in table.columns:
        problems.append(f"its chart column {table.chart!r} is not one of its columns")
    for number, row in enumerate(table.rows, start=1):
        if len(row) != len(table.columns):
            problems.append(f"row {number} has {len(row)} cells for {len(table.columns)} columns")
        wrong = [cell for cell in row if not isinstance(cell, str | int | float | type(None))]
        if wrong:
            problems.append(f"row {number} holds a {type(wrong[0]).__name__}, not a number or text")
    return problems


def providers() -> list[Provider]:
    """The section providers, imported."""
    found: list[Provider] = []
    for path in SECTION_PROVIDERS:
        module, _, name = path.rpartition(".")
        found.append(getattr(importlib.import_module(module), name))
    return found
