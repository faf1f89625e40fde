"""Recording a requirement through its lifecycle on the pages, the list's filters, setting
targets, and the targets table compared with the measures computed directly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.dataset.database import read_database
from desist.interventions.models import DrugTest, Intervention, Target
from desist.interventions.report import report_sections
from desist.interventions.results import target_table
from desist.interventions.targets import Direction, Status
from desist.measures.interventions import Target as MeasureTarget
from desist.measures.interventions import post_completion_reoffending, starts_and_completions
from desist.people.models import Person
from desist.reference.models import InterventionKind, Outcome
from desist.reports.sections import ReportPeriod, check_table
from desist.web.tests.factories import (
    InterventionFactory,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def managed(user: User | None = None, local_authority: str = "Solihull") -> Person:
    person = PersonFactory.create(local_authority=local_authority)
    MembershipFactory.create(person=person, local_authority=local_authority, offender_manager=user)
    return person


def day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def test_a_probation_officer_takes_a_drr_from_referral_to_completion() -> None:
    officer = UserFactory.create(role=Role.PROBATION_OFFICER, local_authority="Solihull")
    person = managed(officer)
    client = client_for(officer)
    today = timezone.localdate()
    referred, started = today - dt.timedelta(days=60), today - dt.timedelta(days=40)

    page = client.get(f"/people/{person.pk}/interventions/").content.decode()
    assert "Record a referral" in page
    error = client.post(f"/people/{person.pk}/interventions/new/", {"kind": "drr"})
    assert "Enter the referral date" in error.content.decode()
    response = client.post(
        f"/people/{person.pk}/interventions/new/",
        {"kind": "drr", "referral_date": day(referred), "notes": "Court asked for assessment"},
    )
    item = Intervention.objects.get(person=person)
    assert response["Location"] == f"/interventions/{item.pk}/"
    assert (item.status, item.source_id[:7]) == ("referred", "desist-")

    html = client.get(f"/interventions/{item.pk}/").content.decode()
    assert "Record the assessment" in html and "Record the start" not in html
    assert (
        client.post(f"/interventions/{item.pk}/start/", {"start_date": day(started)}).status_code
        == 403
    )
    early = client.post(
        f"/interventions/{item.pk}/assessment/",
        {"assessment_date": day(referred - dt.timedelta(days=1)), "assessment": "suitable"},
    ).content.decode()
    assert "Assessment date must be on or after the referral date" in early
    client.post(
        f"/interventions/{item.pk}/assessment/",
        {"assessment_date": day(referred + dt.timedelta(days=5)), "assessment": "suitable"},
    )
    client.post(f"/interventions/{item.pk}/start/", {"start_date": day(started)})
    positive = client.post(
        f"/interventions/{item.pk}/drug-tests/",
        {"test_date": day(started + dt.timedelta(days=7)), "result": "positive"},
    ).content.decode()
    assert "Enter the substances a positive test found" in positive
    assert not DrugTest.objects.exists()
    client.post(
        f"/interventions/{item.pk}/drug-tests/",
        {
            "test_date": day(started + dt.timedelta(days=7)),
            "result": "positive",
            "substances": "opiates",
        },
    )
    failed = client.post(
        f"/interventions/{item.pk}/end/", {"end_date": day(today), "outcome": "failed"}
    ).content.decode()
    assert "Enter why it was failed" in failed
    client.post(f"/interventions/{item.pk}/end/", {"end_date": day(today), "outcome": "completed"})

    item.refresh_from_db()
    assert (item.status, item.assessment, item.start_date, item.end_date) == (
        "completed",
        "suitable",
        started,
        today,
    )
    assert item.drug_tests.get().substances == "opiates"
    assert item.history.count() == 4  # referral, assessment, start, end
    changes = AuditEvent.objects.filter(verb=Verb.CHANGED, person=person).count()
    assert changes == 5
    assert "Record the end" not in client.get(f"/interventions/{item.pk}/").content.decode()

    record = client.get(f"/people/{person.pk}/").content.decode()
    assert "Drug rehabilitation requirement: completed" in record and "Drug tests: 1" in record
    police = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    other = client_for(police).get(f"/people/{person.pk}/").content.decode()
    assert "Drug rehabilitation requirement" not in other  # health data: not theirs to read


def test_a_programme_starts_without_assessment_and_a_referral_can_be_withdrawn() -> None:
    worker = UserFactory.create(role=Role.HOUSING_EMPLOYMENT_WORKER, local_authority="Solihull")
    person = managed()
    item = InterventionFactory.create(
        person=person,
        kind=reference(InterventionKind, "employment_programme"),
        agency=worker.agency,
        status="referred",
        start_date=None,
        referral_date=dt.date(2026, 1, 5),
    )
    client = client_for(worker)
    html = client.get(f"/interventions/{item.pk}/").content.decode()
    assert "Record the start" in html and "Record the assessment" not in html
    assert 'value="completed"' not in html  # a referral never started can only be withdrawn
    client.post(
        f"/interventions/{item.pk}/end/",
        {"end_date": "10/1/2026", "outcome": "withdrawn", "reason": "Moved away"},
    )
    item.refresh_from_db()
    assert (item.status, item.end_reason) == ("withdrawn", "Moved away")


def test_the_list_filters_by_kind_status_and_period() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = managed()
    old = InterventionFactory.create(
        person=person,
        referral_date=dt.date(2024, 1, 1),
        start_date=dt.date(2024, 1, 10),
        end_date=dt.date(2024, 6, 1),
        status="completed",
    )
    new = InterventionFactory.create(
        person=person,
        kind=reference(InterventionKind, "atr"),
        referral_date=dt.date(2026, 1, 1),
        start_date=dt.date(2026, 1, 10),
    )
    client = client_for(coordinator)

    def shown(query: str) -> set[int]:
        html = client.get(f"/interventions/?{query}").content.decode()
        return {i.pk for i in (old, new) if f'href="/interventions/{i.pk}/"' in html}

    assert shown("") == {old.pk, new.pk}
    assert shown("kind=atr") == {new.pk}
    assert shown("status=completed") == {old.pk}
    assert shown("period_from=01/01/2025") == {new.pk}
    assert shown("period_to=31/12/2024") == {old.pk}
    bad = client.get("/interventions/?period_from=2/2/2026&period_to=1/1/2026").content.decode()
    assert "To must be on or after From" in bad
    assert AuditEvent.objects.filter(verb=Verb.SEARCHED, object_type="interventions").exists()


def test_a_coordinator_sets_and_changes_a_target_with_clear_errors() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    client = client_for(coordinator)
    fields = {
        "kind": "drr",
        "period_start": "1/4/2026",
        "period_end": "31/3/2027",
        "starts_target": "34",
        "completions_target": "17",
    }
    assert client.post("/interventions/targets/new/", fields).status_code == 302
    target = Target.objects.get()
    assert (target.local_authority, target.set_by, target.starts_target) == (
        "Solihull",
        coordinator,
        34,
    )
    again = client.post("/interventions/targets/new/", fields).content.decode()
    assert "This unit already has a target for this kind and period" in again
    wrong = client.post(
        "/interventions/targets/new/",
        {**fields, "period_end": "1/1/2026", "starts_target": "many"},
    ).content.decode()
    assert "Period end must be on or after the period start" in wrong
    assert "Starts target must be a whole number" in wrong
    changed = client.post(f"/interventions/targets/{target.pk}/", {**fields, "starts_target": "30"})
    assert changed.status_code == 302
    target.refresh_from_db()
    assert target.starts_target == 30 and Target.objects.count() == 1
    assert (
        AuditEvent.objects.filter(verb=Verb.CHANGED, object_type="interventions.target").count()
        == 2
    )


def _havering_like() -> tuple[Target, Target]:
    """Last year: DRR 3 starts and 2 completions (targets 3 and 2, met); ATR 1 start and 1
    completion (targets 2 and 2, not met). One DRR completer reoffended within 6 months."""
    drr, atr = reference(InterventionKind, "drr"), reference(InterventionKind, "atr")
    people = [managed() for _ in range(4)]
    for person, status in zip(people[:3], ["completed", "completed", "started"], strict=True):
        InterventionFactory.create(
            person=person,
            kind=drr,
            referral_date=dt.date(2025, 4, 20),
            start_date=dt.date(2025, 5, 1),
            end_date=dt.date(2025, 9, 30) if status == "completed" else None,
            status=status,
        )
    InterventionFactory.create(
        person=people[3],
        kind=atr,
        referral_date=dt.date(2025, 5, 20),
        start_date=dt.date(2025, 6, 1),
        end_date=dt.date(2025, 10, 31),
        status="completed",
    )
    InterventionFactory.create(  # the year before: one ATR start, so ATR starts stay level
        person=people[3], kind=atr, start_date=dt.date(2024, 6, 1), referral_date=None
    )
    OffenceFactory.create(
        person=people[0],
        offence_date=dt.date(2025, 12, 1),
        outcome=reference(Outcome, "conviction"),
        outcome_date=dt.date(2026, 1, 15),
    )
    managed(local_authority="Havering")  # another unit's person does not count
    year = {"local_authority": "Solihull", "period_start": dt.date(2025, 4, 1)}
    return (
        Target.objects.create(
            kind=drr, period_end=dt.date(2026, 3, 31), starts_target=3, completions_target=2, **year
        ),
        Target.objects.create(
            kind=atr, period_end=dt.date(2026, 3, 31), starts_target=2, completions_target=2, **year
        ),
    )


AS_OF = dt.date(2026, 11, 30)


def test_the_targets_table_gives_the_measures_figures_with_status_and_direction() -> None:
    drr_target, atr_target = _havering_like()
    table = target_table([drr_target, atr_target], AS_OF)
    drr, atr = table.rows
    assert (drr.starts.count, drr.starts.status, drr.completions.status) == (
        3,
        Status.MET,
        Status.MET,
    )
    assert (atr.starts.count, atr.starts.status, atr.completions.status) == (
        1,
        Status.NOT_MET,
        Status.NOT_MET,
    )
    assert drr.starts.direction == Direction.UNKNOWN  # no DRR at all the year before
    assert atr.starts.direction == Direction.SAME and atr.completions.direction == Direction.UP
    assert drr.share_not_reoffending == pytest.approx(0.5)

    # The same figures from the measures on the whole case database (all people here live
    # in Solihull but one in Havering, who has no intervention).
    data = read_database("polars")
    direct = starts_and_completions(
        data,
        dt.date(2025, 4, 1),
        dt.date(2026, 3, 31),
        AS_OF,
        {"drr": MeasureTarget(3, 2), "atr": MeasureTarget(2, 2)},
    ).breakdowns["by_kind"]
    assert direct["drr"]["starts"] == drr.starts.count
    assert direct["drr"]["completions"] == drr.completions.count
    assert direct["atr"]["completions"] == atr.completions.count
    post = post_completion_reoffending(
        data, "drr", dt.date(2025, 4, 1), dt.date(2026, 3, 31), AS_OF
    )
    assert post.figures["share_not_reoffended"] == drr.share_not_reoffending


def test_the_page_shows_ticks_and_crosses_with_words_for_screen_readers() -> None:
    _havering_like()
    analyst = UserFactory.create(role=Role.ANALYST)
    html = client_for(analyst).get("/interventions/targets/").content.decode()
    assert '<span aria-hidden="true" class="desist-target desist-target--met">\u2713</span>' in html
    assert "desist-target--not_met" in html and "Target not met" in html and "Target met" in html
    assert "50% " in html  # DRR: one of two completers reoffended
    assert "Definitions and sources of these figures" in html


def test_the_report_section_holds_the_table_for_the_period() -> None:
    _havering_like()
    period = ReportPeriod(dt.date(2025, 4, 1), dt.date(2026, 3, 31), AS_OF)
    (table,) = report_sections(period)
    assert check_table(table) == []
    by_kind = {row[0]: row for row in table.rows}
    drr = by_kind["2025-2026: Drug rehabilitation requirement"]
    assert drr[1:4] == ("Solihull", 3, 3)
    assert str(drr[4]).startswith("\u2713 Target met")
    assert drr[8] == 50.0
    atr = by_kind["2025-2026: Alcohol treatment requirement"]
    assert str(atr[4]).startswith("\u2717 Target not met") and "The same as" in str(atr[4])
    none = report_sections(ReportPeriod(dt.date(2020, 1, 1), dt.date(2020, 12, 31), AS_OF))
    assert none[0].rows == () and "No targets were set for this period." in none[0].notes


def test_the_nominal_page_section_links_to_the_persons_requirements() -> None:
    person = managed()
    html = render_to_string("interventions/includes/person_section.html", {"person": person})
    assert f'href="/people/{person.pk}/interventions/"' in html
