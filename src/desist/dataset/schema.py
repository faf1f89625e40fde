"""The canonical interchange format, in code.

This is ``shared/spec/import-format.md`` written once as data: which tables a data set has,
their columns, types, which are required and which codes each column accepts. The importer
validates against it, the synthetic generator writes it and the measures read it. Change it only
together with the spec, the generator and the docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from desist.reference import lists

SEXES = ("M", "F", "X", "U")
CUSTODY_KINDS = ("sentence", "remand", "recall")
ARREST_OUTCOMES = (
    "charged",
    "no_further_action",
    "out_of_court_disposal",
    "released_under_investigation",
    "bail",
    "other",
)
INTERVENTION_STATUSES = ("referred", "started", "completed", "failed", "withdrawn")
COHORT_TYPES = ("fixed", "flex", "free")
TIERS = ("1", "2", "3", "4")
RAGS = ("red", "amber", "green")
BOOLEANS = ("true", "false")


class ColumnType(StrEnum):
    STRING = "string"
    DATE = "date"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    CODE = "code"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    codes: tuple[str, ...] = ()

    def accepts(self, value: str) -> bool:
        """Whether a non-empty code value is one this column allows."""
        return not self.codes or value in self.codes


@dataclass(frozen=True)
class Table:
    """One table of a data set. ``key`` names the columns that identify a row."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required_table: bool = False
    references_people: bool = True
    column_index: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_index", {c.name: c for c in self.columns})

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _s(name: str, required: bool = False) -> Column:
    return Column(name, ColumnType.STRING, required)


def _d(name: str, required: bool = False) -> Column:
    return Column(name, ColumnType.DATE, required)


def _c(name: str, codes: tuple[str, ...], required: bool = False) -> Column:
    return Column(name, ColumnType.CODE, required, codes)


@cache
def tables() -> dict[str, Table]:
    """Every table of the format, in load order (people first: the others refer to it)."""
    offence_groups = tuple(lists.offence_groups())
    return {
        "people": Table(
            "people",
            (
                _s("person_id", True),
                _d("date_of_birth", True),
                _c("sex", SEXES, True),
                _s("ethnicity"),
                _s("local_authority"),
                _s("given_name"),
                _s("family_name"),
            ),
            key=("person_id",),
            required_table=True,
            references_people=False,
        ),
        "offences": Table(
            "offences",
            (
                _s("offence_id", True),
                _s("person_id", True),
                _d("offence_date", True),
                _c("offence_group", offence_groups, True),
                _s("offence_code"),
                Column("domestic_abuse", ColumnType.BOOLEAN),
                _c("outcome", tuple(lists.outcomes()), True),
                _d("outcome_date"),
                _c("sentence", tuple(lists.sentences())),
                Column("custody_days", ColumnType.INTEGER),
            ),
            key=("offence_id",),
            required_table=True,
        ),
        "custody": Table(
            "custody",
            (
                _s("person_id", True),
                _d("start_date", True),
                _d("release_date"),
                _c("kind", CUSTODY_KINDS, True),
                _d("licence_end_date"),
            ),
            key=("person_id", "start_date", "kind"),
        ),
        "arrests": Table(
            "arrests",
            (
                _s("arrest_id", True),
                _s("person_id", True),
                _d("arrest_date", True),
                _c("offence_group", offence_groups, True),
                _c("outcome", ARREST_OUTCOMES),
            ),
            key=("arrest_id",),
        ),
        "interventions": Table(
            "interventions",
            (
                _s("intervention_id", True),
                _s("person_id", True),
                _c("kind", tuple(lists.intervention_kinds()), True),
                _d("referral_date"),
                _d("start_date"),
                _d("end_date"),
                _c("status", INTERVENTION_STATUSES, True),
            ),
            key=("intervention_id",),
        ),
        "cohort_memberships": Table(
            "cohort_memberships",
            (
                _s("person_id", True),
                _c("scheme", tuple(lists.schemes()), True),
                _c("cohort_type", COHORT_TYPES),
                _d("start_date", True),
                _d("end_date"),
                _c("tier", TIERS),
                _s("local_authority"),
            ),
            key=("person_id", "scheme", "start_date"),
        ),
        "rag_reviews": Table(
            "rag_reviews",
            (
                _s("person_id", True),
                _d("review_date", True),
                _c("rag", RAGS, True),
            ),
            key=("person_id", "review_date"),
        ),
    }


TABLE_FILE_SUFFIXES = (".csv", ".parquet")
