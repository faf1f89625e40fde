"""Signing in and out with a username and password, and django-axes' lockout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.web.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> User:
    return UserFactory.create(username="officer", role=Role.PROBATION_OFFICER)


def sign_in(client: Client, password: str, username: str = "officer", next_url: str = ""):
    data = {"username": username, "password": password}
    url = f"/sign-in/?next={next_url}" if next_url else "/sign-in/"
    return client.post(url, data)


def test_sign_in_page_is_a_gov_uk_form(client: Client) -> None:
    html = client.get("/sign-in/").content.decode()
    assert 'class="govuk-input' in html
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    assert "autofocus" not in html
    assert "novalidate" in html


def test_right_password_signs_in_and_goes_to_the_page_asked_for(
    client: Client, officer: User
) -> None:
    response = sign_in(client, PASSWORD, next_url="/cohort/")
    assert response.status_code == 302 and response["Location"] == "/cohort/"
    assert client.get("/").status_code == 200
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_next_cannot_leave_the_site(client: Client, officer: User) -> None:
    response = sign_in(client, PASSWORD, next_url="https://example.org/")
    assert response["Location"] == "/"


def test_wrong_password_shows_the_error_summary(client: Client, officer: User) -> None:
    response = sign_in(client, "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_username">Enter a correct username and password</a>' in html
    assert "<title>Error: Sign in" in html
    assert html.count("govuk-input--error") == 2
    assert 'id="id_username-error" class="govuk-error-message"' in html
    assert 'aria-describedby="id_username-error"' in html


def test_empty_fields_are_named_in_the_error_summary(client: Client) -> None:
    html = client.post("/sign-in/", {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


def test_five_failures_lock_the_account_for_30_minutes(client: Client, officer: User) -> None:
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert b"Your account is locked" in locked.content
    assert b"try again in 30 minutes" in locked.content
    still_locked = sign_in(client, PASSWORD)
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session
    other = UserFactory.create(username="other")
    assert sign_in(Client(), PASSWORD, username=other.username).status_code == 302


def test_a_successful_sign_in_clears_the_failures(client: Client, officer: User) -> None:
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    other_client = Client()
    for _ in range(4):
        assert sign_in(other_client, "wrong").status_code == 200


def test_axes_checks_first() -> None:
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def test_sign_out_ends_the_session(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.get("/sign-out/").status_code == 405  # only the button's POST signs out
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/signed-out/"
    assert b"You have signed out" in client.get("/signed-out/").content
    assert client.get("/").status_code == 302


def test_signed_in_users_skip_the_sign_in_page(client: Client, officer: User) -> None:
    client.force_login(officer)
    response = client.get("/sign-in/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_expired_form_gets_our_page_not_a_bare_403(officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 403
    assert b"The form has expired" in response.content
