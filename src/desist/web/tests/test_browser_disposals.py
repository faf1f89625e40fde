"""Journeys of out of court disposals and restorative justice in Debian's Chromium (slow:
marked ``browser``), with axe-core on every page: a police officer records a conditional
caution with conditions; a restorative justice case moves through the pipeline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.reference.models import Outcome
from desist.restorative.models import Facilitator
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


def test_police_officer_records_a_conditional_caution_with_conditions(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(
        username="police1", role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull"
    )
    person = PersonFactory.create(
        family_name="Ashdown", given_name="Priya", local_authority="Solihull"
    )
    MembershipFactory.create(person=person, local_authority="Solihull")
    today = timezone.localdate()
    OffenceFactory.create(  # still waiting for an outcome in the police record
        person=person,
        offence_date=today - dt.timedelta(days=10),
        outcome=reference(Outcome, "pending"),
        outcome_date=None,
        sentence=None,
        custody_days=None,
    )
    OffenceFactory.create(person=person, offence_date=today - dt.timedelta(days=400))
    page = browser_session.page

    browser_session.visit("/disposals/")
    sign_in(browser_session, "police1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Out of court disposals")
    browser_session.follow(page.get_by_role("link", name="Record a disposal"))
    page.get_by_label("Person number").fill(str(person.pk))
    browser_session.follow(page.get_by_role("button", name="Continue"))
    offences = page.get_by_label("Offence").locator("option")
    expect(offences).to_have_count(2)  # the convicted offence is not offered
    expect(offences.nth(1)).to_contain_text("(police record: pending)")
    page.get_by_label("Offence").select_option(index=1)
    page.get_by_label("Conditional caution").check()
    browser_session.follow(page.get_by_role("button", name="Save disposal"))  # no date
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the disposal")
    page.get_by_label("Date of the disposal").fill(today.strftime("%d/%m/%Y"))
    browser_session.follow(page.get_by_role("button", name="Save disposal"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conditional caution")
    expect(page.locator("main")).to_contain_text("Outcome in the police record")

    page.get_by_label("Pathway").select_option(label="Alcohol")
    page.get_by_label("Condition", exact=True).fill("Attend the alcohol diversion course")
    page.get_by_label("Deadline").fill((today + dt.timedelta(days=28)).strftime("%d/%m/%Y"))
    browser_session.follow(page.get_by_role("button", name="Add condition"))
    expect(page.locator("main")).to_contain_text("Alcohol: Attend the alcohol diversion course")

    page.get_by_label("Not complied").check()
    page.get_by_label("Date", exact=True).fill(today.strftime("%d/%m/%Y"))
    browser_session.follow(page.get_by_role("button", name=re.compile(r"^Save compliance")))
    expect(page.locator("#outcome")).to_contain_text("Charged for the original offence")
    browser_session.follow(page.get_by_role("link", name="Open the nominal record"))
    expect(page.locator(".moj-timeline")).to_contain_text(
        "Out of court disposal: Conditional caution"
    )


def test_a_restorative_justice_case_moves_through_the_pipeline(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="chair1", role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = PersonFactory.create(family_name="Carrow", local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull")
    today = timezone.localdate()
    Facilitator.objects.create(
        name="PC Avery Demo",
        organisation="Demo Police",
        kind="police_officer",
        level=2,
        trained_on=today - dt.timedelta(days=300),
    )
    page = browser_session.page
    day = today.strftime("%d/%m/%Y")

    browser_session.visit("/restorative-justice/")
    sign_in(browser_session, "chair1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Restorative justice")
    browser_session.follow(page.get_by_role("link", name="Record a referral"))
    page.get_by_label("Person number of the person responsible for the harm").fill(str(person.pk))
    page.get_by_label("Victim Support notification").check()
    page.get_by_label("Level 2 (conference)").check()
    page.get_by_label("Victim reference").fill("VS-0107")
    page.get_by_label("Date received").fill(day)
    browser_session.follow(page.get_by_role("button", name="Save referral"))
    expect(page.locator("#stage")).to_have_text("Notified")

    for button in ("Move to referred", "Move to victim offered a restorative process"):
        page.get_by_label("Date", exact=True).fill(day)
        browser_session.follow(page.get_by_role("button", name=button))
    page.get_by_label("Date", exact=True).fill(day)
    page.get_by_label("Facilitator").select_option(label="PC Avery Demo, Demo Police (level 2)")
    browser_session.follow(
        page.get_by_role("button", name="Move to victim contacted by a facilitator")
    )
    page.get_by_label("Date", exact=True).fill(day)
    browser_session.follow(page.get_by_role("button", name="Move to conference held"))
    expect(page.locator("#stage")).to_have_text("Conference held")

    page.get_by_label("Outcomes agreed").fill("An apology; repair the fence")
    page.get_by_label("Very satisfied").check()
    browser_session.follow(page.get_by_role("button", name="Save outcomes"))
    expect(page.locator("main")).to_contain_text("An apology; repair the fence")
    browser_session.follow(page.get_by_role("link", name="Back to restorative justice"))
    expect(page.locator("#pipeline")).to_contain_text("Conference held")
    expect(page.locator("#satisfaction")).to_contain_text("Very satisfied")
