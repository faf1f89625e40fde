"""Who may read and record restorative justice cases and the facilitator register.

A case says that the person harmed a victim: it is offending data, read by the roles with
an offending read cell (police offender managers, probation officers, youth justice, drug
and alcohol workers, IOM coordinators) for the people in their scope (``visible_people``).
Police offender managers and IOM coordinators record referrals and move them through the
pipeline, for people in their scope only. The facilitator register lists staff, not people
under management: the same roles read it; IOM coordinators (who coordinate RJ in the unit)
keep it. A user sees the facilitators of their own local authority (and those added with
none); everyone else gets 403.
"""

from __future__ import annotations

from django.db.models import QuerySet

from desist.accounts.access import AnyUser, role_of
from desist.accounts.roles import Role
from desist.disposals.permissions import reads_offending
from desist.people.models import Person
from desist.restorative.models import Facilitator, RestorativeCase
from desist.web.querysets import visible_people

WRITERS: frozenset[Role] = frozenset({Role.POLICE_OFFENDER_MANAGER, Role.IOM_COORDINATOR})
REGISTER_KEEPERS: frozenset[Role] = frozenset({Role.IOM_COORDINATOR})


def can_read_restorative(user: AnyUser) -> bool:
    """The readers of out of court disposals: the roles with an offending read cell."""
    return reads_offending(user)


def can_record_restorative(user: AnyUser) -> bool:
    return can_read_restorative(user) and role_of(user) in WRITERS


def can_keep_register(user: AnyUser) -> bool:
    return can_read_restorative(user) and role_of(user) in REGISTER_KEEPERS


def visible_cases(user: AnyUser) -> QuerySet[RestorativeCase]:
    """Cases of the people the user may see; none for roles without access."""
    if not can_read_restorative(user):
        return RestorativeCase.objects.none()
    return RestorativeCase.objects.filter(person__in=visible_people(user))


def visible_facilitators(user: AnyUser) -> QuerySet[Facilitator]:
    """The active facilitators of the user's local authority and those added for the whole
    partnership (no local authority); every active one for users with no local authority.
    Staff of another unit are neither listed nor offered for a case."""
    if not can_read_restorative(user):
        return Facilitator.objects.none()
    facilitators = Facilitator.objects.filter(active=True)
    local_authority = getattr(user, "local_authority", "")
    if local_authority:
        facilitators = facilitators.filter(local_authority__in=[local_authority, ""])
    return facilitators


def may_record_for(user: AnyUser, person: Person) -> bool:
    return can_record_restorative(user) and visible_people(user).filter(pk=person.pk).exists()
