"""Register records for tests (no person data in any of them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from desist.partnership.models import (
    Indicator,
    Priority,
    Problem,
    QuarterlyResult,
    Risk,
    SharingAgreement,
)


class PriorityFactory(DjangoModelFactory[Priority]):
    class Meta:
        model = Priority

    name = factory.Sequence(lambda n: f"Priority {n}")
    strategy = "Community Safety Strategy 2026-29"
    key_outcomes = "Reduction in reoffending\nMore offenders in stable accommodation"


class IndicatorFactory(DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    priority = factory.SubFactory(PriorityFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    definition = "Offenders in stable employment at the end of their order or licence"
    source = "Probation case records"
    unit = "%"
    target = Decimal("45")


class QuarterlyResultFactory(DjangoModelFactory[QuarterlyResult]):
    class Meta:
        model = QuarterlyResult

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2026
    quarter = 1
    value = Decimal("44.7")


class RiskFactory(DjangoModelFactory[Risk]):
    class Meta:
        model = Risk

    title = factory.Sequence(lambda n: f"Risk {n}")
    probability = 3
    impact = 3
    owner = "Partnership board"
    review_date = dt.date(2027, 3, 31)


class SharingAgreementFactory(DjangoModelFactory[SharingAgreement]):
    class Meta:
        model = SharingAgreement

    name = factory.Sequence(lambda n: f"Agreement {n}")
    parties = "Police\nProbation"
    purpose = "Managing the IOM cohort"
    lawful_basis = SharingAgreement.LawfulBasis.LAW_ENFORCEMENT
    signed_on = dt.date(2025, 6, 1)
    review_date = dt.date(2027, 6, 1)


class ProblemFactory(DjangoModelFactory[Problem]):
    class Meta:
        model = Problem

    title = factory.Sequence(lambda n: f"Problem {n}")
    area = "Elmdon"
    scanning = "Youths using cannabis outside the shops"
    scanning_evidence = "42 ASB calls in three months"
