"""Journeys of the partnership registers and referrals in Debian's Chromium (slow: marked
``browser``), with axe-core on every page: the partnership manager adds a risk scored 4 x 4
and sees it red, and cannot close a SARA problem with a stage missing; a police officer refers
a vulnerable person and the housing service triages them."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.referrals.models import Service
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import PASSWORD, AgencyFactory, UserFactory
from desist.web.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_the_manager_adds_a_red_risk_and_cannot_close_a_problem_with_a_stage_missing(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="manager1", role=Role.PARTNERSHIP_MANAGER)
    page = browser_session.page

    browser_session.visit("/")
    sign_in(browser_session, "manager1", PASSWORD)
    browser_session.follow(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnership")
    )
    browser_session.follow(page.get_by_role("link", name="Risk register"))
    browser_session.follow(page.get_by_role("link", name="Add a risk"))
    page.get_by_label("Risk", exact=True).fill("Funding reductions from next year")
    browser_session.follow(page.get_by_role("button", name="Save risk"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the probability, from 1 to 5"
    )
    page.get_by_role("group", name="Probability").get_by_label("4").check()
    page.get_by_role("group", name="Impact").get_by_label("4").check()
    page.get_by_label("Owner").fill("Partnership board")
    page.get_by_label("Mitigations (optional)").fill("Task and finish group")
    page.get_by_label("Review date").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Open").check()
    browser_session.follow(page.get_by_role("button", name="Save risk"))
    expect(page).to_have_url(re.compile(r"/partnership/risks/$"))
    row = page.locator("#risks tbody tr", has_text="Funding reductions from next year")
    expect(row).to_contain_text("16")
    expect(row.locator(".govuk-tag--red")).to_have_text("Red")

    browser_session.follow(page.get_by_role("link", name="SARA problem solving"))
    browser_session.follow(page.get_by_role("link", name="Add a problem"))
    page.get_by_label("Problem", exact=True).fill("Youths outside the local shops")
    page.get_by_label("Scanning", exact=True).fill("Groups gather most evenings")
    page.get_by_label("Scanning evidence").fill("ASB calls in the last quarter")
    browser_session.follow(page.get_by_role("button", name="Save problem"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Youths outside the local shops")
    browser_session.follow(page.get_by_role("button", name="Close the problem"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("You cannot close this problem")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Missing: Analysis, Response, Assessment."
    )
    expect(page.locator("main")).to_contain_text("Status: Open")

    # The other registers pass the same checks (axe-core on each page).
    browser_session.follow(page.get_by_role("link", name="Back to the problems"))
    browser_session.follow(page.get_by_role("link", name="Information sharing agreements"))
    browser_session.follow(page.get_by_role("link", name="Add an agreement"))
    browser_session.follow(page.get_by_role("button", name="Save agreement"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the lawful basis")
    browser_session.visit("/partnership/priorities/new/")
    page.get_by_label("Priority", exact=True).fill("Reducing reoffending")
    browser_session.follow(page.get_by_role("button", name="Save priority"))
    browser_session.follow(page.get_by_role("link", name="Add an indicator"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an indicator")


def test_an_officer_refers_a_vulnerable_person_and_the_housing_service_triages(
    browser_session: BrowserSession,
) -> None:
    housing = AgencyFactory.create(name="Borough Housing Options", kind="housing")
    UserFactory.create(
        username="police1", role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull"
    )
    UserFactory.create(username="housing1", role=Role.HOUSING_EMPLOYMENT_WORKER, agency=housing)
    Service.objects.create(name="Supported flats", kind="accommodation", contact="0300 000 0000")
    page = browser_session.page

    browser_session.visit("/referrals/new/")
    sign_in(browser_session, "police1", PASSWORD)
    page.get_by_label("Full name (if not on the cohort)").fill("Sam Neighbour")
    page.get_by_label("Refer to").select_option(label="Borough Housing Options")
    page.get_by_label("What is the concern?").fill("Sleeping in a car since an eviction")
    page.get_by_label("Given: the person agreed to be referred").check()
    browser_session.follow(page.get_by_role("button", name="Send referral"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Neighbour")
    expect(page.locator("main")).to_contain_text("Waiting for triage")
    browser_session.follow(page.get_by_role("button", name="Sign out"))

    browser_session.visit("/referrals/")
    sign_in(browser_session, "housing1", PASSWORD)
    browser_session.follow(page.get_by_role("link", name="Sam Neighbour"))
    page.get_by_label("Main need").select_option(label="Accommodation")
    page.get_by_role("group", name="Risk").get_by_label("High").check()
    page.get_by_role("group", name="Priority").get_by_label("Urgent").check()
    browser_session.follow(page.get_by_role("button", name="Save triage"))
    page.get_by_label("Date of first contact").fill(timezone.localdate().strftime("%d/%m/%Y"))
    browser_session.follow(page.get_by_role("button", name="Save first contact"))
    expect(page.locator("main")).to_contain_text("0 days after the referral")
    page.get_by_label("Service", exact=True).select_option(label="Supported flats")
    browser_session.follow(page.get_by_role("button", name="Signpost"))
    expect(page.locator(".govuk-summary-list")).to_contain_text("Supported flats")
    browser_session.follow(page.get_by_role("link", name="Back to referrals"))
    expect(page.locator("table")).to_contain_text("Urgent")
    browser_session.follow(page.get_by_role("link", name="Directory of services"))
    expect(page.locator("table")).to_contain_text("Supported flats")
