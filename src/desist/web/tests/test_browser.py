"""Journeys through the real application in Debian's Chromium (slow: marked ``browser``).

Every page reached is checked with axe-core (no serious or critical violations), for
browser errors (CSP violations included) and for GDS Transport font requests.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from desist.accounts.roles import Role
from desist.reference.models import Scheme
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import (
    PASSWORD,
    ArrestFactory,
    CustodyPeriodFactory,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.browser


def sign_in(session: BrowserSession, username: str, password: str) -> Page:
    page = session.page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    return session.follow(page.get_by_role("button", name="Sign in"))


def test_probation_officer_filters_the_cohort_by_scheme_and_opens_a_nominal(
    browser_session: BrowserSession,
) -> None:
    officer = UserFactory.create(
        username="probation1", role=Role.PROBATION_OFFICER, local_authority="Solihull"
    )
    ppo = MembershipFactory.create(
        person=PersonFactory.create(
            family_name="Ashdown", given_name="Priya", local_authority="Solihull"
        ),
        scheme=reference(Scheme, "ppo"),
        offender_manager=officer,
    )
    drr = MembershipFactory.create(
        person=PersonFactory.create(family_name="Brierley", local_authority="Solihull"),
        scheme=reference(Scheme, "drr"),
    )
    elsewhere = MembershipFactory.create(
        person=PersonFactory.create(family_name="Carrow", local_authority="Havering"),
        scheme=reference(Scheme, "ppo"),
    )
    nominal = ppo.person
    OffenceFactory.create(person=nominal)
    ArrestFactory.create(person=nominal)
    CustodyPeriodFactory.create(person=nominal)
    RagReviewFactory.create(person=nominal, rag="red")

    page = browser_session.visit("/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    sign_in(browser_session, "probation1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator("main")).to_contain_text("Probation officer")
    body_font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "GDS Transport" not in body_font

    browser_session.follow(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cohort")
    )
    table = page.locator("table.govuk-table")
    expect(table).to_contain_text(nominal.family_name)
    expect(table).to_contain_text(drr.person.family_name)
    expect(table).not_to_contain_text(elsewhere.person.family_name)  # another local authority

    page.get_by_role("group", name="Scheme").get_by_label("Prolific and priority offenders").check()
    browser_session.follow(page.get_by_role("button", name="Apply filters"))
    expect(page).to_have_url(re.compile(r"scheme=ppo"))
    expect(table).to_contain_text(nominal.family_name)
    expect(table).not_to_contain_text(drr.person.family_name)
    expect(page.locator(".moj-filter__tag")).to_contain_text("Prolific and priority offenders")

    browser_session.follow(page.get_by_role("link", name=re.compile(nominal.family_name)))
    expect(page).to_have_url(re.compile(rf"/people/{nominal.pk}/$"))
    assert nominal.source_id not in page.url
    identity = page.locator(".moj-identity-bar")
    expect(identity.get_by_role("heading", level=1)).to_have_text(
        f"{nominal.given_name} {nominal.family_name}"
    )
    expect(identity).to_contain_text(nominal.source_id)
    timeline = page.locator(".moj-timeline")
    for kind in ("offence", "arrest", "custody", "rag", "membership"):
        expect(timeline.locator(f'[data-kind="{kind}"]').first).to_be_visible()
    expect(timeline).to_contain_text("Licence ends")


def test_wrong_password_shows_the_error_summary_and_five_lock_the_account(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="police1", role=Role.POLICE_OFFENDER_MANAGER)
    page = browser_session.visit("/sign-in/")

    sign_in(browser_session, "police1", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's JavaScript ran (CSP allows it)
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary.get_by_role("link").click()
    expect(page.get_by_label("Username")).to_be_focused()

    for _ in range(4):
        sign_in(browser_session, "police1", "not-the-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")

    browser_session.visit("/sign-in/")
    sign_in(browser_session, "police1", PASSWORD)  # the right password, but locked
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")


def test_signed_out_user_is_sent_to_sign_in(browser_session: BrowserSession) -> None:
    UserFactory.create(username="coordinator1", role=Role.IOM_COORDINATOR)
    page = browser_session.visit("/cohort/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/cohort/$"))

    sign_in(browser_session, "coordinator1", PASSWORD)
    expect(page).to_have_url(re.compile(r"/cohort/$"))

    browser_session.follow(page.get_by_role("button", name="Sign out"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")

    browser_session.visit("/cohort/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/cohort/$"))
