"""Bar charts of a report table, drawn as accessible inline SVG.

The architecture names Vega-Altair for charts. Altair builds a Vega-Lite specification; turning
it into SVG needs either a browser running Vega's JavaScript or ``vl-convert-python``, and
neither is available offline here (vl-convert is not in the locked environment, and the report
must be self-contained, so no script from a CDN). The report's charts are simple horizontal
bars of one column, so they are drawn here from the table's own numbers: the same numbers the
table beside them prints, in an ``<svg role="img">`` with a title and a text description, so
a screen reader gets the figures and WeasyPrint draws them in the PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from desist.reports.sections import Cell, ReportTable

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 270  # room for LABEL_CHARACTERS of a 12px sans-serif font
LABEL_CHARACTERS = 36
PLOT_WIDTH = 290
VALUE_WIDTH = 80
FONT = 12
BAR_COLOUR = "#1d70b8"  # GOV.UK blue; a negative value is a bar left of the zero line
AXIS_COLOUR = "#0b0c0c"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def bars(table: ReportTable) -> list[Bar]:
    """The (label, value) pairs of the table's chart column: the first column's text
    against the chart column's numbers; rows whose value is not a number are left out."""
    if table.chart is None or table.chart not in table.columns:
        return []
    index = table.columns.index(table.chart)
    found = []
    for row in table.rows:
        value: Cell = row[index] if index < len(row) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        found.append(Bar(str(row[0]) if row else "", float(value)))
    return found


def scale(values: list[float], width: float) -> tuple[float, float]:
    """Where zero sits and how many pixels one unit is, so that every bar fits in ``width``.

    The axis always includes zero: bars start at zero and go right for positive values and
    left for negative ones.
    """
    low = min([0.0, *values])
    high = max([0.0, *values])
    span = high - low
    unit = width / span if span else 0.0
    if not math.isfinite(unit):  # values so close to zero that they cannot be drawn apart
        return 0.0, 0.0
    return width * -low / span if span else 0.0, unit


def number(value: float) -> str:
    """A value as the table prints it: thousands separated, no trailing zeros."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def shorten(label: str) -> str:
    """A label cut to fit the label column, with an ellipsis (the table has it in full)."""
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(table: ReportTable) -> str:
    """The table's chart as SVG markup, or an empty string when it has nothing to draw."""
    found = bars(table)
    if not found:
        return ""
    zero, unit = scale([bar.value for bar in found], PLOT_WIDTH)
    height = len(found) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    title = f"{table.chart} by {table.columns[0] or 'row'}: {table.title}"
    description = "; ".join(f"{bar.label}: {number(bar.value)}" for bar in found)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="{FONT}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]
    for position, bar in enumerate(found):
        top = GAP + position * (BAR_HEIGHT + GAP)
        middle = top + BAR_HEIGHT / 2 + FONT / 3
        length = abs(bar.value) * unit
        left = LABEL_WIDTH + (zero if bar.value >= 0 else zero - length)
        label = shorten(bar.label)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{middle:.1f}" text-anchor="end">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{left:.1f}" y="{top}" width="{max(length, 0.5):.1f}" '
            f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + PLOT_WIDTH + 6}" y="{middle:.1f}">'
            f"{escape(number(bar.value))}</text>"
        )
    axis = LABEL_WIDTH + zero
    parts.append(
        f'<line x1="{axis:.1f}" y1="0" x2="{axis:.1f}" y2="{height}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
