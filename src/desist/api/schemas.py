"""What the API reads and writes, as Ninja schemas (they make the OpenAPI document).

Filter values are checked here, so a bad value is a 422 naming the field; the people
behind the values are checked by the endpoints (``permissions``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

RagCode = Literal["red", "amber", "green"]
RagFilter = Literal["red", "amber", "green", "none"]
CohortType = Literal["fixed", "flex", "free"]
SortKey = Literal[
    "name",
    "date_of_birth",
    "scheme",
    "cohort_type",
    "tier",
    "local_authority",
    "rag",
    "offender_manager",
    "start_date",
]
Tier = Annotated[int, Field(ge=1, le=4)]
MAX_PAGE_SIZE = 100


class Message(Schema):
    detail: str


class FieldProblem(Schema):
    field: str
    message: str


class Problems(Schema):
    """Why a change was refused: one message per field, as on the form."""

    detail: list[FieldProblem]


class Paging(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Rows per page")


class CohortFilterQuery(Paging):
    """The cohort list's filters, by code (no names: they stay out of addresses)."""

    scheme: list[str] = Field([], description="Scheme codes, e.g. ppo")
    cohort_type: list[CohortType] = []
    tier: list[Tier] = Field([], description="Tiers 1 to 4")
    rag: list[RagFilter] = Field([], description="Latest RAG; 'none' for never reviewed")
    local_authority: list[str] = Field([], description="Local authority of the membership")
    mine: bool = Field(False, description="Only people whose offender manager is you")


class MembershipQuery(CohortFilterQuery):
    sort: SortKey = "name"
    order: Literal["asc", "desc"] = "asc"


class PeopleSearch(CohortFilterQuery):
    """A search by name or date of birth, sent as a POST body so that it is never in a URL."""

    q: str = Field(..., min_length=1, max_length=100, description="e.g. Smith or 31/12/1990")


class PersonSummary(Schema):
    id: int
    source_id: str = Field(description="The data set's identifier (PNC-like)")
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    local_authority: str


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PersonSummary]


class MembershipOut(Schema):
    id: int
    person_id: int
    scheme: str
    scheme_label: str
    cohort_type: str
    tier: int | None
    local_authority: str
    lead_agency: str | None
    offender_manager: str | None
    start_date: date
    end_date: date | None
    latest_rag: str | None = Field(None, description="Latest RAG: in the cohort list only")


class MembershipPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MembershipOut]


class RagReviewOut(Schema):
    id: int
    person_id: int
    review_date: date
    rag: str
    notes: str
    reviewed_by: str | None


class RagReviewIn(Schema):
    rag: str = Field(description="red, amber or green")
    review_date: str = Field(description="YYYY-MM-DD (or DD/MM/YYYY), today or earlier")
    notes: str = ""


class PathwayNeedOut(Schema):
    id: int
    pathway: str
    pathway_label: str
    level: str
    status: str
    assessed_on: date
    plan: str


class PersonDetail(PersonSummary):
    """A record as the user may read it: parts of categories they may not read are null."""

    categories: list[str] = Field(description="The data categories the user may read")
    writable: list[str] = Field(description="The data categories the user may change")
    outside_scope: bool
    memberships: list[MembershipOut] | None
    latest_rag: RagReviewOut | None
    pathway_needs: list[PathwayNeedOut]


class OutsideScopeIn(Schema):
    reason: str = Field(..., description="Why you need the record (kept in the audit log)")


class ActionOut(Schema):
    id: int
    person_id: int
    person_name: str
    description: str
    agency: str
    owner: str | None
    due_date: date
    overdue: bool
    completed_on: date | None
    panel_id: int | None


class PanelOut(Schema):
    id: int
    kind: str
    kind_label: str
    meeting_date: date
    local_authority: str
    agencies: list[str]


class PanelPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PanelOut]


class OutcomeOut(Schema):
    id: int
    person_id: int
    person_name: str
    reasons: str
    summary: str
    rag: str
    tier: int | None
    decision: str
    deselection_reason: str
    actions: list[ActionOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_on: datetime
    last_used_on: datetime | None
    expires_on: datetime
    revoked_on: datetime | None
