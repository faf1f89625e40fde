"""Referrals of vulnerable people to a receiving service, and the directory of services it
signposts them to (Safer Solihull Partnership 2015: the vulnerability portal and the Linking
People Service with its "over 250 third sector and statutory services")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from desist.accounts.models import Agency
from desist.core.models import TimeStamped
from desist.people.models import Person
from desist.reference import lists
from desist.referrals import rules

OTHER = "other"


def kind_choices() -> list[tuple[str, str]]:
    """The seven resettlement pathways and "other" (befriending, bereavement...)."""
    return [*lists.choices(lists.pathways()), (OTHER, "Other support")]


class Service(TimeStamped):
    """A support service people can be signposted to."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=kind_choices())
    area = models.CharField(max_length=100, blank=True, help_text="Empty for every area")
    contact = models.CharField(max_length=300, help_text="Telephone, email or address")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Referral(TimeStamped):
    """A referral of a vulnerable person by an officer to a receiving service.

    The person is a nominal (``person``) or someone not on the cohort, known by the minimal
    details the officer gives (``subject_*``). The receiving service triages need, risk and
    priority, records its first contact, signposts and records the outcome.
    """

    class Consent(models.TextChoices):
        GIVEN = "given", "Given: the person agreed to be referred"
        NOT_GIVEN = (
            "not_given",
            "Not given: referred without consent to protect them or others",
        )

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Priority(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"

    class Outcome(models.TextChoices):
        SUPPORTED = "supported", "Supported by the service"
        SIGNPOSTED = "signposted", "Signposted to other services"
        DECLINED = "declined", "Declined support"
        NO_CONTACT = "no_contact", "Could not be contacted"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    subject_name = models.CharField(max_length=200, blank=True)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    subject_area = models.CharField(max_length=200, blank=True)
    local_authority = models.CharField(max_length=100, blank=True, db_index=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    referring_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receiving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_received"
    )
    referred_on = models.DateField()
    concern = models.TextField()
    consent = models.CharField(max_length=10, choices=Consent.choices)
    need = models.CharField(max_length=40, blank=True, choices=kind_choices())
    risk = models.CharField(max_length=10, blank=True, choices=Risk.choices)
    priority = models.CharField(max_length=10, blank=True, choices=Priority.choices)
    triaged_on = models.DateField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_contact_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True, choices=Outcome.choices)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["receiving_agency", "referred_on"])]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.receiving_agency}"

    @property
    def name(self) -> str:
        """Who was referred, as the receiving service sees them."""
        if self.person is not None:
            return f"{self.person.given_name} {self.person.family_name}".strip()
        return self.subject_name

    @property
    def status(self) -> rules.Status:
        return rules.referral_status(
            self.triaged_on is not None, self.first_contact_on, self.outcome
        )

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def days_to_first_contact(self) -> int | None:
        return rules.days_to_first_contact(self.referred_on, self.first_contact_on)


class Signpost(TimeStamped):
    """A service from the directory that the receiving service pointed the person to."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="signposts")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="signposts")
    signposted_on = models.DateField()
    signposted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["signposted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "service"], name="signpost_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} for referral {self.referral_id}"
