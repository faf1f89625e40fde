"""Supervision in Debian's Chromium (slow: marked ``browser``), with axe-core on every page:
a probation officer records a missed appointment and a warning letter on a licence, and both
show on the nominal page's timeline; the person is then on the Supervision due list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.supervision.tests.factories import OrderFactory
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import PASSWORD, MembershipFactory, PersonFactory, UserFactory
from desist.web.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_probation_officer_records_a_missed_appointment_and_a_warning_letter(
    browser_session: BrowserSession,
) -> None:
    officer = UserFactory.create(
        username="probation1", role=Role.PROBATION_OFFICER, local_authority="Solihull"
    )
    person = PersonFactory.create(
        family_name="Ashdown", given_name="Lee", local_authority="Solihull"
    )
    MembershipFactory.create(person=person, local_authority="Solihull", offender_manager=officer)
    OrderFactory.create(person=person, responsible_agency=officer.agency)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    page = browser_session.page

    browser_session.visit(f"/people/{person.pk}/")
    sign_in(browser_session, "probation1", PASSWORD)
    expect(page.locator("#supervision")).to_have_text("Licence and order supervision")
    browser_session.follow(page.get_by_role("link", name="Record an appointment"))
    page.get_by_label("Appointment date").fill(yesterday)
    browser_session.follow(page.get_by_role("button", name="Save appointment"))  # no outcome
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the outcome of the appointment"
    )
    page.get_by_label("Missed: unacceptable absence").check()
    page.get_by_label("Notes (optional)").fill("No contact, phone switched off")
    browser_session.follow(page.get_by_role("button", name="Save appointment"))
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/"))

    browser_session.follow(page.get_by_role("link", name="Record a warning letter"))
    page.get_by_label("Date of the letter").fill(yesterday)
    page.get_by_label("Reason").fill("Failed to attend the appointment without a reason")
    browser_session.follow(page.get_by_role("button", name="Save warning letter"))

    timeline = page.locator(".moj-timeline")
    expect(timeline.locator('[data-kind="contact"]')).to_contain_text(
        "Appointment: missed: unacceptable absence"
    )
    expect(timeline.locator('[data-kind="enforcement-warning"]')).to_contain_text(
        "Failed to attend the appointment without a reason"
    )
    expect(page.locator(".govuk-summary-card")).to_contain_text("Warning letter")

    browser_session.follow(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Supervision")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision due")
    expect(page.locator("table")).to_contain_text("Lee Ashdown")
