"""Journeys of administration in Debian's Chromium (slow: marked ``browser``), with axe-core
on every page: the administrator creates a user who then signs in and changes the password;
the administrator sets up an authenticator app and signs in with a code computed from the
secret the page shows."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import PASSWORD, AgencyFactory, MembershipFactory, UserFactory
from desist.web.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def code_for(secret_text: str, drift: int = 0) -> str:
    """The current code of a TOTP secret as the page shows it (base32 in groups of four)."""
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=drift):06d}"


def test_administrator_creates_a_user_who_then_signs_in_and_changes_the_password(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="admin1", role=Role.ADMINISTRATOR)
    AgencyFactory.create(name="West Midlands Police", kind="police")
    MembershipFactory.create(local_authority="Solihull")
    page = browser_session.page

    browser_session.visit("/administration/")
    sign_in(browser_session, "admin1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    browser_session.follow(page.get_by_role("link", name="Users"))
    browser_session.follow(page.get_by_role("link", name="Create a user"))
    browser_session.follow(page.get_by_role("button", name="Create user"))  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a username")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the user's role")
    page.get_by_label("Username").fill("newofficer")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill("nia.okafor@example.org")
    page.get_by_label("Police offender manager").check()
    page.get_by_label("Agency").select_option(label="West Midlands Police")
    page.get_by_label("Local authority").select_option("Solihull")
    page.get_by_label("Password", exact=True).fill("a-long-new-passphrase-42")
    page.get_by_label("Confirm password").fill("a-long-new-passphrase-42")
    browser_session.follow(page.get_by_role("button", name="Create user"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("User newofficer created")
    expect(page.locator(".govuk-summary-list")).to_contain_text("West Midlands Police")
    browser_session.follow(page.get_by_role("button", name="Sign out"))

    browser_session.visit("/sign-in/")
    sign_in(browser_session, "newofficer", "a-long-new-passphrase-42")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".desist-account")).to_contain_text("Nia Okafor")
    expect(page.get_by_role("navigation", name="Menu")).to_contain_text("Cohort")
    browser_session.visit("/account/password/")  # the temporary password becomes their own
    page.get_by_label("Current password").fill("a-long-new-passphrase-42")
    page.get_by_label("New password", exact=True).fill("only-nia-knows-this-one")
    page.get_by_label("Confirm new password").fill("only-nia-knows-this-one")
    browser_session.follow(page.get_by_role("button", name="Change password"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("password has been changed")


def test_administrator_sets_up_an_authenticator_app_and_signs_in_with_a_code(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="admin1", role=Role.ADMINISTRATOR)
    page = browser_session.page

    browser_session.visit("/account/security/")
    sign_in(browser_session, "admin1", PASSWORD)
    browser_session.follow(page.get_by_role("button", name="Set up an authenticator app"))
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Security code").fill(code_for(secret))
    browser_session.follow(page.get_by_role("button", name="Confirm and turn on"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your authenticator app is set up"
    )
    browser_session.follow(page.get_by_role("button", name="Sign out"))

    browser_session.visit("/administration/users/")
    sign_in(browser_session, "admin1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    right = {code_for(secret, drift) for drift in (-1, 0, 1, 2)}
    page.get_by_label("Security code").fill(next(c for c in ("000000", "111111") if c not in right))
    browser_session.follow(page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The security code is wrong")
    page.wait_for_timeout(1100)  # django-otp slows the next try down by a second
    page.get_by_label("Security code").fill(code_for(secret, drift=1))
    browser_session.follow(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
