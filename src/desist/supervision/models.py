"""Licence and order supervision: the order or licence, its conditions, reporting and home
visits, contacts kept or missed, and enforcement (warning letters, breaches, recalls).

DOMAIN.md 10 and the Havering report's "Enforcement and compliance" (seeds): high-risk IOM
nominals report to probation at least weekly and have police home visits at least weekly;
home visits run weekly, fortnightly or monthly; non-compliance is met with warning letters,
breaches and additional licence conditions; a licence breach can lead to recall to prison.
Every model is a case record with its change history (django-simple-history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from desist.accounts.models import Agency
from desist.core.models import TimeStamped
from desist.people.models import Person

HISTORY_EXCLUDED = ["created_on", "modified_on"]


class Frequency(models.TextChoices):
    """How often a person reports or is visited (Havering: weekly, fortnightly, monthly)."""

    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"


class SupervisionOrder(TimeStamped):
    """A court order or a licence after release that the person is supervised under."""

    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence (after release from custody)"
        POST_SENTENCE = "post_sentence_supervision", "Post-sentence supervision"
        COMMUNITY_ORDER = "community_order", "Community order"
        SUSPENDED_SENTENCE = "suspended_sentence_order", "Suspended sentence order"
        YOUTH_REHABILITATION = "youth_rehabilitation_order", "Youth rehabilitation order"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="orders")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(help_text="Expected end of the order or licence")
    responsible_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    reporting_frequency = models.CharField(max_length=12, choices=Frequency.choices)
    visit_frequency = models.CharField(
        "home visit frequency", max_length=12, choices=Frequency.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["person", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d %B %Y}"


class Condition(TimeStamped):
    """A standard or an additional condition of an order or licence, from the date added."""

    class Kind(models.TextChoices):
        STANDARD = "standard", "Standard condition"
        ADDITIONAL = "additional", "Additional condition"

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField("condition")
    added_on = models.DateField("date added")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["added_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.added_on:%d %B %Y}"


class Contact(TimeStamped):
    """A reporting appointment: booked, kept, or missed (with or without an acceptable reason)."""

    class Outcome(models.TextChoices):
        BOOKED = "booked", "Booked (not yet due)"
        KEPT = "kept", "Kept"
        MISSED_ACCEPTABLE = "missed_acceptable", "Missed: acceptable absence"
        MISSED_UNACCEPTABLE = "missed_unacceptable", "Missed: unacceptable absence"

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="contacts")
    appointment_date = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["-appointment_date", "-pk"]

    def __str__(self) -> str:
        return f"Appointment on {self.appointment_date:%d %B %Y}"


class HomeVisit(TimeStamped):
    """A home (or work) visit by the police or probation, and what they found."""

    class Outcome(models.TextChoices):
        SEEN = "seen", "Seen at the address"
        NOT_IN = "not_in", "Not in"
        REFUSED = "refused", "Refused access"
        MOVED = "moved", "No longer lives there"

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField()
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"Home visit on {self.visited_on:%d %B %Y}"


class Enforcement(TimeStamped):
    """Enforcement of an order or licence: a warning letter, a breach, or a recall to prison."""

    class Kind(models.TextChoices):
        WARNING = "warning", "Warning letter"
        BREACH = "breach", "Breach"
        RECALL = "recall", "Recall to prison"

    order = models.ForeignKey(
        SupervisionOrder, on_delete=models.CASCADE, related_name="enforcements"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on = models.DateField("date")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on:%d %B %Y}"
