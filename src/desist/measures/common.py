"""Shared pieces of the measures: codes, date arithmetic, results and errors.

Everything here is written over Narwhals expressions, so it runs unchanged on Polars, DuckDB
and PySpark. The code lists come from ``desist.reference.lists`` (never re-spelled here); the
rules from ``shared/reference/measures.md``.

Two Narwhals-level formulations keep the engines in step:

- calendar months: ``dt.offset_by("12mo")`` clamps to the month's last day on every engine
  (measures.md, Terms). DuckDB and PySpark return a timestamp from it, so ``.dt.date()``
  brings it back to a date (dates stay dates);
- whole days between two dates: Narwhals has no date difference that works on all three
  engines (``dt.total_seconds`` of a date difference fails on DuckDB and PySpark), so
  :func:`day_number` computes the day number of a date (days since 1970-01-01) from its
  year and day of the year with integer arithmetic, which every engine supports.
"""

from __future__ import annotations

import calendar
import datetime as dt
import inspect
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import polars as pl

from desist.dataset.schema import CUSTODY_KINDS
from desist.reference import lists

Frame = nw.LazyFrame[Any]

# --- codes, all derived from the reference lists ---------------------------------------------

SANCTION_OUTCOMES: tuple[str, ...] = tuple(sorted(lists.sanction_outcomes()))
"""Outcomes the PNC records as sanctions (measures.md, Terms)."""

COURT_SANCTIONS: tuple[str, ...] = tuple(
    sorted(code for code, o in lists.outcomes().items() if o.is_sanction and o.is_court)
)
"""Sanctions given at court (a conviction)."""

CAUTION_OUTCOMES: tuple[str, ...] = tuple(
    sorted(code for code, o in lists.outcomes().items() if o.is_sanction and not o.is_court)
)
"""Cautions, conditional cautions, youth cautions and youth conditional cautions."""

CUSTODY_SENTENCES: tuple[str, ...] = tuple(
    sorted(code for code, s in lists.sentences().items() if s.index_disposal == "custody")
)
"""Sentences that are immediate custody (the index event is then the release)."""

CUSTODY = "custody"
CAUTION = "caution"
OTHER_COURT = "other_court"
INDEX_DISPOSALS: tuple[str, ...] = (
    CUSTODY,
    *sorted({s.index_disposal for s in lists.sentences().values()} - {CUSTODY}),
    CAUTION,
)
"""Index disposal bands: custody, community, other court disposal (from sentences.csv), caution."""

BREACH_OF_ORDER = "breach_of_order"

SENTENCE_CUSTODY, REMAND, RECALL = CUSTODY_KINDS  # custody.kind codes of the canonical format
PENDING = "pending"
COMMUNITY_RESOLUTION = "community_resolution"

for _code in (BREACH_OF_ORDER,):
    if _code not in lists.offence_groups():  # the code list is the definition
        raise RuntimeError(f"offence group {_code} missing from the reference list")
for _code in (PENDING, COMMUNITY_RESOLUTION):
    if _code not in lists.outcomes():
        raise RuntimeError(f"outcome {_code} missing from the reference list")

PREVIOUS_SANCTION_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1-2", 1, 2),
    ("3-6", 3, 6),
    ("7-10", 7, 10),
    ("11+", 11, None),
)
"""Bands of previous sanctions (local choice: the MoJ bulletin's previous-offence bands)."""

COST_SOURCE = next(iter(lists.unit_costs().values())).source if lists.unit_costs() else ""


# --- errors -----------------------------------------------------------------------------------


class MeasureError(ValueError):
    """Bad input to a measure (dates out of order, unknown code, empty cohort...).

    The command line prints the message, without a traceback, and exits non-zero.
    """


class ProvisionalError(MeasureError):
    """The follow-up of a period has not ended by the as-of date and only final figures
    were asked for."""


def check_period(start: dt.date, end: dt.date, as_of: dt.date | None = None) -> None:
    """Raise MeasureError unless start <= end (and start <= as_of when given)."""
    if start > end:
        raise MeasureError(f"dates out of order: the period starts {start} after it ends {end}")
    if as_of is not None and start > as_of:
        raise MeasureError(f"the period starts {start}, after the as-of date {as_of}")


def check_code(kind: str, value: str, codes: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``codes``, else raise MeasureError naming the choices."""
    allowed = list(codes)
    if value not in allowed:
        raise MeasureError(f"unknown {kind} {value!r}: choose one of {', '.join(allowed)}")
    return value


# --- dates ------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, clamped to the month's last day (as ``dt.offset_by``)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_after(expr: nw.Expr, months: int) -> nw.Expr:
    """The date ``months`` calendar months after (before, if negative) a date expression."""
    return expr.dt.offset_by(f"{months}mo").dt.date()


def days_after(expr: nw.Expr, days: int) -> nw.Expr:
    """The date ``days`` days after (before, if negative) a date expression."""
    return expr.dt.offset_by(f"{days}d").dt.date()


def day_number(expr: nw.Expr) -> nw.Expr:
    """Days since 1970-01-01 of a date expression, by integer arithmetic on every engine.

    Days before 1 January of year Y (proleptic Gregorian, from 0001-01-01) are
    365(Y-1) + (Y-1)//4 - (Y-1)//100 + (Y-1)//400; 1970-01-01 is day 719,162 of that count.
    """
    years = expr.dt.year().cast(nw.Int64) - 1
    return (
        365 * years
        + years // 4
        - years // 100
        + years // 400
        + expr.dt.ordinal_day().cast(nw.Int64)
        - 719163
    )


def to_day_number(day: dt.date) -> int:
    """Python twin of :func:`day_number`."""
    return (day - dt.date(1970, 1, 1)).days


def whole_years(born: nw.Expr, on: nw.Expr) -> nw.Expr:
    """Age in whole years on a date (a 29 February birthday counts from 1 March)."""
    birthday_not_reached = (on.dt.month() < born.dt.month()) | (
        (on.dt.month() == born.dt.month()) & (on.dt.day() < born.dt.day())
    )
    return (
        on.dt.year().cast(nw.Int64)
        - born.dt.year().cast(nw.Int64)
        - birthday_not_reached.cast(nw.Int64)
    )


def between(expr: nw.Expr, start: dt.date, end: dt.date) -> nw.Expr:
    """``start <= expr <= end`` for a date expression and two dates."""
    return (expr >= nw.lit(start)) & (expr <= nw.lit(end))


def count(expr: nw.Expr) -> nw.Expr:
    """Sum of a boolean expression as Int64 (PySpark cannot sum booleans; DuckDB sums to
    decimals)."""
    return expr.cast(nw.Int64).sum().cast(nw.Int64)


def unit_cost_expr(group: nw.Expr) -> nw.Expr:
    """Home Office unit cost (GBP) of an offence group, null for groups without one."""
    costs = lists.unit_costs()
    expr: Any = None
    for code, cost in costs.items():
        value = nw.lit(float(cost.unit_cost_gbp))
        expr = (
            nw.when(group == code).then(value)
            if expr is None
            else expr.when(group == code).then(value)
        )
    if expr is None:
        return nw.lit(None, dtype=nw.Float64)
    return expr.otherwise(nw.lit(None, dtype=nw.Float64)).cast(nw.Float64)


def band_expr(value: nw.Expr, bands: tuple[tuple[str, int, int | None], ...]) -> nw.Expr:
    """The label of the band an integer expression falls into."""
    expr: Any = None
    for label, low, high in bands:
        test = value >= low if high is None else (value >= low) & (value <= high)
        expr = (
            nw.when(test).then(nw.lit(label))
            if expr is None
            else expr.when(test).then(nw.lit(label))
        )
    return expr.otherwise(nw.lit("unknown"))


def collect(frame: Frame) -> pl.DataFrame:
    """Run a lazy query on its engine and bring the (small) answer back as Polars."""
    result: pl.DataFrame = frame.collect(backend="polars").to_native()
    return result


# --- definitions from docstrings --------------------------------------------------------------


def describe(function: Callable[..., Any]) -> tuple[str, str]:
    """The ``Definition:`` and ``Source:`` paragraphs of a measure's docstring.

    Each measure states its definition and source once, in its docstring; outputs quote it
    from there so the two cannot drift apart.
    """
    doc = inspect.cleandoc(function.__doc__ or "")
    found: dict[str, str] = {}
    for name in ("Definition", "Source"):
        match = re.search(rf"^{name}:\s*(.*?)(?:\n\s*\n|\Z)", doc, re.S | re.M)
        found[name] = " ".join(match.group(1).split()) if match else ""
    return found["Definition"], found["Source"]


# --- results ----------------------------------------------------------------------------------


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is zero."""
    return numerator / denominator if denominator else None


def percent_change(before: float, after: float) -> float | None:
    """(after - before) / before x 100, or None when before is zero."""
    return (after - before) / before * 100 if before else None


def clean(value: Any) -> Any:
    """A JSON-friendly scalar: dates as ISO strings, NaN as None."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@dataclass
class Result:
    """A measure's answer: headline figures, breakdowns, and where the definition comes from.

    ``to_dict`` gives the JSON shape (figures at the top level, each breakdown as a mapping
    of group to figures); ``rows`` the CSV shape (one row per group, with the definition and
    source on every row). Groups of the breakdowns named in ``lifted`` are also copied to
    the top level (``adult`` and ``juvenile`` for proven reoffending).
    """

    measure: str
    definition: str
    source: str
    meta: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    lifted: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "measure": self.measure,
            "definition": self.definition,
            "source": self.source,
        }
        out.update({key: _deep_clean(value) for key, value in self.meta.items()})
        out.update({key: _deep_clean(value) for key, value in self.figures.items()})
        for name in self.lifted:
            for group, figures in self.breakdowns.get(name, {}).items():
                out[group] = _deep_clean(figures)
        for name, groups in self.breakdowns.items():
            out[name] = _deep_clean(groups)
        for name, table in self.tables.items():
            out[name] = _deep_clean(table)
        out["notes"] = list(self.notes)
        return out

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows for CSV: section, group, figures..., definition, source."""
        rows: list[dict[str, Any]] = []
        scalar_meta = {
            key: clean(value)
            for key, value in self.meta.items()
            if not isinstance(value, dict | list)
        }
        scalar_figures = {
            key: clean(value)
            for key, value in self.figures.items()
            if not isinstance(value, dict | list)
        }
        rows.append({"section": "total", "group": "all", **scalar_figures})
        for name, groups in self.breakdowns.items():
            for group, figures in groups.items():
                rows.append(
                    {
                        "section": name,
                        "group": group,
                        **{
                            k: clean(v)
                            for k, v in figures.items()
                            if not isinstance(v, dict | list)
                        },
                    }
                )
        for name, table in self.tables.items():
            for row in table:
                rows.append({"section": name, **{k: clean(v) for k, v in row.items()}})
        for row in rows:
            row.update(scalar_meta)
            row["measure"] = self.measure
            row["definition"] = self.definition
            row["source"] = self.source
        return rows


def _deep_clean(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _deep_clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_deep_clean(v) for v in value]
    return clean(value)
