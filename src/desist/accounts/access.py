"""What a signed-in user may see: the first rules of shared/design/ROLES.md, as plain functions.

This is a foundation, not the full permission matrix:

- **Case-work access** (the cohort list and nominal pages) is for the roles whose "case work"
  cell is not "-": offender managers, probation officers, youth justice, drug and alcohol,
  housing and employment workers, IOM coordinators. Analysts, partnership managers,
  administrators and data protection officers get 403.
- **Unit bound**: police offender managers, probation officers and IOM coordinators have unit
  scope, so a user of those roles with a ``local_authority`` sees only people whose cohort
  membership is in that local authority. Agency and own-caseload scopes, and looking outside
  one's scope with a reason, come with the permissions issue.
- **Data categories**: which parts of a record a role may read, from the matrix's read cells.
  An "own" cell counts only for the person's offender manager.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from desist.accounts.roles import Role


class Category(StrEnum):
    """The data categories of ROLES.md that a person's record is made of."""

    IDENTITY = "identity"
    OFFENDING = "offending"
    RISK = "risk"
    CASE_WORK = "case_work"
    HEALTH = "health"
    OTHER_PATHWAYS = "other_pathways"


class Scope(StrEnum):
    ALL = "all"
    UNIT = "unit"
    AGENCY = "agency"
    OWN = "own"


C = Category
S = Scope

#: The read cells of the default matrix in ROLES.md for the case-work roles.
READ_MATRIX: dict[Role, dict[Category, Scope]] = {
    Role.POLICE_OFFENDER_MANAGER: {
        C.IDENTITY: S.UNIT,
        C.OFFENDING: S.UNIT,
        C.RISK: S.UNIT,
        C.CASE_WORK: S.UNIT,
        C.HEALTH: S.OWN,
        C.OTHER_PATHWAYS: S.OWN,
    },
    Role.PROBATION_OFFICER: {
        C.IDENTITY: S.UNIT,
        C.OFFENDING: S.UNIT,
        C.RISK: S.UNIT,
        C.CASE_WORK: S.UNIT,
        C.HEALTH: S.OWN,
        C.OTHER_PATHWAYS: S.OWN,
    },
    Role.YOUTH_JUSTICE_WORKER: {
        C.IDENTITY: S.AGENCY,
        C.OFFENDING: S.AGENCY,
        C.RISK: S.AGENCY,
        C.CASE_WORK: S.AGENCY,
        C.HEALTH: S.OWN,
        C.OTHER_PATHWAYS: S.OWN,
    },
    Role.DRUG_ALCOHOL_WORKER: {
        C.IDENTITY: S.AGENCY,
        C.OFFENDING: S.AGENCY,
        C.RISK: S.AGENCY,
        C.CASE_WORK: S.AGENCY,
        C.HEALTH: S.AGENCY,
        C.OTHER_PATHWAYS: S.AGENCY,
    },
    Role.HOUSING_EMPLOYMENT_WORKER: {
        C.IDENTITY: S.AGENCY,
        C.RISK: S.AGENCY,  # RAG only: the nominal page shows no other risk data yet
        C.CASE_WORK: S.AGENCY,
        C.OTHER_PATHWAYS: S.AGENCY,
    },
    Role.IOM_COORDINATOR: {
        C.IDENTITY: S.UNIT,
        C.OFFENDING: S.UNIT,
        C.RISK: S.UNIT,
        C.CASE_WORK: S.UNIT,
        C.HEALTH: S.UNIT,
        C.OTHER_PATHWAYS: S.UNIT,
    },
}

CASEWORK_ROLES: frozenset[Role] = frozenset(READ_MATRIX)
UNIT_ROLES: frozenset[Role] = frozenset(
    role for role, cells in READ_MATRIX.items() if cells[C.CASE_WORK] == S.UNIT
)

AnyUser = AbstractBaseUser | AnonymousUser


def role_of(user: AnyUser) -> Role | None:
    """The user's role, or None for anonymous users and users without a (known) role."""
    value = getattr(user, "role", "")
    return Role(value) if value in Role.values else None


def has_casework_access(user: AnyUser) -> bool:
    """Whether the user may open the cohort list and nominal pages at all."""
    return bool(user.is_authenticated and user.is_active and role_of(user) in CASEWORK_ROLES)


def unit_local_authority(user: AnyUser) -> str | None:
    """The local authority that bounds what a unit-scoped user sees, or None if unbounded."""
    if role_of(user) in UNIT_ROLES:
        return getattr(user, "local_authority", "") or None
    return None


def readable_categories(user: AnyUser, own_case: bool) -> frozenset[Category]:
    """The categories of a person's record the user may read.

    ``own_case`` is whether the user is the person's offender manager; cells with "own" scope
    count only then.
    """
    role = role_of(user)
    if not has_casework_access(user) or role is None:
        return frozenset()
    return frozenset(
        category for category, scope in READ_MATRIX[role].items() if scope != Scope.OWN or own_case
    )


def intervention_category(pathway: str | None) -> Category:
    """The category an intervention belongs to, from the resettlement pathway of its kind.

    Health and drugs-and-alcohol interventions are health data. Kinds with no pathway are
    disposal conditions (conditional cautions, community resolutions) or "other": they count
    as offending, the stricter choice.
    """
    if pathway in {"health", "drugs_alcohol"}:
        return Category.HEALTH
    if pathway:
        return Category.OTHER_PATHWAYS
    return Category.OFFENDING
