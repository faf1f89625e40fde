"""Demo records for out of court disposals: conditional cautions and community resolutions
of people in the demo unit's cohort, with conditions in each state (synthetic only)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.disposals import rules, service
from desist.disposals.models import Disposal
from desist.offending.models import Offence
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
    offences = Offence.objects.filter(person__in=visible_people(officer))
    made: list[Disposal] = []
    for kind, days_ago, remedy, view, conditions in PLANS:
        given = as_of - timedelta(days=days_ago)
        # An offence of someone not yet given one, that the form would offer for this kind
        # (``rules.offence_problem``), committed by the day of the disposal.
        offence = (
            service.offences_open_to_disposal(offences)
            .filter(outcome_id__in=(rules.PENDING, kind), offence_date__lte=given)
            .exclude(person__in=[d.person_id for d in made])
            .order_by("person_id", "-offence_date")
            .first()
        )
        if offence is not None:
            made.append(_disposal(offence, officer, given, as_of, kind, remedy, view, conditions))
    return made


def _disposal(
    offence: Offence,
    officer: User,
    given: date,
    as_of: date,
    kind: str,
    remedy: str,
    view: str,
    conditions: tuple[tuple[str, str, int, str, int], ...],
) -> Disposal:
    person = offence.person
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
    # Every condition is set on the day, then compliance comes in (a disposal whose
    # conditions are all met is settled and takes no more).
    added = [
        service.add_condition(
            disposal,
            officer,
            None,
            {
                "pathway": pathway,
                "description": description,
                "deadline": given + timedelta(days=deadline),
            },
        )
        for pathway, description, deadline, _, _ in conditions
    ]
    for condition, (_, _, _, compliance, after) in zip(added, conditions, strict=True):
        if compliance:
            on = min(given + timedelta(days=after), as_of)
            service.record_compliance(condition, officer, None, compliance, on)
    disposal.refresh_from_db()
    return disposal
