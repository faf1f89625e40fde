"""Multi-agency panel meetings, the cases they discuss, and the actions they agree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from desist.accounts.models import Agency
from desist.core.models import TimeStamped
from desist.people.models import Person


class Panel(TimeStamped):
    """One meeting of a panel (IOM, MAPPA, DIP or ASB) of a local unit."""

    class Kind(models.TextChoices):
        IOM = "iom", "IOM panel"
        MAPPA = "mappa", "MAPPA meeting"
        DIP = "dip", "Drug intervention panel"
        ASB = "asb", "Anti-social behaviour panel"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    meeting_date = models.DateField()
    local_authority = models.CharField(max_length=100, blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="panels")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-meeting_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.meeting_date:%d %B %Y}"


class PanelCase(TimeStamped):
    """A person on a panel's agenda and what the panel decided about them."""

    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt"
        CONTINUE = "continue", "Continue"
        DESELECT = "deselect", "De-select"
        ESCALATE = "escalate", "Escalate"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="cases")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="panel_cases")
    reasons = models.CharField(max_length=200, blank=True, help_text="Why on the agenda")
    events = models.TextField(blank=True, help_text="Events since the last panel, one a line")
    other_cohorts = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    rag = models.CharField(max_length=5, blank=True)
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    deselection_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["person__family_name", "person__given_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["panel", "person"], name="panel_case_once")]

    def __str__(self) -> str:
        return f"Person {self.person_id} at {self.panel}"

    @property
    def is_recorded(self) -> bool:
        return bool(self.decision)


class Action(TimeStamped):
    """Something a panel asked an agency (and perhaps one of its staff) to do by a date."""

    panel_case = models.ForeignKey(
        PanelCase, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["agency", "completed_on", "due_date"])]

    def __str__(self) -> str:
        return f"Action for {self.agency} due {self.due_date}"
