"""The first rules of ROLES.md: case-work access, the unit bound, readable categories."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from desist.accounts.access import (
    CASEWORK_ROLES,
    Category,
    has_casework_access,
    intervention_category,
    readable_categories,
    unit_local_authority,
)
from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.reference import lists


def user(role: str, local_authority: str = "", active: bool = True) -> User:
    return User(username="u", role=role, local_authority=local_authority, is_active=active)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.POLICE_OFFENDER_MANAGER, True),
        (Role.PROBATION_OFFICER, True),
        (Role.YOUTH_JUSTICE_WORKER, True),
        (Role.DRUG_ALCOHOL_WORKER, True),
        (Role.HOUSING_EMPLOYMENT_WORKER, True),
        (Role.IOM_COORDINATOR, True),
        (Role.ANALYST, False),
        (Role.PARTNERSHIP_MANAGER, False),
        (Role.ADMINISTRATOR, False),
        (Role.DATA_PROTECTION_OFFICER, False),
        ("", False),
    ],
)
def test_case_work_access_follows_the_case_work_column(role: str, allowed: bool) -> None:
    assert has_casework_access(user(role)) is allowed
    assert set(CASEWORK_ROLES) | {
        Role.ANALYST,
        Role.PARTNERSHIP_MANAGER,
        Role.ADMINISTRATOR,
        Role.DATA_PROTECTION_OFFICER,
    } == set(Role)


def test_anonymous_and_inactive_users_have_no_access() -> None:
    assert not has_casework_access(AnonymousUser())
    assert not has_casework_access(user(Role.IOM_COORDINATOR, active=False))
    assert readable_categories(AnonymousUser(), own_case=True) == frozenset()


def test_only_unit_roles_are_bound_to_their_local_authority() -> None:
    assert unit_local_authority(user(Role.POLICE_OFFENDER_MANAGER, "Solihull")) == "Solihull"
    assert unit_local_authority(user(Role.PROBATION_OFFICER, "Solihull")) == "Solihull"
    assert unit_local_authority(user(Role.IOM_COORDINATOR, "Solihull")) == "Solihull"
    assert unit_local_authority(user(Role.PROBATION_OFFICER, "")) is None
    assert unit_local_authority(user(Role.YOUTH_JUSTICE_WORKER, "Solihull")) is None
    assert unit_local_authority(user(Role.DRUG_ALCOHOL_WORKER, "Solihull")) is None


def test_readable_categories_follow_the_read_cells() -> None:
    housing = readable_categories(user(Role.HOUSING_EMPLOYMENT_WORKER), own_case=True)
    assert Category.OFFENDING not in housing and Category.HEALTH not in housing
    assert Category.RISK in housing and Category.OTHER_PATHWAYS in housing
    police = user(Role.POLICE_OFFENDER_MANAGER)
    assert Category.HEALTH not in readable_categories(police, own_case=False)
    assert Category.HEALTH in readable_categories(police, own_case=True)
    coordinator = readable_categories(user(Role.IOM_COORDINATOR), own_case=False)
    assert coordinator == frozenset(Category)
    assert readable_categories(user(Role.ANALYST), own_case=True) == frozenset()


def test_every_intervention_kind_has_a_category() -> None:
    categories = {
        code: intervention_category(kind.pathway)
        for code, kind in lists.intervention_kinds().items()
    }
    assert categories["drr"] == categories["mhtr"] == Category.HEALTH
    assert categories["employment_programme"] == Category.OTHER_PATHWAYS
    assert categories["conditional_caution_conditions"] == Category.OFFENDING
