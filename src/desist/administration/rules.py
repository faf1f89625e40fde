"""Rules of the administration pages, as plain functions (each has a unit test).

- An administrator may not deactivate their own account or take the administrator role from
  it: the partnership would be left with nobody to undo it.
- Nor reset their own password or remove their own second factor here: their own pages ask
  for the current password, or a code from the app, which a session left open or taken over
  does not have.
- An agency with active users may not be deactivated: its users would keep an agency that
  takes no new work. Deactivate or move them first.
- A user of a unit role (police offender manager, probation officer, IOM coordinator) sees
  the people of one local offender management unit: the administrator chooses its local
  authority, or "every local authority" on purpose for a force-wide post. Leaving the field
  alone must not give the widest scope (data minimisation, Data Protection Act 2018 s. 37).
- An account is locked when its failed sign-ins (wrong passwords and wrong security codes)
  within django-axes' cool-off period reach the failure limit (settings ``AXES_*``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from desist.accounts.access import UNIT_ROLES
from desist.accounts.roles import Role

#: The local authority choice that means none: the whole deployment (stored as "").
EVERY_AREA = "all"


def own_account_problem(
    actor_pk: int | None, target_pk: int | None, role: str, active: bool
) -> str | None:
    """Why an administrator may not make this change to an account, or None if they may."""
    if actor_pk is None or actor_pk != target_pk:
        return None
    if not active:
        return "You cannot deactivate your own account"
    if role != Role.ADMINISTRATOR:
        return "You cannot take the administrator role from your own account"
    return None


OWN_SIGN_IN_PAGES = {
    "password": "Change your own password on the Change password page",
    "second_factor": "Remove your own second factor on the Second factor page",
}


def own_sign_in_problem(actor_pk: int | None, target_pk: int | None, what: str) -> str | None:
    """Why an administrator may not reset this sign-in ("password" or "second_factor") on
    the administration pages, or None if they may: not their own."""
    if actor_pk is None or actor_pk != target_pk:
        return None
    return OWN_SIGN_IN_PAGES[what]


def local_authority_problem(role: str, local_authority: str) -> str | None:
    """Why a user of this role cannot be left without a local authority, or None."""
    if role in UNIT_ROLES and not local_authority:
        return "Choose the local authority of the user's unit, or every local authority"
    return None


def agency_deactivation_problem(active_users: int) -> str | None:
    """Why an agency may not be deactivated now, or None if it may."""
    if active_users:
        noun = "user" if active_users == 1 else "users"
        return f"This agency has {active_users} active {noun}: deactivate or move them first"
    return None


def is_locked_out(
    failures: int, last_failure: datetime | None, now: datetime, limit: int, cool_off: timedelta
) -> bool:
    """Whether failed sign-ins lock an account now (django-axes' rule, for showing it)."""
    return last_failure is not None and failures >= limit and now - last_failure < cool_off
