from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from desist.accounts.demo import DEMO_USERS, create_demo_users
from desist.accounts.models import User
from desist.accounts.roles import Role


@pytest.mark.django_db
def test_every_role_has_a_demo_user_who_can_sign_in() -> None:
    create_demo_users("Solihull")
    assert {demo.role for demo in DEMO_USERS} == set(Role)
    for demo in DEMO_USERS:
        request = RequestFactory().post("/sign-in/")
        user = authenticate(request, username=demo.username, password=demo.password)
        assert user is not None, demo.username
        assert user.role == demo.role
    assert User.objects.get(username="probation").local_authority == "Solihull"
    assert User.objects.get(username="analyst").local_authority == ""


@pytest.mark.django_db
def test_creating_demo_users_twice_resets_them() -> None:
    create_demo_users("Solihull")
    create_demo_users("Dudley")
    assert User.objects.count() == len(DEMO_USERS)
    assert User.objects.get(username="police").local_authority == "Dudley"
