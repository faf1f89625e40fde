"""Who may read cohort proposals and decide on them: plain functions over ``accounts.access``.

- **Read** the Proposals page: IOM coordinators, police offender managers and probation
  officers, the unit roles that read RISK (scores) and CASE WORK at unit scope (ROLES.md).
  Agency-scoped roles (youth justice, drug and alcohol, housing and employment) select no
  cohort; roles without case work get 403.
- **Decide** (adopt, override the score): IOM coordinators, the one role with RISK and CASE
  WORK "W" at unit scope.
- **People**: only those of ``desist.web.querysets.visible_people``, on the list and on every
  decision: people outside the user's scope never appear.
"""

from __future__ import annotations

from django.db.models import QuerySet

from desist.accounts.access import AnyUser, has_casework_access, role_of
from desist.accounts.roles import Role
from desist.people.models import Person
from desist.web.querysets import visible_people

READ_ROLES: frozenset[Role] = frozenset(
    {Role.IOM_COORDINATOR, Role.POLICE_OFFENDER_MANAGER, Role.PROBATION_OFFICER}
)
DECIDE_ROLES: frozenset[Role] = frozenset({Role.IOM_COORDINATOR})


def may_read_proposals(user: AnyUser) -> bool:
    """Whether the user may open the Proposals page (read only unless ``may_decide``)."""
    return has_casework_access(user) and role_of(user) in READ_ROLES


def may_decide(user: AnyUser) -> bool:
    """Whether the user may adopt proposals and override the score, with a reason."""
    return has_casework_access(user) and role_of(user) in DECIDE_ROLES


def proposal_people(user: AnyUser) -> QuerySet[Person]:
    """The people whose proposals the user may see: their scope, or nobody."""
    if not may_read_proposals(user):
        return Person.objects.none()
    return visible_people(user)
