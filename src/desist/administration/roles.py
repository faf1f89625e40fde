"""What each role may see and do, for the roles page: read from ``desist.accounts.access``,
the one definition (docs/permissions.md), never written out again here."""

from __future__ import annotations

from dataclasses import dataclass

from desist.accounts.access import (
    ADMINISTRATION_ROLES,
    AUDIT_ROLES,
    OUTSIDE_SCOPE_ROLES,
    READ_MATRIX,
    SECOND_FACTOR_ROLES,
    WRITE_MATRIX,
    Category,
)
from desist.accounts.roles import Role

CATEGORY_LABELS: dict[Category, str] = {
    Category.IDENTITY: "Identity",
    Category.OFFENDING: "Offending",
    Category.RISK: "Risk",
    Category.CASE_WORK: "Case work",
    Category.HEALTH: "Health, substance use",
    Category.OTHER_PATHWAYS: "Other pathways",
}
NONE = "–"


@dataclass(frozen=True)
class RoleRow:
    """One role on the roles page: its cell for each data category, and what else it opens."""

    role: Role
    cells: tuple[str, ...]
    outside_scope: bool
    audit: bool
    administration: bool
    second_factor: bool


def cell(role: Role, category: Category) -> str:
    """A matrix cell as the docs write it: "R (unit)", "RW (agency)", or a dash."""
    read = READ_MATRIX.get(role, {}).get(category)
    if read is None:
        return NONE
    write = WRITE_MATRIX.get(role, {}).get(category)
    if write is None:
        return f"R ({read.value})"
    if write == read:
        return f"RW ({read.value})"
    return f"R ({read.value}), W ({write.value})"


def role_rows() -> list[RoleRow]:
    """Every role, in the order of ``Role``, with its cells."""
    return [
        RoleRow(
            role=role,
            cells=tuple(cell(role, category) for category in CATEGORY_LABELS),
            outside_scope=role in OUTSIDE_SCOPE_ROLES,
            audit=role in AUDIT_ROLES,
            administration=role in ADMINISTRATION_ROLES,
            second_factor=role in SECOND_FACTOR_ROLES,
        )
        for role in Role
    ]
