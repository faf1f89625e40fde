"""Who may read and record out of court disposals: plain functions over accounts.access.

A disposal and its conditions are "offending" data (ROLES.md: "licence and order
conditions, breaches"), so they are read by the roles with an offending read cell, for the
people in their record scope (``visible_people``): police offender managers, probation
officers, youth justice, drug and alcohol workers and IOM coordinators. Housing and
employment workers (no offending cell) and the roles without case work get 403. Police
offender managers and IOM coordinators record disposals, their conditions and compliance,
for people in their scope only (never for a record opened outside scope with a reason).
"""

from __future__ import annotations

from django.db.models import QuerySet

from desist.accounts.access import READ_MATRIX, AnyUser, Category, has_casework_access, role_of
from desist.accounts.roles import Role
from desist.disposals.models import Condition, Disposal
from desist.people.models import Person
from desist.web.querysets import visible_people

WRITERS: frozenset[Role] = frozenset({Role.POLICE_OFFENDER_MANAGER, Role.IOM_COORDINATOR})


def reads_offending(user: AnyUser) -> bool:
    """Whether the user's role has an offending read cell (ROLES.md) with case-work access:
    the readers of out of court disposals and of restorative justice cases."""
    role = role_of(user)
    return (
        has_casework_access(user)
        and role is not None
        and Category.OFFENDING in READ_MATRIX.get(role, {})
    )


def can_read_disposals(user: AnyUser) -> bool:
    """Roles with an offending read cell may open the OOCD pages."""
    return reads_offending(user)


def can_record_disposals(user: AnyUser) -> bool:
    """Police offender managers and IOM coordinators record disposals."""
    return can_read_disposals(user) and role_of(user) in WRITERS


def visible_disposals(user: AnyUser) -> QuerySet[Disposal]:
    """Disposals of the people the user may see; none for roles without access."""
    if not can_read_disposals(user):
        return Disposal.objects.none()
    return Disposal.objects.filter(person__in=visible_people(user))


def visible_conditions(user: AnyUser) -> QuerySet[Condition]:
    return Condition.objects.filter(disposal__in=visible_disposals(user))


def may_record_for(user: AnyUser, person: Person) -> bool:
    """Whether the user may record a disposal for this person (writer, person in scope)."""
    return can_record_disposals(user) and visible_people(user).filter(pk=person.pk).exists()
