"""Needs assessed on the seven resettlement pathways, with the plan to meet them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from desist.core.models import TimeStamped
from desist.people.models import Person
from desist.reference.models import Pathway


class PathwayNeed(TimeStamped):
    class Level(models.TextChoices):
        NONE = "none", "No need"
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        CLOSED = "closed", "Closed, not met"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pathway_needs")
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT)
    level = models.CharField(max_length=10, choices=Level.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    plan = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["pathway__label", "-assessed_on"]

    def __str__(self) -> str:
        return f"{self.pathway_id}: {self.level}"
