"""Scores saved to the case database, so that the web pages show each score with its breakdown.

A ``ScoreRun`` is one scoring of everybody on an as-of date (the matrix with one settings
version, or OGRS3 with one coefficient profile); a ``PersonScore`` is one person's score in it,
with its components and, for the matrix, every point's origin. Runs are kept, never
overwritten, so that a past selection can be shown as it was made.
"""

from __future__ import annotations

from django.db import models

from desist.core.models import TimeStamped
from desist.people.models import Person


class ScoreRun(TimeStamped):
    """One scoring run: what was scored, as of when, with which settings."""

    KINDS = [("matrix", "Selection matrix"), ("ogrs3", "OGRS3"), ("model", "Learned model")]

    kind = models.CharField(max_length=10, choices=KINDS)
    as_of = models.DateField()
    settings_name = models.CharField(max_length=200, blank=True)
    settings_version = models.CharField(max_length=50, blank=True)
    settings_fingerprint = models.CharField(max_length=64, blank=True)
    settings_effective_date = models.DateField(
        null=True, blank=True, help_text="When the matrix settings version took effect."
    )
    basis = models.CharField(
        max_length=300, blank=True, help_text="For example 'local choice' for the matrix."
    )
    source = models.CharField(max_length=300, blank=True, help_text="Data set or database.")
    people_scored = models.PositiveIntegerField(default=0)
    people_not_found = models.PositiveIntegerField(
        default=0, help_text="Scored people with no record in the case database."
    )

    class Meta:
        ordering = ["-as_of", "-created_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} as of {self.as_of} (v{self.settings_version})"


class PersonScore(models.Model):
    """One person's score in a run, with the components and the breakdown behind it."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="scores")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="scores")
    score = models.FloatField(help_text="Matrix points, or a probability for OGRS3 and models.")
    grade = models.CharField(max_length=20, blank=True, help_text="Matrix grade or OASys band.")
    components = models.JSONField(default=dict, help_text="Points (or terms) by component.")
    breakdown = models.JSONField(
        default=list, help_text="Every point's origin: component, record, date, group, points."
    )
    indicative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="one_score_per_run")]

    def __str__(self) -> str:
        return f"{self.score:g} ({self.run})"
