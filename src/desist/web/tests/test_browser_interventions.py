"""Journey of the targets table in Debian's Chromium (slow: marked ``browser``), with axe-core
on every page: a coordinator sets a target and sees it met beside another not met."""

from __future__ import annotations

import datetime as dt

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
