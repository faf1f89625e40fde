"""Changing one's own password."""

from __future__ import annotations

import pytest
from django.test import Client

from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.web.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "a-long-new-passphrase-42"


@pytest.mark.parametrize("role", list(Role))
def test_every_role_changes_their_own_password(client: Client, role: Role) -> None:
    UserFactory.create(username="someone", role=role)
    client.post("/sign-in/", {"username": "someone", "password": PASSWORD})
    elsewhere = Client()
    elsewhere.post("/sign-in/", {"username": "someone", "password": PASSWORD})
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    assert client.post("/account/password/", data)["Location"] == "/account/password/"
    assert b"Your password has been changed" in client.get("/account/password/").content
    assert elsewhere.get("/")["Location"].startswith("/sign-in/")  # other sessions end
    assert Client().post("/sign-in/", {"username": "someone", "password": NEW}).status_code == 302
    assert AuditEvent.objects.filter(verb=Verb.CHANGED, detail="Own password changed").exists()


def test_bad_input_names_the_field(client: Client) -> None:
    client.force_login(UserFactory.create(username="someone"))
    wrong = {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW}
    html = client.post("/account/password/", wrong).content.decode()
    assert '<a href="#id_old_password">Your current password is not right</a>' in html
    mismatch = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"}
    assert (
        "The new passwords do not match"
        in client.post("/account/password/", mismatch).content.decode()
    )
    common = {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"}
    assert (
        "This password is too common" in client.post("/account/password/", common).content.decode()
    )
    assert "Enter your current password" in client.post("/account/password/", {}).content.decode()


def test_anonymous_users_are_sent_to_sign_in(client: Client) -> None:
    assert client.get("/account/password/")["Location"].startswith("/sign-in/")


def test_wrong_current_passwords_count_towards_the_lockout(client: Client) -> None:
    UserFactory.create(username="someone")
    client.post("/sign-in/", {"username": "someone", "password": PASSWORD})
    wrong = {"old_password": "guess", "new_password1": NEW, "new_password2": NEW}
    for _ in range(4):
        assert client.post("/account/password/", wrong).status_code == 200
    locked = client.post("/account/password/", wrong)
    assert locked.status_code == 429 and b"Your account is locked" in locked.content
    assert "_auth_user_id" not in client.session  # signed out
    assert (
        Client().post("/sign-in/", {"username": "someone", "password": PASSWORD}).status_code == 429
    )
    assert AuditEvent.objects.filter(verb=Verb.DENIED, username="someone").count() == 5
