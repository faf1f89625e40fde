"""Cohort memberships in the partnership's schemes, and RAG reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from desist.accounts.models import Agency
from desist.core.models import TimeStamped
from desist.dataset.schema import COHORT_TYPES, RAGS
from desist.people.models import Person
from desist.reference.models import Scheme


class CohortMembership(TimeStamped):
    """A person's membership of one scheme, from adoption to de-selection.

    Cohort types and tiers follow the 2025 National IOM Operational Guidance (Fixed, Flex,
    Free) and the four-tier model of the West Midlands report.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT)
    cohort_type = models.CharField(
        max_length=10, blank=True, choices=[(t, t.title()) for t in COHORT_TYPES]
    )
    tier = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(t, f"Tier {t}") for t in range(1, 5)]
    )
    local_authority = models.CharField(max_length=100, blank=True, db_index=True)
    lead_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    offender_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    start_date = models.DateField(help_text="Adoption date")
    end_date = models.DateField(null=True, blank=True, help_text="De-selection date")
    adoption_reason = models.TextField(blank=True)
    deselection_reason = models.TextField(blank=True)
    current_rag = models.CharField(
        "current RAG",
        max_length=5,
        blank=True,
        default="",
        choices=[(r, r.title()) for r in RAGS],
        help_text="The person's latest RAG review (blank: none yet); kept by desist.cohorts.rag",
    )
    current_rag_date = models.DateField(
        "current RAG review date", null=True, blank=True, help_text="Date of that review"
    )

    # The current RAG is a copy of the latest review, not a case record of its own: the
    # reviews keep its history.
    history = HistoricalRecords(
        excluded_fields=["created_on", "modified_on", "current_rag", "current_rag_date"]
    )

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scheme", "start_date"], name="membership_natural_key"
            )
        ]
        indexes = [
            # The cohort list filtered or sorted by RAG within a unit (docs/supervision.md).
            models.Index(
                fields=["local_authority", "current_rag"],
                name="membership_open_rag",
                condition=models.Q(end_date__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class RagReview(TimeStamped):
    """A Red / Amber / Green risk allocation set at a panel review."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rag_reviews")
    review_date = models.DateField()
    rag = models.CharField(max_length=5, choices=[(r, r.title()) for r in RAGS])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["created_on", "modified_on"])

    class Meta:
        ordering = ["-review_date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "review_date"], name="rag_natural_key")
        ]

    def __str__(self) -> str:
        return f"{self.rag} on {self.review_date}"
