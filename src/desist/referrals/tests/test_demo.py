"""The demo referrals: a directory, and referrals at every stage for the demo users."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.accounts.demo import create_demo_users
from desist.accounts.models import User
from desist.referrals.demo import PLAN, create_demo_referrals
from desist.referrals.models import Referral, Service
from desist.referrals.permissions import visible_referrals
from desist.referrals.report import report_sections
from desist.referrals.rules import Status
from desist.reports.sections import ReportPeriod
from desist.web.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def test_the_demo_referrals_reach_every_stage() -> None:
    create_demo_users("Solihull")
    for _ in range(4):
        MembershipFactory.create(local_authority="Solihull")
    assert create_demo_referrals("Solihull", AS_OF) == len(PLAN)
    assert Service.objects.count() == 6
    assert {r.status for r in Referral.objects.all()} == set(Status) - {Status.TRIAGED}
    assert Referral.objects.filter(person__isnull=False).count() == 4
    housing = User.objects.get(username="housing")
    assert visible_referrals(housing).count() == 5
    assert visible_referrals(User.objects.get(username="police")).count() == len(PLAN)
    table, _ = report_sections(ReportPeriod(dt.date(2026, 4, 1), AS_OF, AS_OF))
    total = table.rows[-1]
    assert total[0] == "All services" and total[1] == len(PLAN) and total[3] == 6
