"""Requirements, courses and disposals with conditions (``interventions`` table)."""

from __future__ import annotations

from django.db import models

from desist.accounts.models import Agency
from desist.core.models import TimeStamped
from desist.dataset.schema import INTERVENTION_STATUSES
from desist.people.models import Person
from desist.reference.models import InterventionKind


class Intervention(TimeStamped):
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

    class Meta:
        ordering = ["-referral_date"]

    def __str__(self) -> str:
        return f"{self.kind_id} ({self.status})"
