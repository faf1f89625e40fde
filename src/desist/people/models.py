"""People known to the partnership ("nominals" once managed)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from desist.core.models import TimeStamped
from desist.dataset.schema import SEXES


class Person(TimeStamped):
    """A person from the data set (``people`` table of the canonical format).

    ``source_id`` is the data set's person_id (a PNC ID or a local identifier). It is personal
    data, so pages address a person by the internal ``id`` and never put ``source_id`` in a URL.
    """

    source_id = models.CharField(max_length=64, unique=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=[(s, s) for s in SEXES])
    ethnicity = models.CharField(max_length=60, blank=True)
    local_authority = models.CharField(max_length=100, blank=True, db_index=True)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        return name or f"Person {self.pk}"
