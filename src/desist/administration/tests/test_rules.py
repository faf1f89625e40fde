"""The administration rules and the roles page's cells, one test per rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from desist.accounts.access import READ_MATRIX, UNIT_ROLES, Category
from desist.accounts.roles import Role
from desist.administration.roles import NONE, cell, role_rows
from desist.administration.rules import (
    agency_deactivation_problem,
    is_locked_out,
    local_authority_problem,
    own_account_problem,
    own_sign_in_problem,
)

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
COOL_OFF = timedelta(minutes=30)


def test_an_administrator_cannot_deactivate_or_demote_their_own_account() -> None:
    assert own_account_problem(1, 1, Role.ADMINISTRATOR, False) == (
        "You cannot deactivate your own account"
    )
    assert own_account_problem(1, 1, Role.ANALYST, True) == (
        "You cannot take the administrator role from your own account"
    )
    assert own_account_problem(1, 1, Role.ADMINISTRATOR, True) is None


@given(st.sampled_from(list(Role)), st.booleans())
def test_other_accounts_and_new_accounts_can_be_changed_freely(role: Role, active: bool) -> None:
    assert own_account_problem(1, 2, role, active) is None
    assert own_account_problem(1, None, role, active) is None


def test_an_agency_with_active_users_cannot_be_deactivated() -> None:
    assert agency_deactivation_problem(0) is None
    assert agency_deactivation_problem(1) == (
        "This agency has 1 active user: deactivate or move them first"
    )
    assert "3 active users" in (agency_deactivation_problem(3) or "")


def test_an_account_is_locked_at_the_limit_within_the_cool_off() -> None:
    assert is_locked_out(5, NOW - timedelta(minutes=29), NOW, 5, COOL_OFF)
    assert not is_locked_out(4, NOW, NOW, 5, COOL_OFF)
    assert not is_locked_out(5, NOW - timedelta(minutes=30), NOW, 5, COOL_OFF)
    assert not is_locked_out(9, None, NOW, 5, COOL_OFF)


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=120))
def test_locked_means_at_the_limit_and_within_the_cool_off(failures: int, minutes: int) -> None:
    locked = is_locked_out(failures, NOW - timedelta(minutes=minutes), NOW, 5, COOL_OFF)
    assert locked == (failures >= 5 and minutes < 30)


def test_the_roles_page_cells_are_those_of_the_permission_docs() -> None:
    # Written out from docs/permissions.md, "Data categories by role".
    assert cell(Role.POLICE_OFFENDER_MANAGER, Category.IDENTITY) == "RW (unit)"
    assert cell(Role.POLICE_OFFENDER_MANAGER, Category.OFFENDING) == "R (unit)"
    assert cell(Role.POLICE_OFFENDER_MANAGER, Category.OTHER_PATHWAYS) == "RW (own)"
    assert cell(Role.POLICE_OFFENDER_MANAGER, Category.HEALTH) == "R (own)"
    assert cell(Role.PROBATION_OFFICER, Category.HEALTH) == "RW (own)"
    assert cell(Role.DRUG_ALCOHOL_WORKER, Category.HEALTH) == "RW (agency)"
    assert cell(Role.DRUG_ALCOHOL_WORKER, Category.IDENTITY) == "R (agency)"
    assert cell(Role.HOUSING_EMPLOYMENT_WORKER, Category.OFFENDING) == NONE
    assert cell(Role.IOM_COORDINATOR, Category.RISK) == "RW (unit)"
    assert cell(Role.IOM_COORDINATOR, Category.HEALTH) == "R (unit)"
    for role in (Role.ANALYST, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER):
        assert all(cell(role, category) == NONE for category in Category)


def test_every_role_has_a_row_and_only_administrators_administer() -> None:
    rows = {row.role: row for row in role_rows()}
    assert set(rows) == set(Role)
    assert [r for r, row in rows.items() if row.administration] == [Role.ADMINISTRATOR]
    assert {r for r, row in rows.items() if row.audit} == {
        Role.ADMINISTRATOR,
        Role.DATA_PROTECTION_OFFICER,
    }
    assert {r for r, row in rows.items() if row.second_factor} == {
        Role.ADMINISTRATOR,
        Role.DATA_PROTECTION_OFFICER,
    }
    assert {r for r, row in rows.items() if row.outside_scope} == {
        Role.POLICE_OFFENDER_MANAGER,
        Role.PROBATION_OFFICER,
        Role.IOM_COORDINATOR,
    }
    assert all(len(row.cells) == len(Category) for row in rows.values())
    assert set(READ_MATRIX) <= set(rows)


@given(st.sampled_from(list(Role)), st.sampled_from(["", "Solihull"]))
def test_only_unit_roles_need_a_local_authority(role: Role, area: str) -> None:
    problem = local_authority_problem(role, area)
    assert (problem is not None) == (role in UNIT_ROLES and area == "")


def test_the_unit_roles_are_the_three_of_the_matrix() -> None:
    """The three the form's hint names."""
    named = {Role.POLICE_OFFENDER_MANAGER, Role.PROBATION_OFFICER, Role.IOM_COORDINATOR}
    assert named == UNIT_ROLES


def test_an_administrator_resets_only_other_users_sign_ins() -> None:
    for what in ("password", "second_factor"):
        assert own_sign_in_problem(1, 1, what) is not None
        assert own_sign_in_problem(1, 2, what) is None
        assert own_sign_in_problem(None, 1, what) is None
