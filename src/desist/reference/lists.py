"""Reference lists: the one definition of each code list desist uses.

The lists live as CSV files in ``data/`` beside this module. Everything reads them from here:
the importer (to validate codes), the synthetic generator (to write them), the measures (which
outcomes are sanctions, which unit cost an offence group has) and the Django migrations (which
copy them into reference tables for the web application). No other module spells these codes
out. This module imports nothing from Django so that pure library code can use it.

Sources: codes follow ``shared/spec/import-format.md``; sanction outcomes, index disposals and
unit costs follow ``shared/reference/measures.md`` (sections 1 and 4).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _flag(value: str) -> bool:
    return value.strip().lower() == "true"


@dataclass(frozen=True)
class Code:
    """A code with its label, for lists that carry nothing else."""

    code: str
    label: str


@dataclass(frozen=True)
class OffenceGroup:
    """An offence group of the canonical format.

    ``neighbourhood_crime`` marks the Fixed cohort of the 2025 National IOM Operational
    Guidance; ``ogrs3_category`` is the OGRS3 current-offence group of measures.md section 5.
    """

    code: str
    label: str
    neighbourhood_crime: bool
    ogrs3_category: str


@dataclass(frozen=True)
class Outcome:
    """A case outcome. ``is_sanction`` follows the Police National Computer's sanctions."""

    code: str
    label: str
    is_sanction: bool
    is_court: bool


@dataclass(frozen=True)
class Sentence:
    """A court sentence and the index-disposal band it falls into for proven reoffending."""

    code: str
    label: str
    index_disposal: str


@dataclass(frozen=True)
class Scheme:
    code: str
    label: str
    default_cohort_type: str
    description: str


@dataclass(frozen=True)
class InterventionKind:
    code: str
    label: str
    pathway: str | None


@dataclass(frozen=True)
class UnitCost:
    """Unit cost of one crime of an offence group, with its price year and published source."""

    offence_group: str
    unit_cost_gbp: Decimal
    price_year: str
    source: str
    note: str


@cache
def offence_groups() -> dict[str, OffenceGroup]:
    return {
        row["code"]: OffenceGroup(
            code=row["code"],
            label=row["label"],
            neighbourhood_crime=_flag(row["neighbourhood_crime"]),
            ogrs3_category=row["ogrs3_category"],
        )
        for row in _rows("offence_groups")
    }


@cache
def outcomes() -> dict[str, Outcome]:
    return {
        row["code"]: Outcome(
            code=row["code"],
            label=row["label"],
            is_sanction=_flag(row["is_sanction"]),
            is_court=_flag(row["is_court"]),
        )
        for row in _rows("outcomes")
    }


@cache
def sentences() -> dict[str, Sentence]:
    return {
        row["code"]: Sentence(
            code=row["code"], label=row["label"], index_disposal=row["index_disposal"]
        )
        for row in _rows("sentences")
    }


@cache
def schemes() -> dict[str, Scheme]:
    return {
        row["code"]: Scheme(
            code=row["code"],
            label=row["label"],
            default_cohort_type=row["default_cohort_type"],
            description=row["description"],
        )
        for row in _rows("schemes")
    }


@cache
def pathways() -> dict[str, Code]:
    """The seven resettlement pathways out of offending."""
    return {row["code"]: Code(row["code"], row["label"]) for row in _rows("pathways")}


@cache
def intervention_kinds() -> dict[str, InterventionKind]:
    return {
        row["code"]: InterventionKind(
            code=row["code"], label=row["label"], pathway=row["pathway"] or None
        )
        for row in _rows("intervention_kinds")
    }


@cache
def agency_kinds() -> dict[str, Code]:
    return {row["code"]: Code(row["code"], row["label"]) for row in _rows("agency_kinds")}


@cache
def unit_costs() -> dict[str, UnitCost]:
    """Home Office unit costs of crime by offence group (measures.md section 4).

    Offence groups missing here have no published figure that desist holds: their offences
    are counted but not costed, and every cost figure reports the share of offences costed.
    """
    return {
        row["offence_group"]: UnitCost(
            offence_group=row["offence_group"],
            unit_cost_gbp=Decimal(row["unit_cost_gbp"]),
            price_year=row["price_year"],
            source=row["source"],
            note=row["note"],
        )
        for row in _rows("unit_costs")
    }


@cache
def sanction_outcomes() -> frozenset[str]:
    """Outcomes the Police National Computer records as sanctions (measures.md, Terms)."""
    return frozenset(code for code, outcome in outcomes().items() if outcome.is_sanction)


@cache
def neighbourhood_crime_groups() -> frozenset[str]:
    """Offence groups of the Fixed cohort (2025 National IOM Operational Guidance)."""
    return frozenset(code for code, group in offence_groups().items() if group.neighbourhood_crime)


def choices(
    codes: dict[str, Code] | dict[str, Scheme] | dict[str, InterventionKind],
) -> list[tuple[str, str]]:
    """(code, label) pairs for a Django ``choices`` argument or a form select."""
    return [(item.code, item.label) for item in codes.values()]
