"""Demo agencies and sign-ins, one per role of ROLES.md, for `desist demo` and browser tests.

The passwords are public (printed by the demo): never create these users in a real deployment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    agency_kind: str
    unit_bound: bool  # works in one local offender management unit

    @property
    def password(self) -> str:
        return f"demo-{self.username}"


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("police", "Pat Constable", Role.POLICE_OFFENDER_MANAGER, "police", True),
    DemoUser("probation", "Sam Probation", Role.PROBATION_OFFICER, "probation", True),
    DemoUser("coordinator", "Alex Chair", Role.IOM_COORDINATOR, "council", True),
    DemoUser("youth", "Jo Youth", Role.YOUTH_JUSTICE_WORKER, "youth_justice", True),
    DemoUser("recovery", "Chris Recovery", Role.DRUG_ALCOHOL_WORKER, "drug_alcohol_service", True),
    DemoUser("housing", "Robin Housing", Role.HOUSING_EMPLOYMENT_WORKER, "housing", True),
    DemoUser("analyst", "Kim Analyst", Role.ANALYST, "council", False),
    DemoUser("manager", "Lee Manager", Role.PARTNERSHIP_MANAGER, "council", False),
    DemoUser("admin", "Max Admin", Role.ADMINISTRATOR, "council", False),
    DemoUser("dpo", "Dana Protection", Role.DATA_PROTECTION_OFFICER, "council", False),
)

DEMO_AGENCY_NAMES = {
    "police": "Demo Police",
    "probation": "Demo Probation Service",
    "youth_justice": "Demo Youth Justice Service",
    "council": "Demo Council Community Safety",
    "drug_alcohol_service": "Demo Recovery Service",
    "housing": "Demo Housing",
}


@transaction.atomic
def create_demo_users(local_authority: str) -> list[DemoUser]:
    """Create (or reset) the demo agencies and users; unit-bound users work in the given unit."""
    agencies = {
        kind: Agency.objects.update_or_create(name=name, defaults={"kind": kind})[0]
        for kind, name in DEMO_AGENCY_NAMES.items()
    }
    for demo in DEMO_USERS:
        given, family = demo.full_name.split(" ", 1)
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "first_name": given,
                "last_name": family,
                "role": demo.role,
                "agency": agencies[demo.agency_kind],
                "local_authority": local_authority if demo.unit_bound else "",
                # Roles decide everything (no Django admin site): like the users created on
                # the administration pages, none has Django's staff or superuser flags.
                "is_staff": False,
                "is_superuser": False,
            },
        )
        user.set_password(demo.password)
        user.save()
    return list(DEMO_USERS)
