"""Demo records for restorative justice: a register of trained facilitators (police
officers, care-home staff, an IOM officer) and cases at every stage of the pipeline, for
people in the demo unit's cohort (synthetic only)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.restorative import rules, service
from desist.restorative.models import Facilitator, RestorativeCase
from desist.web.querysets import visible_people

#: (name, organisation, kind, level); synthetic names.
FACILITATORS: tuple[tuple[str, str, str, int], ...] = (
    ("PC Avery Demo", "Demo Police", "police_officer", 2),
    ("PC Blake Demo", "Demo Police", "police_officer", 2),
    ("PC Casey Demo", "Demo Police", "police_officer", 1),
    ("PC Drew Demo", "Demo Police", "police_officer", 1),
    ("PC Ellis Demo", "Demo Police", "police_officer", 1),
    ("Frankie Demo", "Demo Care Homes Ltd", "care_home_staff", 2),
    ("Gray Demo", "Demo Care Homes Ltd", "care_home_staff", 1),
    ("Harper Demo", "Demo Care Homes Ltd", "care_home_staff", 1),
    ("Indy Demo", "Demo Police IOM team", "iom_officer", 2),
)

#: (source, level, days before as_of it was received, stages reached after the first,
#: closed reason, satisfaction).
CASES: tuple[tuple[str, int, int, int, str, int | None], ...] = (
    ("victim_support", 2, 150, 4, "", 5),
    ("victim_support", 2, 120, 4, "", 4),
    ("officer", 1, 100, 3, "", 5),
    ("victim_support", 2, 90, 3, "", None),
    ("victim_support", 2, 80, 2, "victim_declined", None),
    ("victim_support", 1, 60, 1, "", None),
    ("officer", 2, 45, 1, "", None),
    ("victim_support", 2, 30, 0, "", None),
    ("victim_support", 1, 20, 0, "not_suitable", None),
    ("officer", 1, 10, 0, "", None),
)


@transaction.atomic
def create_demo_restorative(local_authority: str, as_of: date) -> list[RestorativeCase]:
    """The facilitator register and ten cases recorded by the demo police officer."""
    officer = User.objects.filter(role=Role.POLICE_OFFENDER_MANAGER, username="police").first()
    if officer is None or not local_authority:
        return []
    facilitators = [
        Facilitator.objects.create(
            name=name,
            organisation=organisation,
            kind=kind,
            level=level,
            trained_on=as_of - timedelta(days=400),
            local_authority=local_authority,
        )
        for name, organisation, kind, level in FACILITATORS
    ]
    level_two = next(f for f in facilitators if f.level == 2)
    people = list(visible_people(officer).order_by("-pk")[: len(CASES)])
    made = []
    for number, (person, plan) in enumerate(zip(people, CASES, strict=False), start=1):
        source, level, days_ago, steps, closed, satisfaction = plan
        received = as_of - timedelta(days=days_ago)
        case = service.create_case(
            officer,
            None,
            {
                "person": person,
                "source": source,
                "level": level,
                "victim_reference": f"SYN-RJ-{number:04d}",
                "received_on": received,
            },
        )
        on = received
        while steps and (stage := rules.next_stage(case.stage)) is not None:
            on = min(on + timedelta(days=7), as_of)
            chosen = level_two if stage in rules.NEEDS_FACILITATOR else None
            service.advance(case, officer, None, stage, on, chosen)
            steps -= 1
        if case.stage == "conference_held":
            case.outcome_agreed = "An apology, and an agreement to repair the damage."
            case.satisfaction = satisfaction
            service.record_outcome(case, officer, None)
        if closed:
            service.close(case, officer, None, closed, min(on + timedelta(days=3), as_of))
        made.append(case)
    return made
