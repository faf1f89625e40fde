"""The demo disposals: each outcome and an overdue condition, from the demo unit's cohort."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.accounts.demo import create_demo_users
from desist.disposals import service
from desist.disposals.demo import create_demo_disposals
from desist.disposals.models import Disposal, Outcome
from desist.reference.models import Outcome as OutcomeCode
from desist.web.tests.factories import MembershipFactory, OffenceFactory, reference

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def test_the_demo_disposals_show_every_outcome_and_an_overdue_condition() -> None:
    create_demo_users("Solihull")
    for _ in range(6):
        membership = MembershipFactory.create(local_authority="Solihull")
        OffenceFactory.create(
            person=membership.person,
            offence_date=dt.date(2025, 6, 1),
            outcome=reference(OutcomeCode, "pending"),
            outcome_date=None,
            sentence=None,
            custody_days=None,
        )
    made = create_demo_disposals("Solihull", AS_OF)
    assert [d.outcome for d in made] == [
        Outcome.COMPLIED,
        Outcome.CHARGED,
        Outcome.OPEN,
        Outcome.COMPLIED,
        Outcome.OPEN,
    ]
    assert made[3].remedy == "reparation" and made[3].victim_view
    overdue = service.overdue_conditions(Disposal.objects.all(), AS_OF)
    assert [o.condition.pathway for o in overdue] == ["debt"]
    assert len({d.person_id for d in made}) == 5
    assert all(d.offence.offence_date <= d.disposal_date for d in made)
    assert create_demo_disposals("", AS_OF) == []
