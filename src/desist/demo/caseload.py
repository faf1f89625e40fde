"""Give the demo's imported memberships lead agencies and offender managers."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.cohorts.models import CohortMembership

# Schemes that police offender managers lead in the demo; probation leads the rest.
POLICE_LED_SCHEMES = frozenset({"ppo", "hccu", "gang", "local"})


def busiest_local_authority() -> str:
    """The local authority with the most open memberships: the demo users' unit."""
    row = (
        CohortMembership.objects.filter(end_date__isnull=True)
        .exclude(local_authority="")
        .values("local_authority")
        .annotate(n=Count("id"))
        .order_by("-n", "local_authority")
        .first()
    )
    return str(row["local_authority"]) if row else ""


@transaction.atomic
def assign_caseloads(local_authority: str) -> int:
    """Make the demo police officer and probation officer the managers of the open memberships
    in their unit, split by scheme, and set every open membership's lead agency.

    Returns the number of memberships given an offender manager.
    """
    police = User.objects.get(role=Role.POLICE_OFFENDER_MANAGER, username="police")
    probation = User.objects.get(role=Role.PROBATION_OFFICER, username="probation")
    police_agency = Agency.objects.get(user=police)
    probation_agency = Agency.objects.get(user=probation)
    open_memberships = CohortMembership.objects.filter(end_date__isnull=True)
    open_memberships.filter(scheme_id__in=POLICE_LED_SCHEMES).update(lead_agency=police_agency)
    open_memberships.exclude(scheme_id__in=POLICE_LED_SCHEMES).update(lead_agency=probation_agency)
    in_unit = open_memberships.filter(local_authority=local_authority)
    assigned = in_unit.filter(scheme_id__in=POLICE_LED_SCHEMES).update(offender_manager=police)
    assigned += in_unit.exclude(scheme_id__in=POLICE_LED_SCHEMES).update(offender_manager=probation)
    return assigned
