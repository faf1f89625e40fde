"""The demo panel: outcomes and actions from the imported cohort of the demo unit."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.accounts.demo import create_demo_users
from desist.accounts.models import User
from desist.panels.demo import create_demo_panels
from desist.panels.models import Action
from desist.panels.rules import my_actions
from desist.web.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_demo_panel_has_outcomes_and_actions_for_the_demo_users() -> None:
    create_demo_users("Solihull")
    for _ in range(4):
        MembershipFactory.create(local_authority="Solihull")
    panel = create_demo_panels("Solihull", dt.date(2026, 6, 30))
    assert panel is not None and panel.cases.count() == 4
    assert panel.cases.exclude(decision="").count() == 3
    assert Action.objects.count() == 3
    assert my_actions(User.objects.get(username="police")).count() == 2
    assert create_demo_panels("", dt.date(2026, 6, 30)) is None
