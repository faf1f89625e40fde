"""Restorative justice: referrals through the pipeline to a conference, their outcomes and
the victim's satisfaction; the register of trained facilitators.

Source: the Herefordshire community safety update (``shared/seeds/``): Victim Support
notifications referred back to the officer in the case; Level 1 (informal, "on street", a
Level 1 trained officer) and Level 2 (a conference, "Level 2 trained facilitator to be in
attendance"); the counts of referrals, victims offered a restorative process, victims
contacted by a trained facilitator and Level 2 meetings held; facilitators trained among
police officers and care-home staff. Victims are recorded by a reference only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from desist.core.models import TimeStamped
from desist.people.models import Person


class Level(models.IntegerChoices):
    ONE = 1, "Level 1 (informal)"
    TWO = 2, "Level 2 (conference)"


class Stage(models.TextChoices):
    """The pipeline, in order: a case moves forward one stage at a time."""

    NOTIFIED = "notified", "Notified"
    REFERRED = "referred", "Referred"
    VICTIM_OFFERED = "victim_offered", "Victim offered a restorative process"
    VICTIM_CONTACTED = "victim_contacted", "Victim contacted by a facilitator"
    CONFERENCE_HELD = "conference_held", "Conference held"


class Source(models.TextChoices):
    VICTIM_SUPPORT = "victim_support", "Victim Support notification"
    OFFICER = "officer", "Officer referral"


class Satisfaction(models.IntegerChoices):
    """The victim's satisfaction with the restorative process: a fixed five-point scale (a
    local choice, documented in docs/restorative-justice.md)."""

    VERY_SATISFIED = 5, "Very satisfied"
    FAIRLY_SATISFIED = 4, "Fairly satisfied"
    NEITHER = 3, "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = 2, "Fairly dissatisfied"
    VERY_DISSATISFIED = 1, "Very dissatisfied"


class ClosedReason(models.TextChoices):
    VICTIM_DECLINED = "victim_declined", "The victim declined"
    OFFENDER_DECLINED = "offender_declined", "The person responsible declined"
    NOT_SUITABLE = "not_suitable", "Not suitable for a restorative process"


class FacilitatorKind(models.TextChoices):
    POLICE_OFFICER = "police_officer", "Police officer"
    IOM_OFFICER = "iom_officer", "IOM officer"
    CARE_HOME_STAFF = "care_home_staff", "Care home staff"
    YOUTH_JUSTICE = "youth_justice", "Youth justice staff"
    VICTIM_SUPPORT = "victim_support", "Victim Support staff"
    OTHER = "other", "Other"


class Facilitator(TimeStamped):
    """A member of staff trained in restorative justice, at their highest level (a Level 2
    facilitator has done the Level 1 foundation training first)."""

    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=FacilitatorKind.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    trained_on = models.DateField()
    local_authority = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation}, level {self.level})"


class RestorativeCase(TimeStamped):
    """One restorative justice case: the person responsible for the harm and a victim,
    known here only by a reference."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="restorative_cases")
    victim_reference = models.CharField(
        max_length=40, help_text="A crime or Victim Support reference, never a name"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    local_authority = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    notified_on = models.DateField()
    referred_on = models.DateField(null=True, blank=True)
    victim_offered_on = models.DateField(null=True, blank=True)
    victim_contacted_on = models.DateField(null=True, blank=True)
    conference_held_on = models.DateField(null=True, blank=True)
    facilitator = models.ForeignKey(
        Facilitator, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    outcome_agreed = models.TextField(blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        choices=Satisfaction.choices, null=True, blank=True
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=20, choices=ClosedReason.choices, blank=True)
    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["-notified_on", "-pk"]
        indexes = [models.Index(fields=["notified_on"])]

    def __str__(self) -> str:
        return f"Restorative justice case {self.victim_reference} ({self.get_level_display()})"
