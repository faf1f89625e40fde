"""The partnership's registers: strategic priorities and their indicators, the risk register,
information sharing agreements and SARA problem-solving records.

None of them holds personal data: they are the partnership's governance (Safer Wolverhampton
Partnership 2014: priorities, key outcomes, quarterly monitoring, risk matrix; Havering 2017:
information sharing agreements with sign-off and review dates; Safer Solihull Partnership
2015: SARA). Every record keeps its change history (django-simple-history).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from desist.core.models import TimeStamped
from desist.partnership import rules

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def figure(value: Decimal | None, unit: str = "") -> str:
    """A figure as people write it: 45.5%, 12, no trailing zeros; empty for no figure."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return f"{text}{unit}" if unit in {"", "%"} else f"{text} {unit}"


class Priority(TimeStamped):
    """A strategic priority of the partnership's strategy, with its key outcomes."""

    name = models.CharField(max_length=200)
    strategy = models.CharField(
        max_length=200, blank=True, help_text="The strategy that sets it, with its years"
    )
    key_outcomes = models.TextField(blank=True, help_text="One key outcome a line")

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.name

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.key_outcomes.splitlines() if line.strip()]


class Indicator(TimeStamped):
    """A measure of progress on a priority, with its definition, source and target."""

    class Direction(models.TextChoices):
        HIGHER = rules.Direction.HIGHER, "Higher is better"
        LOWER = rules.Direction.LOWER, "Lower is better"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted, and how")
    source = models.CharField(max_length=300, help_text="Where the figures come from")
    unit = models.CharField(max_length=20, blank=True, help_text="For example, % or offences")
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["priority__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def target_display(self) -> str:
        return figure(self.target, self.unit)


class QuarterlyResult(TimeStamped):
    """The indicator's value for one quarter of a financial year (April to March)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results")
    year = models.PositiveSmallIntegerField(help_text="The year the financial year starts")
    quarter = models.PositiveSmallIntegerField(
        choices=[(q, f"Q{q}") for q in range(1, 5)],
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["indicator", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="one_result_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_label}"

    @property
    def value_display(self) -> str:
        return figure(self.value, self.indicator.unit)

    @property
    def period_label(self) -> str:
        return f"Q{self.quarter} {self.year}/{(self.year + 1) % 100:02d}"

    @property
    def ends_on(self) -> date:
        return quarter_end(self.year, self.quarter)

    @property
    def status(self) -> rules.TargetStatus:
        return rules.target_status(self.value, self.indicator.target, self.indicator.direction)


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter of the financial year starting in April of ``year``."""
    month = 3 + 3 * quarter  # Q1 ends in June, Q4 in March of the next year
    if month > 12:
        return date(year + 1, month - 12, 31)
    return date(year, month, 30 if month in (6, 9) else 31)


class RiskThresholds(TimeStamped):
    """Where amber and red start on the risk register's score scale: a setting kept as data.

    The newest row is in force; a change adds a row, so the history of the setting stays.
    """

    amber_from = models.PositiveSmallIntegerField(default=rules.AMBER_FROM)
    red_from = models.PositiveSmallIntegerField(default=rules.RED_FROM)
    changed_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_on", "-pk"]
        verbose_name_plural = "risk thresholds"

    def __str__(self) -> str:
        return f"Amber from {self.amber_from}, red from {self.red_from}"

    def as_rule(self) -> rules.Thresholds:
        return rules.Thresholds(amber_from=self.amber_from, red_from=self.red_from)


def current_thresholds() -> rules.Thresholds:
    """The thresholds in force: the newest setting, or the defaults if none was ever saved."""
    latest = RiskThresholds.objects.order_by("-created_on", "-pk").first()
    return latest.as_rule() if latest else rules.DEFAULT_THRESHOLDS


class Risk(TimeStamped):
    """A risk to delivering the strategy, scored on probability and impact."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="risks"
    )
    probability = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    owner = models.CharField(max_length=200, help_text="A role or a group, for example SWP Board")
    mitigations = models.TextField(blank=True)
    review_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["review_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return rules.risk_score(self.probability, self.impact)


class SharingAgreement(TimeStamped):
    """An information sharing agreement (ISA): who shares what, why, on what lawful basis."""

    class LawfulBasis(models.TextChoices):
        LAW_ENFORCEMENT = (
            "dpa_part3",
            "Law enforcement processing (Data Protection Act 2018, Part 3, section 35)",
        )
        PUBLIC_TASK = "public_task", "Public task (UK GDPR Article 6(1)(e))"
        LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (UK GDPR Article 6(1)(c))"
        CRIME_DISORDER = (
            "cda_s115",
            "Crime and Disorder Act 1998, section 115 (power to share)",
        )
        CONSENT = "consent", "Consent (UK GDPR Article 6(1)(a))"

    name = models.CharField(max_length=200)
    parties = models.TextField(help_text="One party a line")
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    signed_on = models.DateField(null=True, blank=True, help_text="Empty until it is signed off")
    review_date = models.DateField()

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["review_date", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def party_list(self) -> list[str]:
        return [line.strip() for line in self.parties.splitlines() if line.strip()]


class Problem(TimeStamped):
    """A SARA problem-solving record for a problem place or group.

    Each stage has what was done and its evidence; ``close`` is refused while a stage is
    missing (``rules.missing_stages``).
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=300)
    area = models.CharField(max_length=200, blank=True, help_text="The place or neighbourhood")
    scanning = models.TextField(blank=True, help_text="The problem, defined clearly")
    scanning_evidence = models.TextField(blank=True)
    analysis = models.TextField(blank=True, help_text="What causes it, in detail")
    analysis_evidence = models.TextField(blank=True)
    response = models.TextField(blank=True, help_text="What was done, and by whom")
    response_evidence = models.TextField(blank=True)
    assessment = models.TextField(blank=True, help_text="Whether the response solved it")
    assessment_evidence = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["status", "-created_on"]

    def __str__(self) -> str:
        return self.title

    def stages(self) -> dict[str, tuple[str, str]]:
        return {
            code: (getattr(self, code), getattr(self, f"{code}_evidence"))
            for code, _ in rules.SARA_STAGES
        }

    @property
    def missing_stages(self) -> list[str]:
        return rules.missing_stages(self.stages())


def latest_result(indicator: Indicator, on_or_before: date | None = None) -> QuarterlyResult | None:
    """The indicator's most recent quarterly result (ending on or before a date, if given)."""
    results = sorted(indicator.results.all(), key=lambda r: (r.year, r.quarter), reverse=True)
    for result in results:
        if on_or_before is None or result.ends_on <= on_or_before:
            return result
    return None
