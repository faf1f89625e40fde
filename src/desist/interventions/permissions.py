"""Who may see and record requirements, programmes and targets: plain functions over
``desist.accounts.access`` (the matrix of ROLES.md and docs/permissions.md).

- **Interventions** are part of a person's record: the case-work roles see those of the
  people in their scope (``visible_people``), and of those only the kinds whose data
  category they may read (``access.intervention_category``): drug, alcohol and mental
  health treatment are health data; victim awareness and employment programmes are "other
  pathways". An "own" cell counts only for people the user manages.
- **Recording** a referral and its later steps needs the category's "W" cell for the person
  (``web.casework.writable``), and the person in scope.
- **Targets** are aggregate figures (the "analytics" column): read by the roles with
  analytics R, for their own unit when they have one, else for every unit; set by IOM
  coordinators, for their own unit.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from desist.accounts.access import (
    READ_MATRIX,
    AnyUser,
    Category,
    Scope,
    has_casework_access,
    intervention_category,
    is_active_user,
    role_of,
)
from desist.accounts.roles import Role
from desist.cohorts.models import CohortMembership
from desist.interventions.lifecycle import PROGRAMME_KINDS
from desist.interventions.models import Intervention
from desist.people.models import Person
from desist.reference import lists
from desist.web import casework
from desist.web.querysets import visible_people

#: Roles with "R" in the analytics column of ROLES.md: they read the targets table.
ANALYTICS_ROLES: frozenset[Role] = frozenset(
    {
        Role.POLICE_OFFENDER_MANAGER,
        Role.PROBATION_OFFICER,
        Role.YOUTH_JUSTICE_WORKER,
        Role.IOM_COORDINATOR,
        Role.ANALYST,
        Role.PARTNERSHIP_MANAGER,
    }
)
#: Roles that set the targets of their unit.
TARGET_SETTERS: frozenset[Role] = frozenset({Role.IOM_COORDINATOR})


def kind_category(kind: str) -> Category:
    """The data category of an intervention kind, from its resettlement pathway."""
    found = lists.intervention_kinds().get(kind)
    return intervention_category(found.pathway if found else None)


def kinds_by_category() -> dict[Category, list[str]]:
    """The programme kinds grouped by their data category."""
    grouped: dict[Category, list[str]] = {}
    for kind in PROGRAMME_KINDS:
        grouped.setdefault(kind_category(kind), []).append(kind)
    return grouped


def visible_interventions(user: AnyUser) -> QuerySet[Intervention]:
    """The requirements and programmes the user may list and open (every list and object
    check goes through this): people in scope, kinds whose category the role reads, and for
    an "own" cell only the people the user manages."""
    role = role_of(user)
    if not has_casework_access(user) or role is None:
        return Intervention.objects.none()
    cells = READ_MATRIX[role]
    allowed = Q(pk__in=[])
    for category, kinds in kinds_by_category().items():
        scope = cells.get(category)
        if scope is None:
            continue
        match = Q(kind_id__in=kinds)
        if scope == Scope.OWN:
            own = CohortMembership.objects.filter(
                person=OuterRef("person_id"), end_date__isnull=True, offender_manager_id=user.pk
            )
            match &= Q(Exists(own))
        allowed |= match
    people = visible_people(user).filter(pk=OuterRef("person_id"))
    return Intervention.objects.filter(allowed, Exists(people))


def recordable_kinds(user: AnyUser, person: Person) -> list[tuple[str, str]]:
    """The programme kinds (code, label) the user may record for this person."""
    writable = casework.writable(user, person)
    kinds = lists.intervention_kinds()
    return [
        (code, kinds[code].label) for code in PROGRAMME_KINDS if kind_category(code) in writable
    ]


def may_record(user: AnyUser, person: Person, kind: str) -> bool:
    """Whether the user may record steps of an intervention of ``kind`` for the person."""
    return kind_category(kind) in casework.writable(user, person)


def may_read_targets(user: AnyUser) -> bool:
    return is_active_user(user) and role_of(user) in ANALYTICS_ROLES


def may_set_targets(user: AnyUser) -> bool:
    return is_active_user(user) and role_of(user) in TARGET_SETTERS


def target_unit(user: AnyUser) -> str | None:
    """The one local authority whose targets the user sees and sets, or None for all."""
    return getattr(user, "local_authority", "") or None
