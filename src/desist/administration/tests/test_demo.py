"""The demo's agencies and sign-ins show on the administration pages."""

from __future__ import annotations

import pytest
from django.test import Client

from desist.accounts.demo import DEMO_AGENCY_NAMES, DEMO_USERS, create_demo_users
from desist.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_administrator_sees_the_demo_agencies_and_users() -> None:
    create_demo_users("Solihull")
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    agencies = client.get("/administration/agencies/").content.decode()
    assert all(name in agencies for name in DEMO_AGENCY_NAMES.values())
    users = client.get("/administration/users/").content.decode()
    assert f"of {len(DEMO_USERS)} users" in users
    assert all(demo.full_name in users for demo in DEMO_USERS)
