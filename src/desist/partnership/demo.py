"""Demo records for the registers: priorities, indicators and quarterly results, risks,
sharing agreements and SARA problems, modelled on the source reports (no person data).

Targets quoted from a source say so (Wolverhampton 2014: stable employment 45%, stable
accommodation 87%); every result is synthetic, and its note says so.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from desist.partnership.models import (
    Indicator,
    Priority,
    Problem,
    QuarterlyResult,
    Risk,
    SharingAgreement,
)

SYNTHETIC = "Synthetic demo result"


def financial_year(on: date) -> int:
    return on.year if on.month >= 4 else on.year - 1


def completed_quarters(as_of: date, count: int) -> list[tuple[int, int]]:
    """The last ``count`` financial-year quarters (year, quarter) ended before ``as_of``,
    oldest first."""
    year, quarter = financial_year(as_of), (as_of.month - 4) % 12 // 3 + 1
    found = []
    for _ in range(count):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        found.append((year, quarter))
    return found[::-1]


@transaction.atomic
def create_demo_registers(local_authority: str, as_of: date) -> int:
    """Create the demo registers; returns the number of records made."""
    made = 0
    reoffending = Priority.objects.create(
        name="Reducing reoffending",
        strategy="Demo Community Safety Strategy",
        key_outcomes="Reduction in reoffending\nIncrease of offenders achieving stable "
        "employment\nIncrease of offenders moving into stable accommodation",
    )
    Priority.objects.create(
        name="Violence against women and girls",
        strategy="Demo Community Safety Strategy",
        key_outcomes="Increased confidence in reporting\nReduction in repeat offending and "
        "victimisation",
    )
    made += 2
    employment = Indicator.objects.create(
        priority=reoffending,
        name="Stable employment at the end of an order or licence",
        definition="Share of offenders ending an order or licence in the period who are in "
        "stable employment.",
        source="Probation case records (target from the Safer Wolverhampton Partnership, 2014)",
        unit="%",
        target=Decimal("45"),
    )
    accommodation = Indicator.objects.create(
        priority=reoffending,
        name="Stable accommodation at the end of an order or licence",
        definition="Share of offenders ending an order or licence in the period who are in "
        "stable accommodation.",
        source="Probation case records (target from the Safer Wolverhampton Partnership, 2014)",
        unit="%",
        target=Decimal("87"),
    )
    made += 2
    quarters = completed_quarters(as_of, 3)
    for indicator, values in (
        (employment, ("42.0", "44.1", "45.3")),
        (accommodation, ("85.2", "86.4", "86.9")),
    ):
        for (year, quarter), value in zip(quarters, values, strict=True):
            QuarterlyResult.objects.create(
                indicator=indicator,
                year=year,
                quarter=quarter,
                value=Decimal(value),
                note=SYNTHETIC,
            )
            made += 1
    risks = [
        (
            "Funding reductions and organisational change affect the planned programme",
            4,
            4,
            "Task and finish group on joint commissioning; alternative funding explored.",
            as_of + timedelta(days=60),
        ),
        (
            "Low awareness of Prevent and Channel across partners",
            3,
            5,
            "Briefings on the Counter Terrorism Local Profile; training for key staff.",
            as_of - timedelta(days=14),
        ),
        (
            "Contracted drug and alcohol service under-performs",
            3,
            3,
            "Improvement plan with the provider; reported to the board each quarter.",
            as_of + timedelta(days=30),
        ),
        (
            "Loss of co-located IOM hub premises",
            1,
            4,
            "Lease renewed.",
            as_of + timedelta(days=180),
        ),
    ]
    for title, probability, impact, mitigations, review in risks:
        Risk.objects.create(
            title=title,
            priority=reoffending,
            probability=probability,
            impact=impact,
            owner="Partnership board",
            mitigations=mitigations,
            review_date=review,
        )
        made += 1
    agreements = [
        (
            "Gangs and serious group violence ISA",
            as_of - timedelta(days=120),
            as_of + timedelta(days=245),
        ),
        ("IOM ISA", as_of - timedelta(days=3 * 365), as_of - timedelta(days=30)),
        ("Youth offending service ISA", as_of - timedelta(days=150), as_of + timedelta(days=215)),
        ("Overarching community safety partnership ISA", None, as_of + timedelta(days=90)),
    ]
    for name, signed, review in agreements:
        SharingAgreement.objects.create(
            name=name,
            parties="Police\nProbation\nCouncil\nDrug and alcohol service",
            purpose="Sharing what each agency needs to manage the cohort and protect the public",
            lawful_basis=SharingAgreement.LawfulBasis.LAW_ENFORCEMENT,
            signed_on=signed,
            review_date=review,
        )
        made += 1
    area = local_authority or "the demo unit"
    Problem.objects.create(
        title="Youths using cannabis and causing ASB near the local shops",
        area=f"Shopping parade, {area}",
        scanning="Groups of youths outside the shops in the evenings; residents report drug use.",
        scanning_evidence="ASB calls and neighbourhood meeting notes (synthetic).",
        analysis="Same group most evenings; nothing else to do nearby after 6pm.",
        analysis_evidence="Police and youth service records matched (synthetic).",
        response="Engagement project with youth services; graffiti removal scheme.",
        response_evidence="Attendance registers of the project (synthetic).",
        assessment="Calls fell after the project; residents' meeting reported improvement.",
        assessment_evidence="ASB calls before and after (synthetic).",
        status=Problem.Status.CLOSED,
        closed_on=as_of - timedelta(days=20),
    )
    Problem.objects.create(
        title="Vehicle crime around the railway station car park",
        area=f"Station car park, {area}",
        scanning="Thefts from vehicles in the car park, mostly at night.",
        scanning_evidence="Recorded vehicle crime for the last quarter (synthetic).",
    )
    made += 2
    return made
