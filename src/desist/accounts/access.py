"""What a signed-in user may see and change: the rules of docs/permissions.md, as plain functions.

- **Case-work access** (the cohort list and nominal pages) is for the roles whose "case work"
  cell is not "-": offender managers, probation officers, youth justice, drug and alcohol,
  housing and employment workers, IOM coordinators. Analysts, partnership managers,
  administrators and data protection officers get 403.
- **Record scope**: which people's records a user may open is the scope of the role's
  identity cell: "unit" (people with a cohort membership in the user's local authority; a
  unit role with no local authority serves the whole deployment: "all") or "agency" (people
  with an open membership led by, or an intervention with, the user's agency). The queryset
  that applies it is ``desist.web.querysets.visible_people``, the one definition.
- **Outside scope**: only the roles in ``OUTSIDE_SCOPE_ROLES`` may open a record outside their
  scope, after giving a reason that goes into the audit log.
- **Data categories**: which parts of a record a role may read or change, from the matrix's
  cells. An "own" cell counts only for the person's offender manager.
- **Audit**: administrators and data protection officers may search and export the audit log.
- **Administration** (users, agencies, reference lists) is for administrators only, and holds
  no person records (ROLES.md).
- **Second factor**: administrators and data protection officers, whose pages reach every
  account or the whole audit log, may add a TOTP second factor to their sign-in.
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

#: The write cells ("W") of the default matrix in ROLES.md.
WRITE_MATRIX: dict[Role, dict[Category, Scope]] = {
    Role.POLICE_OFFENDER_MANAGER: {
        C.IDENTITY: S.UNIT,
        C.CASE_WORK: S.UNIT,
        C.OTHER_PATHWAYS: S.OWN,
    },
    Role.PROBATION_OFFICER: {
        C.IDENTITY: S.UNIT,
        C.CASE_WORK: S.UNIT,
        C.HEALTH: S.OWN,
        C.OTHER_PATHWAYS: S.OWN,
    },
    Role.YOUTH_JUSTICE_WORKER: {
        C.IDENTITY: S.AGENCY,
        C.CASE_WORK: S.AGENCY,
        C.HEALTH: S.OWN,
        C.OTHER_PATHWAYS: S.OWN,
    },
    Role.DRUG_ALCOHOL_WORKER: {C.CASE_WORK: S.AGENCY, C.HEALTH: S.AGENCY},
    Role.HOUSING_EMPLOYMENT_WORKER: {C.CASE_WORK: S.AGENCY, C.OTHER_PATHWAYS: S.AGENCY},
    Role.IOM_COORDINATOR: {C.IDENTITY: S.UNIT, C.RISK: S.UNIT, C.CASE_WORK: S.UNIT},
}

CASEWORK_ROLES: frozenset[Role] = frozenset(READ_MATRIX)
#: Roles that may open a record outside their scope, after giving a reason (a person moving
#: into the unit, a joint case with a neighbouring unit). Agency-scoped roles may not: they
#: see only what their agency's part of the work needs (data minimisation).
OUTSIDE_SCOPE_ROLES: frozenset[Role] = frozenset(
    {Role.POLICE_OFFENDER_MANAGER, Role.PROBATION_OFFICER, Role.IOM_COORDINATOR}
)
#: Roles that may search and export the audit log.
AUDIT_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER})
#: Roles that may open the administration pages (users, agencies, reference lists).
ADMINISTRATION_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR})
#: Roles that may set up a TOTP second factor: those whose pages reach every account or the
#: whole audit log.
SECOND_FACTOR_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER})
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


def is_active_user(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_read_audit(user: AnyUser) -> bool:
    """Whether the user may search and export the audit log."""
    return is_active_user(user) and role_of(user) in AUDIT_ROLES


def can_administer(user: AnyUser) -> bool:
    """Whether the user may open the administration pages."""
    return is_active_user(user) and role_of(user) in ADMINISTRATION_ROLES


def may_use_second_factor(user: AnyUser) -> bool:
    """Whether the user may set up (and then must use) a TOTP second factor."""
    return is_active_user(user) and role_of(user) in SECOND_FACTOR_ROLES


def record_scope(user: AnyUser) -> Scope | None:
    """The scope of the people whose records the user may open, or None for no access."""
    role = role_of(user)
    if not has_casework_access(user) or role is None:
        return None
    scope = READ_MATRIX[role][Category.IDENTITY]
    if scope == Scope.UNIT and not getattr(user, "local_authority", ""):
        return Scope.ALL
    return scope


def may_look_outside_scope(user: AnyUser) -> bool:
    """Whether the user may open a record outside their scope after giving a reason."""
    return has_casework_access(user) and role_of(user) in OUTSIDE_SCOPE_ROLES


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


def writable_categories(user: AnyUser, own_case: bool) -> frozenset[Category]:
    """The categories of a person's record the user may change (cells with "W")."""
    role = role_of(user)
    if not has_casework_access(user) or role is None:
        return frozenset()
    return frozenset(
        category for category, scope in WRITE_MATRIX[role].items() if scope != Scope.OWN or own_case
    )


def pathway_category(pathway: str) -> Category:
    """The category of a pathway need: health and drugs and alcohol are health data."""
    return Category.HEALTH if pathway in {"health", "drugs_alcohol"} else Category.OTHER_PATHWAYS


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
