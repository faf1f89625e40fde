"""Offending history: offences with their outcomes, arrests and custody periods."""

from __future__ import annotations

from django.db import models

from desist.core.models import TimeStamped
from desist.dataset.schema import ARREST_OUTCOMES, CUSTODY_KINDS
from desist.people.models import Person
from desist.reference.models import OffenceGroup, Outcome, Sentence


class Offence(TimeStamped):
    """One offence (a charge), whatever its outcome (``offences`` table)."""

    # Foreign keys to people and reference lists carry no index of their own: the
    # (person, offence_date) index serves look-ups by person, and nothing filters offences by
    # a reference code in SQL (the measures read offences in bulk). Fewer indexes keep bulk
    # imports fast (docs/importing.md).
    source_id = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="offences", db_index=False
    )
    offence_date = models.DateField()
    offence_group = models.ForeignKey(OffenceGroup, on_delete=models.PROTECT, db_index=False)
    offence_code = models.CharField(max_length=20, blank=True)
    domestic_abuse = models.BooleanField(null=True)
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, db_index=False)
    outcome_date = models.DateField(null=True, blank=True)
    sentence = models.ForeignKey(
        Sentence, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    custody_days = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-offence_date"]
        indexes = [models.Index(fields=["person", "offence_date"])]

    def __str__(self) -> str:
        return f"{self.offence_group_id} on {self.offence_date}"


class Arrest(TimeStamped):
    source_id = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="arrests", db_index=False
    )
    arrest_date = models.DateField()
    offence_group = models.ForeignKey(OffenceGroup, on_delete=models.PROTECT, db_index=False)
    outcome = models.CharField(
        max_length=40, blank=True, choices=[(o, o.replace("_", " ")) for o in ARREST_OUTCOMES]
    )

    class Meta:
        ordering = ["-arrest_date"]
        indexes = [models.Index(fields=["person", "arrest_date"])]

    def __str__(self) -> str:
        return f"Arrest for {self.offence_group_id} on {self.arrest_date}"


class CustodyPeriod(TimeStamped):
    """A period in custody (sentence, remand or recall) with the licence that follows it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="custody_periods")
    start_date = models.DateField()
    release_date = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=[(k, k) for k in CUSTODY_KINDS])
    licence_end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "start_date", "kind"], name="custody_period_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} custody from {self.start_date}"
