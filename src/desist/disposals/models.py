"""Out of court disposals: community resolutions and conditional cautions with their
conditions, and the Community Remedy chosen with the victim.

Sources: West Midlands Police report (OOCD pathways; a conditional caution's conditions, if
breached, let the suspect be charged for the original offence) and the Solihull scrutiny
report (Community Remedy: rehabilitation, reparation, an anti-social behaviour agreement,
chosen in consultation with the victim). Both are in ``shared/seeds/``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from desist.core.models import TimeStamped
from desist.offending.models import Offence
from desist.people.models import Person


class Kind(models.TextChoices):
    """The two conditional out of court disposals (outcome codes of ``outcomes.csv``)."""

    COMMUNITY_RESOLUTION = "community_resolution", "Community resolution"
    CONDITIONAL_CAUTION = "conditional_caution", "Conditional caution"


class Outcome(models.TextChoices):
    """Where a disposal stands; set from its conditions by ``rules.disposal_outcome``."""

    OPEN = "open", "Open"
    COMPLIED = "complied", "Complied"
    NOT_COMPLIED = "not_complied", "Not complied"
    CHARGED = "charged", "Charged for the original offence"


class Remedy(models.TextChoices):
    """Community Remedy options (Solihull report, paragraphs 30.1 to 33.1)."""

    REHABILITATION = "rehabilitation", "Rehabilitation (for example a victim awareness course)"
    REPARATION = "reparation", "Reparation (community work or repairing the harm)"
    ASB_AGREEMENT = "asb_agreement", "Anti-social behaviour agreement"


class Pathway(models.TextChoices):
    """The OOCD pathways a condition addresses (West Midlands report, paragraph 33)."""

    ALCOHOL = "alcohol", "Alcohol"
    DRUGS = "drugs", "Drugs"
    MENTAL_HEALTH = "mental_health", "Mental health"
    GAMBLING = "gambling", "Gambling"
    DEBT = "debt", "Debt"
    HOMELESSNESS = "homelessness", "Homelessness"
    VICTIM_AWARENESS = "victim_awareness", "Victim awareness"
    REPARATION = "reparation", "Reparation"


class Compliance(models.TextChoices):
    COMPLIED = "complied", "Complied"
    NOT_COMPLIED = "not_complied", "Not complied"


class Disposal(TimeStamped):
    """One out of court disposal given to a person for an offence."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disposals")
    # RESTRICT, not PROTECT: an offence with a disposal cannot be deleted on its own, but the
    # person can be (their disposals and offences go together).
    offence = models.ForeignKey(Offence, on_delete=models.RESTRICT, related_name="disposals")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    disposal_date = models.DateField()
    local_authority = models.CharField(max_length=100, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    remedy = models.CharField(max_length=20, choices=Remedy.choices, blank=True)
    victim_reference = models.CharField(
        max_length=40, blank=True, help_text="A crime or Victim Support reference, never a name"
    )
    victim_view = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["-disposal_date", "-pk"]
        indexes = [models.Index(fields=["outcome", "disposal_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.disposal_date:%d %B %Y}"


class Condition(TimeStamped):
    """A condition of a disposal: what to do on which pathway, by when, and whether done."""

    disposal = models.ForeignKey(Disposal, on_delete=models.CASCADE, related_name="conditions")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    description = models.CharField(max_length=300)
    deadline = models.DateField()
    compliance = models.CharField(max_length=20, choices=Compliance.choices, blank=True)
    compliance_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} condition due {self.deadline:%d/%m/%Y}"
