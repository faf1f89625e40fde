"""The reference lists shown on the administration pages, read only.

Every list is national: a data file in ``desist/reference/data/`` is its one definition, and
the migrations copy it into its table (``desist.reference.load``). Changing a label there
would make the table disagree with the file and with everything that reads the file (the
importer, the measures), so the pages only show them; a change is an edit of the file and a
migration. The partnership's own list, its agencies, is edited on the agencies pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from desist.reference import lists
from desist.reference.models import (
    InterventionKind,
    OffenceGroup,
    Outcome,
    Pathway,
    Scheme,
    Sentence,
    UnitCost,
)

Rows = Callable[[], list[tuple[object, ...]]]


def _table(model: type[models.Model], fields: tuple[str, ...]) -> Rows:
    def rows() -> list[tuple[object, ...]]:
        return [tuple(row) for row in model._default_manager.values_list(*fields)]

    return rows


def _agency_kinds() -> list[tuple[object, ...]]:
    return [(kind.code, kind.label) for kind in lists.agency_kinds().values()]


@dataclass(frozen=True)
class ReferenceList:
    slug: str
    title: str
    file: str
    description: str
    columns: tuple[str, ...]
    rows: Rows

    @property
    def path(self) -> str:
        return f"src/desist/reference/data/{self.file}"


def _yes_no(value: object) -> object:
    return ("Yes" if value else "No") if isinstance(value, bool) else value


REFERENCE_LISTS: tuple[ReferenceList, ...] = (
    ReferenceList(
        "schemes",
        "Schemes",
        "schemes.csv",
        "The schemes a person can be managed under, with their default cohort type "
        "(fixed, flex or free: Neighbourhood Crime IOM Strategy, Home Office and MoJ, 2020).",
        ("Code", "Label", "Default cohort type", "Description"),
        _table(Scheme, ("code", "label", "default_cohort_type", "description")),
    ),
    ReferenceList(
        "offence-groups",
        "Offence groups",
        "offence_groups.csv",
        "Offence groups of the import format; neighbourhood crime marks the Fixed cohort, "
        "the OGRS3 category is the current-offence group of OGRS3.",
        ("Code", "Label", "Neighbourhood crime", "OGRS3 category"),
        _table(OffenceGroup, ("code", "label", "neighbourhood_crime", "ogrs3_category")),
    ),
    ReferenceList(
        "outcomes",
        "Outcomes",
        "outcomes.csv",
        "Case outcomes; sanctions are those the Police National Computer counts as such "
        "(proven reoffending, Ministry of Justice).",
        ("Code", "Label", "Sanction", "At court"),
        _table(Outcome, ("code", "label", "is_sanction", "is_court")),
    ),
    ReferenceList(
        "sentences",
        "Sentences",
        "sentences.csv",
        "Court sentences and the index-disposal band each falls into for proven reoffending.",
        ("Code", "Label", "Index disposal"),
        _table(Sentence, ("code", "label", "index_disposal")),
    ),
    ReferenceList(
        "pathways",
        "Resettlement pathways",
        "pathways.csv",
        "The seven resettlement pathways out of offending.",
        ("Code", "Label"),
        _table(Pathway, ("code", "label")),
    ),
    ReferenceList(
        "intervention-kinds",
        "Intervention kinds",
        "intervention_kinds.csv",
        "Kinds of intervention and the pathway each belongs to (none: a disposal condition).",
        ("Code", "Label", "Pathway"),
        _table(InterventionKind, ("code", "label", "pathway__label")),
    ),
    ReferenceList(
        "agency-kinds",
        "Agency kinds",
        "agency_kinds.csv",
        "The kinds of partner agency an agency can be.",
        ("Code", "Label"),
        _agency_kinds,
    ),
    ReferenceList(
        "unit-costs",
        "Unit costs of crime",
        "unit_costs.csv",
        "The cost of one crime of each offence group, with its price year and published "
        "source (Home Office Research Report 99).",
        ("Offence group", "Unit cost (£)", "Price year", "Source", "Note"),
        _table(UnitCost, ("offence_group__label", "unit_cost_gbp", "price_year", "source", "note")),
    ),
)
BY_SLUG: dict[str, ReferenceList] = {item.slug: item for item in REFERENCE_LISTS}


def display_rows(item: ReferenceList) -> list[tuple[object, ...]]:
    """The list's rows with flags as Yes or No and empty values as a dash."""
    return [
        tuple("–" if value in (None, "") else _yes_no(value) for value in row)
        for row in item.rows()
    ]
