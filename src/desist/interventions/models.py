"""Requirements and programmes (``interventions`` table), their drug tests, and the annual
targets for starts and completions.

An intervention's lifecycle is referral, assessment, start, (drug tests for a drug
rehabilitation requirement), and an end with an outcome: completed, failed or withdrawn
(``lifecycle`` holds the rules). The import writes the referral, start and end dates and the
status; the forms on a person's record write the rest. Each row keeps its change history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from desist.accounts.models import Agency
from desist.core.models import TimeStamped
from desist.dataset.schema import INTERVENTION_STATUSES
from desist.people.models import Person
from desist.reference.models import InterventionKind


class Intervention(TimeStamped):
    class Assessment(models.TextChoices):
        SUITABLE = "suitable", "Suitable"
        NOT_SUITABLE = "not_suitable", "Not suitable"

    source_id = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interventions")
    kind = models.ForeignKey(InterventionKind, on_delete=models.PROTECT)
    referral_date = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=[(s, s.title()) for s in INTERVENTION_STATUSES]
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    assessment_date = models.DateField(null=True, blank=True)
    assessment = models.CharField(max_length=20, choices=Assessment.choices, blank=True)
    referral_notes = models.TextField(blank=True)
    end_reason = models.TextField(blank=True, help_text="Why it failed or was withdrawn")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["-referral_date"]

    def __str__(self) -> str:
        return f"{self.kind_id} ({self.status})"


class DrugTest(TimeStamped):
    """One drug test taken under a drug rehabilitation requirement, and its result."""

    class Result(models.TextChoices):
        NEGATIVE = "negative", "Negative"
        POSITIVE = "positive", "Positive"
        REFUSED = "refused", "Refused"
        NOT_ATTENDED = "not_attended", "Did not attend"

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="drug_tests"
    )
    test_date = models.DateField()
    result = models.CharField(max_length=20, choices=Result.choices)
    substances = models.CharField(max_length=200, blank=True, help_text="If positive")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["-test_date", "-pk"]

    def __str__(self) -> str:
        return f"Drug test on {self.test_date}: {self.result}"


class Target(TimeStamped):
    """A partnership's target for starts and completions of one kind over one period.

    ``local_authority`` is the unit the target is for; blank means the whole partnership.
    """

    kind = models.ForeignKey(InterventionKind, on_delete=models.PROTECT)
    local_authority = models.CharField(max_length=100, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    starts_target = models.PositiveIntegerField()
    completions_target = models.PositiveIntegerField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-period_start", "kind__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "local_authority", "period_start", "period_end"],
                name="intervention_target_once",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="intervention_target_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_id} target {self.period_start} to {self.period_end}"
