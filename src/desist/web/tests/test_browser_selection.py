"""Journey of cohort selection in Debian's Chromium (slow: marked ``browser``), with axe-core on
every page: a coordinator opens the proposals, adopts a proposed person with a reason, sees the
decision, and finds the score with its breakdown on the nominal page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.reference.models import OffenceGroup, Scheme
from desist.scoring.store import score_case_database
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    UserFactory,
    reference,
)
from desist.web.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_coordinator_adopts_a_proposal_with_a_reason(browser_session: BrowserSession) -> None:
    today = timezone.localdate()
    UserFactory.create(username="chair1", role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = PersonFactory.create(family_name="Ashdown", given_name="Priya",
                                  local_authority="Solihull")  # fmt: skip
    MembershipFactory.create(
        person=person,
        local_authority="Solihull",
        scheme=reference(Scheme, "hccu"),
        start_date=today - dt.timedelta(days=900),
        end_date=today - dt.timedelta(days=500),
    )
    when = today - dt.timedelta(days=40)
    OffenceFactory.create(
        person=person,
        offence_date=when,
        outcome_date=when + dt.timedelta(days=10),
        offence_group=reference(OffenceGroup, "burglary_residential"),
    )
    score_case_database(today)
    page = browser_session.page

    browser_session.visit("/proposals/")
    sign_in(browser_session, "chair1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohort proposals")
    proposals = page.locator("[data-proposals]")
    expect(proposals).to_contain_text("Ashdown")
    page.get_by_text("Why proposed").first.click()
    expect(proposals).to_contain_text("burglary_residential x1")
    browser_session.follow(proposals.get_by_role("link", name=re.compile(r"^Adopt")))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Adopt into")
    browser_session.follow(page.get_by_role("button", name="Adopt"))  # no reason given
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why this person is adopted")
    page.get_by_label("Why is this person adopted?").fill("Burglary spree; agreed at the panel")
    page.get_by_label("Tier 1").check()
    browser_session.follow(page.get_by_role("button", name="Adopt"))

    expect(page.locator(".govuk-notification-banner")).to_contain_text("adopted into")
    decisions = page.locator("[data-decisions]")
    expect(decisions).to_contain_text("Adopted as proposed")
    expect(decisions).to_contain_text("Burglary spree; agreed at the panel")
    expect(proposals).to_contain_text("already managed")

    browser_session.follow(decisions.get_by_role("link", name="Priya Ashdown"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Ashdown")
    expect(page.locator("[data-breakdown]")).to_contain_text("Residential burglary")
    expect(page.locator(".moj-timeline")).to_contain_text("Adopted into")
