"""The demo targets show both met and not met; the demo DRRs get assessments and tests."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.accounts.demo import create_demo_users
from desist.accounts.models import User
from desist.interventions.demo import create_demo_targets, financial_years
from desist.interventions.models import DrugTest, Target
from desist.interventions.permissions import visible_interventions
from desist.interventions.results import target_table
from desist.interventions.targets import Status
from desist.reference.models import InterventionKind
from desist.web.tests.factories import (
    InterventionFactory,
    MembershipFactory,
    PersonFactory,
    reference,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 30)


def test_financial_years() -> None:
    assert financial_years(AS_OF) == (
        (dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2027, 3, 31)),
    )
    assert financial_years(dt.date(2026, 2, 1))[1] == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def test_the_demo_targets_show_met_and_not_met() -> None:
    create_demo_users("Solihull")
    for kind, start in [("drr", dt.date(2025, 6, 1)), ("atr", dt.date(2025, 7, 1))] * 3:
        person = PersonFactory.create(local_authority="Solihull")
        MembershipFactory.create(person=person, local_authority="Solihull")
        InterventionFactory.create(
            person=person,
            kind=reference(InterventionKind, kind),
            referral_date=start - dt.timedelta(days=20),
            start_date=start,
            status="started",
        )
    targets = create_demo_targets("Solihull", AS_OF)
    assert len(targets) == 4 and Target.objects.count() == 4
    last_year = Target.objects.filter(period_start=dt.date(2025, 4, 1)).order_by("kind_id")
    statuses = {
        row.target.kind_id: row.starts.status for row in target_table(last_year, AS_OF).rows
    }
    assert statuses == {"atr": Status.NOT_MET, "drr": Status.MET}
    assert DrugTest.objects.count() == 9
    assert DrugTest.objects.filter(result="positive").exclude(substances="").count() == 3
    recovery = User.objects.get(username="recovery")
    tested = visible_interventions(recovery).filter(drug_tests__isnull=False).distinct()
    assert tested.count() == 3 and all(item.assessment == "suitable" for item in tested)
    assert create_demo_targets("", AS_OF) == []
