"""Journeys of requirements, programmes and targets in Debian's Chromium (slow: marked
``browser``), with axe-core on every page: a coordinator sets a target and sees it met beside
another not met; a drug and alcohol worker filters the Interventions page, assesses, starts
and drug-tests a DRR, and opens the person's list and the referral form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.interventions.demo import financial_years
from desist.interventions.models import Target
from desist.reference.models import InterventionKind
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import (
    PASSWORD,
    InterventionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    reference,
)
from desist.web.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_coordinator_sets_a_target_and_sees_met_and_not_met(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="chair1", role=Role.IOM_COORDINATOR, local_authority="Solihull")
    (start, end), _ = financial_years(timezone.localdate())
    drr, atr = reference(InterventionKind, "drr"), reference(InterventionKind, "atr")
    for kind in (drr, drr, atr):
        person = PersonFactory.create(local_authority="Solihull")
        MembershipFactory.create(person=person, local_authority="Solihull")
        InterventionFactory.create(
            person=person,
            kind=kind,
            referral_date=start + dt.timedelta(days=10),
            start_date=start + dt.timedelta(days=20),
            end_date=start + dt.timedelta(days=120),
            status="completed",
        )
    Target.objects.create(
        kind=atr,
        local_authority="Solihull",
        period_start=start,
        period_end=end,
        starts_target=5,
        completions_target=4,
    )
    page = browser_session.page

    browser_session.visit("/interventions/targets/")
    sign_in(browser_session, "chair1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Targets and results")
    browser_session.follow(page.get_by_role("link", name="Set a target"))
    browser_session.follow(page.get_by_role("button", name="Save target"))  # nothing filled
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the starts target")
    page.get_by_label("Requirement or programme").select_option(
        label="Drug rehabilitation requirement"
    )
    page.get_by_label("Period start").fill(start.strftime("%d/%m/%Y"))
    page.get_by_label("Period end").fill(end.strftime("%d/%m/%Y"))
    page.get_by_label("Starts target").fill("2")
    page.get_by_label("Completions target").fill("2")
    browser_session.follow(page.get_by_role("button", name="Save target"))

    table = page.locator("#targets-table")
    drr_row = table.get_by_role("row").filter(has_text="Drug rehabilitation requirement")
    atr_row = table.get_by_role("row").filter(has_text="Alcohol treatment requirement")
    expect(drr_row.locator("[data-cell=starts]")).to_contain_text("Target met")
    expect(drr_row.locator("[data-cell=starts] .desist-target--met")).to_have_text("\u2713")
    expect(atr_row.locator("[data-cell=completions]")).to_contain_text("Target not met")
    expect(atr_row.locator("[data-cell=completions] .desist-target--not_met")).to_have_text(
        "\u2717"
    )
    expect(drr_row).to_contain_text("100%")  # both completers, no reoffending


def test_drug_worker_assesses_starts_and_tests_a_drr_from_the_interventions_page(
    browser_session: BrowserSession,
) -> None:
    worker = UserFactory.create(
        username="recovery1", role=Role.DRUG_ALCOHOL_WORKER, local_authority="Solihull"
    )
    person = PersonFactory.create(family_name="Ashdown", given_name="Priya")
    MembershipFactory.create(person=person, local_authority="Solihull")
    today = timezone.localdate()
    referred = today - dt.timedelta(days=30)
    InterventionFactory.create(
        person=person,
        kind=reference(InterventionKind, "atr"),
        agency=worker.agency,
        referral_date=referred,
        start_date=referred,
    )
    drr = InterventionFactory.create(
        person=person,
        agency=worker.agency,
        referral_date=referred,
        start_date=None,
        status="referred",
    )
    page = browser_session.page

    browser_session.visit("/interventions/")
    sign_in(browser_session, "recovery1", PASSWORD)
    expect(page.locator("#result-count")).to_have_text(
        "Showing 1 to 2 of 2 requirements and programmes"
    )
    page.get_by_role("group", name="Kind").get_by_label("Drug rehabilitation requirement").check()
    browser_session.follow(page.get_by_role("button", name="Apply filters"))
    expect(page.locator("#result-count")).to_have_text(
        "Showing 1 to 1 of 1 requirements and programmes"
    )
    browser_session.follow(page.get_by_role("link", name="Ashdown, Priya"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Drug rehabilitation requirement")

    page.get_by_label("Assessment date").fill(
        (referred + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    )
    page.get_by_label("Suitable", exact=True).check()
    browser_session.follow(page.get_by_role("button", name="Save assessment"))
    page.get_by_label("Start date").fill((referred - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    browser_session.follow(page.get_by_role("button", name="Save start"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Start date must be on or after the referral date"
    )
    page.get_by_label("Start date").fill((referred + dt.timedelta(days=7)).strftime("%d/%m/%Y"))
    browser_session.follow(page.get_by_role("button", name="Save start"))
    page.get_by_label("Test date").fill((referred + dt.timedelta(days=14)).strftime("%d/%m/%Y"))
    page.get_by_label("Positive", exact=True).check()
    page.get_by_label("Substances (if positive)").fill("cocaine")
    browser_session.follow(page.get_by_role("button", name="Save drug test"))
    expect(page.locator("main table")).to_contain_text("cocaine")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Started")

    browser_session.follow(page.get_by_role("link", name=re.compile("Back to Priya Ashdown")))
    expect(page.locator("main table")).to_contain_text("Alcohol treatment requirement")
    browser_session.follow(page.get_by_role("link", name="Record a referral"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a referral")
    drr.refresh_from_db()
    assert (drr.status, drr.drug_tests.count()) == ("started", 1)
