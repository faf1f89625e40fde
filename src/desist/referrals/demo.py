"""Demo records for referrals: a directory of services and referrals by the demo police
officer to the demo housing and recovery services, at every stage (synthetic only: the
nominals are people the demo import created)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from desist.accounts.models import User
from desist.referrals.models import Referral, Service, Signpost
from desist.web.querysets import visible_people

SERVICES = (
    ("Demo befriending service", "other", "Visits and calls for people living alone"),
    ("Demo debt advice line", "finance_benefit_debt", "Free advice on debt and benefits"),
    ("Demo supported housing", "accommodation", "Supported flats for up to two years"),
    ("Demo recovery drop-in", "drugs_alcohol", "Open access drug and alcohol support"),
    ("Demo employment support", "education_training_employment", "Help into work and training"),
    ("Demo mental health crisis line", "health", "Support in a mental health crisis"),
)

#: (days before as_of, receiving agency user, nominal?, days to first contact, outcome)
PLAN = (
    (60, "housing", True, 2, Referral.Outcome.SIGNPOSTED),
    (52, "recovery", True, 5, Referral.Outcome.SUPPORTED),
    (45, "housing", False, 1, Referral.Outcome.SUPPORTED),
    (40, "recovery", False, 9, Referral.Outcome.DECLINED),
    (30, "housing", True, 3, None),
    (21, "recovery", False, 14, None),
    (12, "housing", False, None, None),
    (5, "recovery", True, None, None),
    (2, "housing", False, None, None),
)


@transaction.atomic
def create_demo_referrals(local_authority: str, as_of: date) -> int:
    """Create the directory and the referrals; returns the number of referrals made."""
    officer = User.objects.filter(username="police").first()
    workers = {u.username: u for u in User.objects.filter(username__in=["housing", "recovery"])}
    if officer is None or len(workers) < 2 or any(w.agency is None for w in workers.values()):
        return 0
    services = [
        Service.objects.create(
            name=name,
            kind=kind,
            area=local_authority,
            contact="0300 000 0000 (demo)",
            description=description,
        )
        for name, kind, description in SERVICES
    ]
    people = list(visible_people(officer).order_by("pk")[:4])
    made = 0
    for number, (days_ago, receiver, nominal, contact_days, outcome) in enumerate(PLAN):
        worker = workers[receiver]
        assert worker.agency is not None
        referred_on = as_of - timedelta(days=days_ago)
        person = people.pop(0) if nominal and people else None
        referral = Referral.objects.create(
            person=person,
            subject_name="" if person else f"Demo Resident {number + 1}",
            subject_area="" if person else local_authority,
            local_authority=officer.local_authority,
            referred_by=officer,
            referring_agency=officer.agency,
            receiving_agency=worker.agency,
            referred_on=referred_on,
            concern="Lives alone and is repeatedly targeted by callers (synthetic demo concern).",
            consent=Referral.Consent.GIVEN if number % 3 else Referral.Consent.NOT_GIVEN,
        )
        if contact_days is not None:
            referral.need = "accommodation" if receiver == "housing" else "drugs_alcohol"
            referral.risk = Referral.Risk.MEDIUM if number % 2 else Referral.Risk.HIGH
            referral.priority = (
                Referral.Priority.URGENT if number % 2 else Referral.Priority.ROUTINE
            )
            referral.triaged_on = referred_on
            referral.triaged_by = worker
            referral.first_contact_on = referred_on + timedelta(days=contact_days)
        if outcome is not None:
            referral.outcome = outcome
            referral.outcome_on = referred_on + timedelta(days=(contact_days or 0) + 7)
            Signpost.objects.create(
                referral=referral,
                service=services[number % len(services)],
                signposted_on=referral.outcome_on,
                signposted_by=worker,
            )
        referral.save()
        made += 1
    return made
