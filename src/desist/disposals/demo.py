"""Demo records for out of court disposals: conditional cautions and community resolutions
of people in the demo unit's cohort, with conditions in each state (synthetic only)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.disposals import service
from desist.disposals.models import Disposal
from desist.offending.models import Offence
from desist.people.models import Person
from desist.web.querysets import visible_people

#: (kind, days before as_of, community remedy, victim view, conditions), each condition
#: (pathway, description, deadline in days after the disposal, compliance, days after).
PLANS: tuple[tuple[str, int, str, str, tuple[tuple[str, str, int, str, int], ...]], ...] = (
    (
        "conditional_caution",
        120,
        "",
        "",
        (
            ("alcohol", "Attend a two-session alcohol diversion course", 42, "complied", 30),
            ("victim_awareness", "Complete the victim awareness course", 56, "complied", 50),
        ),
    ),
    (
        "conditional_caution",
        90,
        "",
        "",
        (("drugs", "Attend an assessment at the recovery service", 28, "not_complied", 29),),
    ),
    (
        "conditional_caution",
        40,
        "",
        "",
        (
            ("debt", "Attend a debt advice appointment", 21, "", 0),
            ("gambling", "Attend a gambling support session", 60, "", 0),
        ),
    ),
    (
        "community_resolution",
        70,
        "reparation",
        "Wants the damage to the bus shelter put right; does not want to meet.",
        (("reparation", "Four hours of work with the parks team", 30, "complied", 20),),
    ),
    (
        "community_resolution",
        20,
        "rehabilitation",
        "Agreed: would like the person to understand the effect on the shop's staff.",
        (("victim_awareness", "Complete the victim awareness course", 45, "", 0),),
    ),
)


@transaction.atomic
def create_demo_disposals(local_authority: str, as_of: date) -> list[Disposal]:
    """Five disposals recorded by the demo police officer for people in the unit's cohort:
    one complied, one breached and charged, one with an overdue condition, and two
    community resolutions with a Community Remedy and the victim's view."""
    officer = User.objects.filter(role=Role.POLICE_OFFENDER_MANAGER, username="police").first()
    if officer is None or not local_authority:
        return []
    people = list(
        visible_people(officer)
        .filter(offences__isnull=False)
        .distinct()
        .order_by("pk")[: len(PLANS)]
    )
    made = []
    for person, (kind, days_ago, remedy, view, conditions) in zip(people, PLANS, strict=False):
        made.append(_disposal(person, officer, as_of, kind, days_ago, remedy, view, conditions))
    return made


def _disposal(
    person: Person,
    officer: User,
    as_of: date,
    kind: str,
    days_ago: int,
    remedy: str,
    view: str,
    conditions: tuple[tuple[str, str, int, str, int], ...],
) -> Disposal:
    given = as_of - timedelta(days=days_ago)
    offence = (
        Offence.objects.filter(person=person, offence_date__lte=given)
        .order_by("-offence_date")
        .first()
        or Offence.objects.filter(person=person).order_by("offence_date").first()
    )
    assert offence is not None
    given = max(given, offence.offence_date)
    disposal = service.record_disposal(
        person,
        officer,
        None,
        {
            "offence": offence,
            "kind": kind,
            "disposal_date": given,
            "remedy": remedy,
            "victim_reference": f"SYN-VS-{person.pk:06d}" if view else "",
            "victim_view": view,
        },
    )
    for pathway, description, deadline, compliance, after in conditions:
        condition = service.add_condition(
            disposal,
            officer,
            None,
            {
                "pathway": pathway,
                "description": description,
                "deadline": given + timedelta(days=deadline),
            },
        )
        if compliance:
            on = min(given + timedelta(days=after), as_of)
            service.record_compliance(condition, officer, None, compliance, on)
    disposal.refresh_from_db()
    return disposal
