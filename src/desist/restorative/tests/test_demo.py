"""The demo restorative justice cases and facilitators."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.accounts.demo import create_demo_users
from desist.restorative import service
from desist.restorative.demo import create_demo_restorative
from desist.restorative.models import Facilitator, RestorativeCase
from desist.web.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def test_the_demo_cases_fill_every_stage_of_the_pipeline() -> None:
    create_demo_users("Solihull")
    for _ in range(10):
        MembershipFactory.create(local_authority="Solihull")
    made = create_demo_restorative("Solihull", AS_OF)
    assert len(made) == 10
    counts = service.pipeline(RestorativeCase.objects.all(), dt.date(2025, 7, 1), AS_OF)
    assert list(counts.values()) == [10, 8, 6, 4, 3]
    assert (
        service.satisfaction(RestorativeCase.objects.all(), dt.date(2025, 7, 1), AS_OF).responses
        == 3
    )
    register = Facilitator.objects.all()
    rows = {
        row.kind: (row.trained, row.level_two)
        for row in service.facilitators_table(register, AS_OF)
    }
    assert rows["Police officer"] == (5, 2) and rows["Care home staff"] == (3, 1)
    assert create_demo_restorative("", AS_OF) == []
