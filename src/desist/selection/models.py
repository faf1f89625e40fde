"""Selection decisions: what was decided about a cohort proposal, by whom, why, on what score.

Each adoption, and each override of the score (adopting someone not proposed, or declining
someone proposed), is one ``SelectionDecision`` holding the score, grade and components at the
time, the matrix settings version and fingerprint and the selection criteria version, so that
a past selection can be reproduced (re-run the matrix with the same settings and date) and
reviewed. Decisions are kept, never edited; an adoption points at the membership it created.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from desist.cohorts.models import CohortMembership
from desist.core.models import TimeStamped
from desist.people.models import Person
from desist.reference.models import Scheme


class SelectionDecision(TimeStamped):
    """One decision on one person for one scheme, with the proposal as it stood."""

    class Decision(models.TextChoices):
        ADOPTED = "adopted", "Adopted as proposed"
        ADOPTED_OVERRIDE = "adopted_override", "Adopted although not proposed (override)"
        DECLINED = "declined", "Declined although proposed (override)"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="selection_decisions")
    proposal_scheme = models.CharField(
        max_length=40, db_index=True, help_text="Scheme code of the selection criteria."
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, help_text="The scheme a membership would be of."
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(max_length=300, help_text="Kept if the user goes.")
    local_authority = models.CharField(max_length=100, blank=True, db_index=True)
    as_of = models.DateField(help_text="The date the proposals were made as of.")
    proposed = models.BooleanField(help_text="Whether the person was proposed for the scheme.")
    rank = models.PositiveIntegerField(null=True, blank=True, help_text="Rank among proposals.")
    score = models.FloatField(help_text="Matrix score at the time.")
    grade = models.CharField(max_length=20, blank=True)
    components = models.JSONField(default=dict, help_text="Matrix points by component.")
    settings_version = models.CharField(max_length=50)
    settings_fingerprint = models.CharField(max_length=64, blank=True)
    criteria_version = models.CharField(max_length=50)
    reasons = models.TextField(blank=True, help_text="Why the person was proposed, if they were.")
    flags = models.TextField(blank=True, help_text="Flags shown with the proposal.")
    membership = models.ForeignKey(
        CohortMembership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["-created_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.proposal_scheme} on {self.as_of}"

    @property
    def is_override(self) -> bool:
        return self.decision != self.Decision.ADOPTED
