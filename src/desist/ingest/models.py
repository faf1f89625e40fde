"""A record of each import: what was loaded, when, and what changed."""

from __future__ import annotations

from django.db import models


class ImportRun(models.Model):
    """One run of ``desist import``, written in the same transaction as the data it loaded."""

    folder = models.TextField()
    started_on = models.DateTimeField()
    finished_on = models.DateTimeField()
    inserted = models.JSONField(default=dict, help_text="Rows inserted, by table")
    updated = models.JSONField(default=dict, help_text="Rows changed, by table")
    unchanged = models.JSONField(default=dict, help_text="Rows already up to date, by table")
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"Import of {self.folder} at {self.started_on:%Y-%m-%d %H:%M}"
