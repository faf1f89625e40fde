"""The optional TOTP second factor, with real codes computed from the device's key."""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from desist.accounts import second_factor
from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.accounts.views import PENDING
from desist.audit.models import AuditEvent, Verb
from desist.web.tests.factories import PASSWORD, UserFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse  # the stubs' response type

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, drift: int = 0) -> str:
    """The device's code now (drift 1: the next 30-second step, which it also accepts)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def wrong(device: TOTPDevice) -> str:
    right = {code(device, d) for d in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in right)


@pytest.fixture
def admin() -> User:
    return UserFactory.create(username="admin1", role=Role.ADMINISTRATOR)


@pytest.fixture
def device(admin: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)


def password_step(
    client: Client, username: str = "admin1", next_url: str = ""
) -> _MonkeyPatchedWSGIResponse:
    url = f"/sign-in/?next={next_url}" if next_url else "/sign-in/"
    return client.post(url, {"username": username, "password": PASSWORD})


def test_codes_are_normalised_and_must_be_six_digits() -> None:
    assert second_factor.normalise_code(" 123 456 ") == "123456"
    assert second_factor.normalise_code("123-456") == "123456"
    assert second_factor.is_code_shaped("123 456")
    assert not second_factor.is_code_shaped("12345")
    assert not second_factor.is_code_shaped("1234567")
    assert not second_factor.is_code_shaped("abcdef")


def test_an_administrator_sets_up_an_app_with_a_qr_code_and_confirms_it(
    client: Client, settings: Settings, admin: User
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own delay after a wrong code
    client.force_login(admin)
    assert b"Set up an authenticator app" in client.get("/account/security/").content
    assert client.post("/account/security/start/")["Location"] == "/account/security/set-up/"
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed
    shown = client.get("/account/security/set-up/")
    assert "no-store" in shown["Cache-Control"]  # the secret stays out of the browser's cache
    html = shown.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert second_factor.secret_text(device) in html
    assert not second_factor.has_second_factor(admin)  # not before it is confirmed

    refused = client.post("/account/security/set-up/", {"code": wrong(device)})
    assert refused.status_code == 200 and b"The security code is wrong" in refused.content
    assert client.post("/account/security/set-up/", {"code": "12ab"}).status_code == 200
    done = client.post("/account/security/set-up/", {"code": code(device)})
    assert done["Location"] == "/account/security/"
    device.refresh_from_db()
    assert device.confirmed and second_factor.has_second_factor(admin)
    assert b"Your authenticator app is set up" in client.get("/account/security/").content
    assert AuditEvent.objects.filter(
        verb=Verb.CHANGED, object_id=str(admin.pk), detail__contains="Second factor"
    ).exists()


def test_the_secret_as_text_is_the_device_key_in_base32(admin: User) -> None:
    device = second_factor.start_set_up(admin)
    secret = second_factor.secret_text(device).replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert second_factor.start_set_up(admin).pk != device.pk
    assert TOTPDevice.objects.filter(user=admin).count() == 1  # the unfinished one went


def test_sign_in_asks_for_the_code_after_the_password(
    client: Client, admin: User, device: TOTPDevice
) -> None:
    response = password_step(client, next_url="/account/security/")
    assert response["Location"] == "/sign-in/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # not signed in yet
    asked = client.get("/sign-in/code/")
    assert "no-store" in asked["Cache-Control"]
    page = asked.content.decode()
    assert "Enter your security code" in page and 'autocomplete="one-time-code"' in page
    signed_in = client.post("/sign-in/code/", {"code": code(device)})
    assert signed_in["Location"] == "/account/security/"
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert PENDING not in client.session
    assert client.get("/account/security/").status_code == 200  # verified session
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_IN, username="admin1").count() == 1


def test_users_without_a_device_sign_in_with_the_password_only(client: Client) -> None:
    UserFactory.create(username="probation1", role=Role.PROBATION_OFFICER)
    assert password_step(client, "probation1")["Location"] == "/"
    assert client.get("/sign-in/code/")["Location"] == "/"


def test_wrong_codes_are_refused_and_lock_the_account_like_wrong_passwords(
    client: Client, settings: Settings, admin: User, device: TOTPDevice
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # every wrong code checked, none held back
    password_step(client)
    for _ in range(4):
        refused = client.post("/sign-in/code/", {"code": wrong(device)})
        assert refused.status_code == 200
        assert b"The security code is wrong" in refused.content
        assert "_auth_user_id" not in client.session
    locked = client.post("/sign-in/code/", {"code": wrong(device)})
    assert locked.status_code == 429 and b"Your account is locked" in locked.content
    assert PENDING not in client.session
    again = Client()
    assert password_step(again).status_code == 429  # the password step is locked too
    assert AuditEvent.objects.filter(verb=Verb.DENIED, object_id=str(admin.pk)).count() == 5


def test_wrong_passwords_and_wrong_codes_count_together(
    client: Client, settings: Settings, admin: User, device: TOTPDevice
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # every wrong code checked, none held back
    for _ in range(3):
        client.post("/sign-in/", {"username": "admin1", "password": "wrong"})
    password_step(client)
    assert client.post("/sign-in/code/", {"code": wrong(device)}).status_code == 200
    assert client.post("/sign-in/code/", {"code": wrong(device)}).status_code == 429


def test_django_otp_slows_down_a_right_code_just_after_a_wrong_one(
    client: Client, admin: User, device: TOTPDevice
) -> None:
    password_step(client)
    client.post("/sign-in/code/", {"code": wrong(device)})
    held_back = client.post("/sign-in/code/", {"code": code(device)})
    assert held_back.status_code == 200
    assert b"Wait 1 second, then enter the code" in held_back.content
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Not checked, so not counted: one wrong code towards the lockout, one refusal logged.
    assert AccessAttempt.objects.get(username="admin1").failures_since_start == 1
    assert AuditEvent.objects.filter(verb=Verb.DENIED).count() == 1


def test_a_right_code_after_a_wrong_one_signs_in_and_clears_the_count(
    client: Client, settings: Settings, admin: User, device: TOTPDevice
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own delay after a wrong code
    password_step(client)
    client.post("/sign-in/code/", {"code": wrong(device)})
    assert client.post("/sign-in/code/", {"code": code(device)}).status_code == 302
    other = Client()
    for _ in range(4):
        assert other.post("/sign-in/", {"username": "admin1", "password": "x"}).status_code == 200


def test_a_code_cannot_be_used_twice(client: Client, admin: User, device: TOTPDevice) -> None:
    password_step(client)
    used = code(device)
    assert client.post("/sign-in/code/", {"code": used}).status_code == 302
    second = Client()
    password_step(second)
    assert second.post("/sign-in/code/", {"code": used}).status_code == 200


def test_the_password_step_runs_out_after_five_minutes(
    client: Client, admin: User, device: TOTPDevice
) -> None:
    password_step(client)
    session = client.session
    session[PENDING] = {**session[PENDING], "at": time.time() - 301}
    session.save()
    response = client.post("/sign-in/code/", {"code": code(device)})
    assert response["Location"] == "/sign-in/"
    assert "_auth_user_id" not in client.session


def test_an_unverified_session_of_a_user_with_a_device_must_enter_a_code(
    client: Client, admin: User, device: TOTPDevice
) -> None:
    client.force_login(admin)  # a session that did not come through the code step
    response = client.get("/account/security/")
    assert response["Location"] == "/sign-in/code/?next=/account/security/"
    verified = client.post(
        "/sign-in/code/?next=/account/security/",
        {"code": code(device), "next": "/account/security/"},
    )
    assert verified["Location"] == "/account/security/"
    assert client.get("/account/security/").status_code == 200


def test_an_unverified_session_is_signed_out_at_the_lockout(
    client: Client, settings: Settings, admin: User, device: TOTPDevice
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # every wrong code checked, none held back
    client.force_login(admin)
    for _ in range(4):
        assert client.post("/sign-in/code/", {"code": wrong(device)}).status_code == 200
    assert client.post("/sign-in/code/", {"code": wrong(device)}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_administrator_removes_their_own_app_with_a_current_code(
    client: Client, settings: Settings, admin: User, device: TOTPDevice
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    password_step(client)
    client.post("/sign-in/code/", {"code": code(device)})
    refused = client.post("/account/security/remove/", {"code": wrong(device)})
    assert refused.status_code == 200 and b"There is a problem" in refused.content
    assert second_factor.has_second_factor(admin)
    done = client.post("/account/security/remove/", {"code": code(device, drift=1)})
    assert done["Location"] == "/account/security/"
    assert not second_factor.has_second_factor(admin)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (role, 200 if role in {Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER} else 403)
        for role in Role
    ],
)
def test_only_administrators_and_the_dpo_set_up_a_second_factor(
    client: Client, role: Role, status: int
) -> None:
    client.force_login(UserFactory.create(username="someone", role=role))
    assert client.get("/account/security/").status_code == status
    moved = 302 if status == 200 else 403  # on to the next step, or refused
    assert client.get("/account/security/start/").status_code == (405 if status == 200 else 403)
    assert client.post("/account/security/start/").status_code == moved
    assert client.get("/account/security/set-up/").status_code == status
    assert client.post("/account/security/remove/", {"code": "123456"}).status_code == moved
    assert TOTPDevice.objects.filter(confirmed=False).count() == (1 if status == 200 else 0)


def test_anonymous_users_are_sent_to_sign_in(client: Client) -> None:
    assert client.get("/account/security/")["Location"].startswith("/sign-in/")
    assert client.get("/sign-in/code/")["Location"] == "/sign-in/"


def test_setting_up_or_removing_a_second_factor_ends_the_users_other_sessions(
    client: Client, admin: User
) -> None:
    elsewhere = Client()
    elsewhere.force_login(admin)
    assert elsewhere.get("/account/security/").status_code == 200
    client.force_login(admin)
    client.post("/account/security/start/")
    device = TOTPDevice.objects.get(user=admin)
    client.post("/account/security/set-up/", {"code": code(device)})
    assert client.get("/account/security/").status_code == 200  # this session stays
    assert elsewhere.get("/account/security/")["Location"].startswith("/sign-in/")  # ended

    again = Client()
    password_step(again)
    again.post("/sign-in/code/", {"code": code(device, drift=1)})
    assert again.get("/account/security/").status_code == 200
    admin.refresh_from_db()
    second_factor.remove(admin)  # an administrator removes it after a lost phone
    assert again.get("/account/security/")["Location"].startswith("/sign-in/")


def test_users_without_a_second_factor_role_keep_djangos_session_hash() -> None:
    officer = UserFactory.create(username="officer", role=Role.PROBATION_OFFICER)
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    assert officer.get_session_auth_hash() == super(User, officer).get_session_auth_hash()


def test_the_password_step_gives_the_session_a_new_key(
    client: Client, admin: User, device: TOTPDevice
) -> None:
    planted = str(client.session.session_key)  # a key planted in the browser beforehand
    password_step(client)
    assert client.session.session_key != planted
    assert PENDING in client.session
    assert not SessionStore(planted).exists(planted)


def test_a_password_reset_ends_the_half_made_sign_in(
    client: Client, admin: User, device: TOTPDevice
) -> None:
    password_step(client)
    admin.set_password("a-new-password-from-the-administrator")
    admin.save()
    assert client.post("/sign-in/code/", {"code": code(device)})["Location"] == "/sign-in/"
    assert "_auth_user_id" not in client.session and PENDING not in client.session


def test_a_plain_sign_in_forgets_another_users_half_made_one(
    client: Client, admin: User, device: TOTPDevice
) -> None:
    UserFactory.create(username="probation1", role=Role.PROBATION_OFFICER)
    password_step(client)
    password_step(client, "probation1")
    assert PENDING not in client.session


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"]
)
def test_the_code_step_never_sends_the_user_to_another_site(
    settings: Settings, admin: User, device: TOTPDevice, next_url: str
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    after_password = Client()
    password_step(after_password, next_url=next_url)
    done = after_password.post("/sign-in/code/", {"code": code(device)})
    assert done["Location"] == "/"
    unverified = Client()
    unverified.force_login(admin)
    done = unverified.post(
        f"/sign-in/code/?next={next_url}", {"code": code(device, drift=1), "next": next_url}
    )
    assert done["Location"] == "/"


def test_the_code_step_needs_the_csrf_token(admin: User, device: TOTPDevice) -> None:
    client = Client(enforce_csrf_checks=True)
    password_step(client)  # refused too: no token
    assert client.post("/sign-in/code/", {"code": code(device)}).status_code == 403


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/"),
        ("get", "/audit/"),
        ("post", "/audit/export/"),
        ("get", "/administration/"),
        ("post", "/administration/agencies/new/"),
        ("get", "/account/security/"),
        ("get", "/account/password/"),
    ],
)
def test_an_unverified_session_reaches_no_page_but_the_code_page(
    client: Client, role: Role, method: str, path: str
) -> None:
    user = UserFactory.create(username="holder", role=role)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)  # a session that did not come through the code step
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/code/?next={path}"
    assert not AuditEvent.objects.filter(verb=Verb.EXPORTED).exists()
    assert client.get("/sign-in/code/").status_code == 200
    assert client.post("/sign-out/")["Location"] == "/signed-out/"
    assert "_auth_user_id" not in client.session


def test_other_roles_with_a_device_are_not_asked_on_every_page(client: Client) -> None:
    officer = UserFactory.create(username="officer", role=Role.PROBATION_OFFICER)
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client.force_login(officer)
    assert client.get("/account/password/").status_code == 200
