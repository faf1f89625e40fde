"""Every role against every administration page and action, cell by cell: administrators
may (200 or a redirect after a change), every other role gets 403, anonymous users are sent
to sign in. The expected cells are written out here, not derived from the rules."""

from __future__ import annotations

import pytest
from django.test import Client

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.web.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

#: (method, path template, status for an administrator). {user} and {agency} are filled in.
PAGES: list[tuple[str, str, int]] = [
    ("get", "/administration/", 200),
    ("get", "/administration/users/", 200),
    ("get", "/administration/users/new/", 200),
    ("post", "/administration/users/new/", 200),  # an empty form: errors
    ("get", "/administration/users/{user}/", 200),
    ("get", "/administration/users/{user}/edit/", 200),
    ("post", "/administration/users/{user}/edit/", 200),
    ("get", "/administration/users/{user}/password/", 200),
    ("post", "/administration/users/{user}/password/", 200),
    ("get", "/administration/users/{user}/deactivate/", 200),
    ("post", "/administration/users/{user}/deactivate/", 200),
    ("post", "/administration/users/{user}/unlock/", 302),
    ("post", "/administration/users/{user}/second-factor/", 302),
    ("post", "/administration/users/{inactive}/reactivate/", 302),
    ("get", "/administration/agencies/", 200),
    ("get", "/administration/agencies/new/", 200),
    ("post", "/administration/agencies/new/", 200),
    ("get", "/administration/agencies/{agency}/", 200),
    ("post", "/administration/agencies/{agency}/", 200),
    ("post", "/administration/agencies/{agency}/deactivate/", 200),  # has an active user
    ("post", "/administration/agencies/{inactive_agency}/reactivate/", 302),
    ("get", "/administration/roles/", 200),
    ("get", "/administration/reference/", 200),
    ("get", "/administration/reference/schemes/", 200),
    ("get", "/administration/reference/unit-costs/", 200),
]
EXPECTED: dict[Role, str] = {
    Role.POLICE_OFFENDER_MANAGER: "403",
    Role.PROBATION_OFFICER: "403",
    Role.YOUTH_JUSTICE_WORKER: "403",
    Role.DRUG_ALCOHOL_WORKER: "403",
    Role.HOUSING_EMPLOYMENT_WORKER: "403",
    Role.IOM_COORDINATOR: "403",
    Role.ANALYST: "403",
    Role.PARTNERSHIP_MANAGER: "403",
    Role.ADMINISTRATOR: "allowed",
    Role.DATA_PROTECTION_OFFICER: "403",
}


def fill(path: str, objects: dict[str, int]) -> str:
    return path.format(**objects)


@pytest.fixture
def objects() -> dict[str, int]:
    agency = AgencyFactory.create(name="Target agency")
    target = UserFactory.create(username="target", agency=agency)
    inactive = UserFactory.create(username="gone")
    inactive.is_active = False
    inactive.save()
    closed = Agency.objects.create(name="Closed agency", kind="council", is_active=False)
    return {
        "user": target.pk,
        "inactive": inactive.pk,
        "agency": agency.pk,
        "inactive_agency": closed.pk,
    }


def test_every_role_has_an_expected_cell() -> None:
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "allowed_status"), PAGES)
def test_role_against_page(
    client: Client,
    objects: dict[str, int],
    role: Role,
    method: str,
    path: str,
    allowed_status: int,
) -> None:
    client.force_login(UserFactory.create(username="visitor", role=role))
    response = getattr(client, method)(fill(path, objects))
    expected = allowed_status if EXPECTED[role] == "allowed" else 403
    assert response.status_code == expected, (role, method, path)
    if expected == 403:
        assert User.objects.get(pk=objects["user"]).is_active
        assert not Agency.objects.get(pk=objects["inactive_agency"]).is_active


@pytest.mark.parametrize(("method", "path", "allowed_status"), PAGES)
def test_anonymous_users_are_sent_to_sign_in(
    client: Client, objects: dict[str, int], method: str, path: str, allowed_status: int
) -> None:
    response = getattr(client, method)(fill(path, objects))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_a_deactivated_administrator_is_refused(client: Client) -> None:
    admin = UserFactory.create(username="old-admin", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    admin.is_active = False
    admin.save()
    assert client.get("/administration/").status_code == 302  # signed out: Django drops them
