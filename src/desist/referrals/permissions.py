"""Who may make, read and work on referrals, and keep the directory (docs/referrals.md).

- Officers (police offender managers, probation officers, youth justice workers, IOM
  coordinators) refer; they see the referrals they made, and coordinators those of their unit.
- Staff of the receiving agency (any case-work role) see the referrals sent to their agency,
  and triage, contact, signpost and record the outcome.
- The directory of services: every case-work role and the administrator read it; IOM
  coordinators and the administrator change it.
- Analysts, partnership managers and data protection officers see no referral (the report
  gives them the figures); the administrator only the directory.
- A nominal named in a referral is chosen from ``visible_people`` of the officer.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from desist.accounts.access import AnyUser, has_casework_access, is_active_user, role_of
from desist.accounts.roles import Role
from desist.referrals.models import Referral

REFERRER_ROLES: frozenset[Role] = frozenset(
    {
        Role.POLICE_OFFENDER_MANAGER,
        Role.PROBATION_OFFICER,
        Role.YOUTH_JUSTICE_WORKER,
        Role.IOM_COORDINATOR,
    }
)
DIRECTORY_EDITORS: frozenset[Role] = frozenset({Role.IOM_COORDINATOR, Role.ADMINISTRATOR})


def can_refer(user: AnyUser) -> bool:
    return has_casework_access(user) and role_of(user) in REFERRER_ROLES


def can_open_referrals(user: AnyUser) -> bool:
    """Whether the user may open the referrals pages at all (case-work roles)."""
    return has_casework_access(user)


def visible_referrals(user: AnyUser) -> QuerySet[Referral]:
    """Referrals the user made, those sent to their agency, and for a coordinator those of
    their unit (all, for a coordinator with no unit)."""
    if not has_casework_access(user):
        return Referral.objects.none()
    match = Q(referred_by_id=user.pk)
    agency_id = getattr(user, "agency_id", None)
    if agency_id is not None:
        match |= Q(receiving_agency_id=agency_id)
    if role_of(user) == Role.IOM_COORDINATOR:
        local_authority = getattr(user, "local_authority", "")
        if not local_authority:
            return Referral.objects.all()
        match |= Q(local_authority=local_authority)
    return Referral.objects.filter(match)


def receives(user: AnyUser, referral: Referral) -> bool:
    """Whether the user works for the referral's receiving agency (and so works on it)."""
    agency_id = getattr(user, "agency_id", None)
    return (
        has_casework_access(user)
        and agency_id is not None
        and referral.receiving_agency_id == agency_id
    )


def can_read_directory(user: AnyUser) -> bool:
    return has_casework_access(user) or (
        is_active_user(user) and role_of(user) == Role.ADMINISTRATOR
    )


def can_edit_directory(user: AnyUser) -> bool:
    return is_active_user(user) and role_of(user) in DIRECTORY_EDITORS
