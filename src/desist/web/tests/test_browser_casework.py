"""Journeys of case work, panels and audit in Debian's Chromium (slow: marked ``browser``),
with axe-core on every page: a coordinator records a RAG review and the DPO finds it in the
audit log; a police officer gives a reason to look outside the unit; a coordinator runs a panel
and the police officer sees the action."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import (
    PASSWORD,
    AgencyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from desist.web.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_coordinator_records_a_rag_review_and_the_dpo_finds_it_in_the_audit_log(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(
        username="coordinator1", role=Role.IOM_COORDINATOR, local_authority="Solihull"
    )
    UserFactory.create(username="dpo1", role=Role.DATA_PROTECTION_OFFICER)
    person = PersonFactory.create(
        family_name="Ashdown", given_name="Priya", local_authority="Solihull"
    )
    MembershipFactory.create(person=person, local_authority="Solihull")
    page = browser_session.page

    browser_session.visit(f"/people/{person.pk}/")
    sign_in(browser_session, "coordinator1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Ashdown")
    browser_session.follow(page.get_by_role("link", name="Record a RAG review"))
    browser_session.follow(page.get_by_role("button", name="Save RAG review"))  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a RAG status")
    page.get_by_label("Red").check()
    page.get_by_label("Notes (optional)").fill("Arrested twice since the last panel")
    browser_session.follow(page.get_by_role("button", name="Save RAG review"))
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/$"))
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("RAG review: Red")
    expect(timeline).to_contain_text("Changed: RAG review recorded: Red")
    browser_session.follow(page.get_by_role("button", name="Sign out"))

    browser_session.visit("/sign-in/")
    sign_in(browser_session, "dpo1", PASSWORD)
    browser_session.follow(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log")
    )
    page.get_by_label("Username").fill("coordinator1")
    page.get_by_label("Person number").fill(str(person.pk))
    page.get_by_label("Action").select_option("changed")
    browser_session.follow(page.get_by_role("button", name="Search"))
    expect(page.locator("#result-count")).to_have_text("Showing 1 to 1 of 1 events")
    expect(page.locator("table")).to_contain_text("RAG review recorded: Red")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export these events as CSV").click()
    assert download.value.suggested_filename.startswith("audit-log-")


def test_police_officer_gives_a_reason_to_open_a_record_outside_the_unit(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(
        username="police1", role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull"
    )
    person = PersonFactory.create(family_name="Carrow", local_authority="Havering")
    MembershipFactory.create(person=person, local_authority="Havering")
    page = browser_session.page

    browser_session.visit(f"/people/{person.pk}/")
    sign_in(browser_session, "police1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This record is outside your caseload"
    )
    expect(page.locator("main")).not_to_contain_text("Carrow")
    page.get_by_label("Why do you need to see this record?").fill("Joint case with Havering IOM")
    browser_session.follow(page.get_by_role("button", name="Continue to the record"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Carrow")
    expect(page.locator(".govuk-inset-text")).to_contain_text("outside your caseload")


def test_coordinator_runs_a_panel_and_the_police_officer_sees_the_action(
    browser_session: BrowserSession,
) -> None:
    police = AgencyFactory.create(name="West Midlands Police", kind="police")
    UserFactory.create(username="chair1", role=Role.IOM_COORDINATOR, local_authority="Solihull")
    UserFactory.create(
        username="police1",
        role=Role.POLICE_OFFENDER_MANAGER,
        local_authority="Solihull",
        agency=police,
        first_name="Pat",
        last_name="Constable",
    )
    person = PersonFactory.create(family_name="Ashdown", local_authority="Solihull")
    MembershipFactory.create(person=person, local_authority="Solihull")
    page = browser_session.page
    today = timezone.localdate()

    browser_session.visit("/panels/new/")
    sign_in(browser_session, "chair1", PASSWORD)
    page.get_by_label("IOM panel").check()
    page.get_by_label("Meeting date").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("West Midlands Police").check()
    browser_session.follow(page.get_by_role("button", name="Create meeting and agenda"))
    expect(page.locator("table")).to_contain_text("Due for review")
    browser_session.follow(page.get_by_role("link", name="Ashdown"))

    page.get_by_label("Discussion summary").fill("Rearrested; licence visits weekly")
    page.get_by_role("group", name="RAG status").get_by_label("Red").check()
    page.get_by_label("Escalate").check()
    browser_session.follow(page.get_by_role("button", name="Save outcome"))
    expect(page.locator(".govuk-summary-list")).to_contain_text("Escalate")
    page.get_by_label("Action", exact=True).fill("Home visit this week")
    page.get_by_label("Agency").select_option(label="West Midlands Police")
    page.get_by_label("Owner (optional)").select_option(label="Pat Constable")
    page.get_by_label("Due date").fill((today + dt.timedelta(days=7)).strftime("%d/%m/%Y"))
    browser_session.follow(page.get_by_role("button", name="Add action"))
    expect(page.locator("main")).to_contain_text("Home visit this week")
    browser_session.follow(page.get_by_role("button", name="Sign out"))

    browser_session.visit("/actions/")
    sign_in(browser_session, "police1", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
    expect(page.locator("main")).to_contain_text("Home visit this week")
    browser_session.follow(page.get_by_role("button", name=re.compile(r"^Mark as done")))
    expect(page.locator("main")).not_to_contain_text("Home visit this week")
