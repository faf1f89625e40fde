"""Forms of the web app. The cohort filters are a GET form that works without JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms

from desist.accounts.access import AnyUser
from desist.core.forms import date_field
from desist.dataset.schema import COHORT_TYPES, RAGS
from desist.pathways.models import PathwayNeed
from desist.reference import lists
from desist.web.querysets import DEFAULT_SORT, NOT_REVIEWED, SORTS, CohortFilters

CHECKBOXES = forms.CheckboxSelectMultiple
#: The "Review" filter's one value: members due for a RAG review (``desist.cohorts.review``).
DUE = "due"


class CohortSearchForm(forms.Form):
    """Search the cohort by name or date of birth: sent with POST and kept in the session, so
    that names never appear in addresses, browser history or server logs."""

    q = forms.CharField(
        label="Search by name or date of birth",
        help_text="For example, Smith or 31/12/1990",
        required=False,
        max_length=100,
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class CohortFilterForm(forms.Form):
    """Filters and sort order of the cohort list (a GET form); invalid values are ignored."""

    scheme = forms.MultipleChoiceField(
        label="Scheme", required=False, widget=CHECKBOXES, choices=()
    )
    cohort_type = forms.MultipleChoiceField(
        label="Cohort type",
        required=False,
        widget=CHECKBOXES,
        choices=[(t, t.title()) for t in COHORT_TYPES],
    )
    tier = forms.TypedMultipleChoiceField(
        label="Tier",
        required=False,
        widget=CHECKBOXES,
        coerce=int,
        choices=[(str(t), f"Tier {t}") for t in range(1, 5)],
    )
    rag = forms.MultipleChoiceField(
        label="Latest RAG",
        required=False,
        widget=CHECKBOXES,
        choices=[(r, r.title()) for r in RAGS] + [(NOT_REVIEWED, "Not reviewed")],
    )
    local_authority = forms.MultipleChoiceField(
        label="Local authority", required=False, widget=CHECKBOXES, choices=()
    )
    lead_agency = forms.TypedMultipleChoiceField(
        label="Lead agency", required=False, widget=CHECKBOXES, coerce=int, choices=()
    )
    offender_manager = forms.TypedMultipleChoiceField(
        label="Offender manager", required=False, widget=CHECKBOXES, coerce=int, choices=()
    )
    review = forms.MultipleChoiceField(
        label="Review", required=False, widget=CHECKBOXES, choices=[(DUE, "Due for review")]
    )
    mine = forms.BooleanField(label="Only people I manage", required=False)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )
    order = forms.ChoiceField(
        required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput
    )

    #: Fields shown as checkbox groups in the filter panel, in order.
    FILTER_FIELDS = (
        "review",
        "scheme",
        "cohort_type",
        "tier",
        "rag",
        "local_authority",
        "lead_agency",
        "offender_manager",
    )

    def __init__(
        self,
        *args: object,
        local_authorities: list[str],
        lead_agencies: Sequence[tuple[int, str]] = (),
        offender_managers: Sequence[tuple[int, str]] = (),
        **kwargs: object,
    ) -> None:
        """Choices are what the user may see: the local authorities, lead agencies and
        offender managers of the memberships they may list (``querysets``)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices: dict[str, list[tuple[str, str]]] = {
            "scheme": lists.choices(lists.schemes()),
            "local_authority": [(la, la) for la in local_authorities],
            "lead_agency": [(str(pk), name) for pk, name in lead_agencies],
            "offender_manager": [(str(pk), name) for pk, name in offender_managers],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = options

    def _cleaned(self) -> dict[str, object]:
        """The values that validated: a field with a value not on offer is left out."""
        self.is_valid()
        return self.cleaned_data

    def _strings(self, name: str) -> tuple[str, ...]:
        value = self._cleaned().get(name) or []
        assert isinstance(value, list)
        return tuple(str(item) for item in value)

    def filters(self, user: AnyUser, today: date, q: str = "") -> CohortFilters:
        """The filters chosen, with the search ``q`` (from the session); "due for review"
        is as of ``today``."""
        cleaned = self._cleaned()
        return CohortFilters(
            q=q.strip(),
            schemes=self._strings("scheme"),
            cohort_types=self._strings("cohort_type"),
            tiers=tuple(int(tier) for tier in self._strings("tier")),
            rags=self._strings("rag"),
            local_authorities=self._strings("local_authority"),
            lead_agencies=tuple(int(pk) for pk in self._strings("lead_agency")),
            offender_managers=tuple(int(pk) for pk in self._strings("offender_manager")),
            offender_manager_id=user.pk if cleaned.get("mine") else None,
            due_for_review_on=today if DUE in self._strings("review") else None,
        )

    def sort_order(self) -> tuple[str, bool]:
        """The sort key and whether it is descending."""
        cleaned = self._cleaned()
        return str(cleaned.get("sort") or DEFAULT_SORT), cleaned.get("order") == "desc"


class OutsideScopeReasonForm(forms.Form):
    """Why the user needs to open a record outside their caseload or unit (logged)."""

    reason = forms.CharField(
        label="Why do you need to see this record?",
        help_text=(
            "For example, a joint case with another unit or a person moving into your area. "
            "Your reason is kept in the audit log."
        ),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you need to see this record",
            "min_length": "Reason must be 10 characters or more",
        },
    )


class RagReviewForm(forms.Form):
    """Record a RAG review of one person (the risk category: IOM coordinators)."""

    rag = forms.ChoiceField(
        label="RAG status",
        choices=[(r, r.title()) for r in RAGS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a RAG status"},
    )
    review_date = date_field("Review date")
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["review_date"].initial = today.strftime("%d/%m/%Y")

    def clean_review_date(self) -> date:
        value: date = self.cleaned_data["review_date"]
        if value > self.today:
            raise forms.ValidationError("Review date must be today or in the past")
        return value


class PathwayNeedForm(forms.Form):
    """Record a need on one resettlement pathway, with the plan to meet it."""

    pathway = forms.ChoiceField(
        label="Pathway", choices=(), error_messages={"required": "Select a pathway"}
    )
    level = forms.ChoiceField(
        label="Level of need",
        choices=PathwayNeed.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of need"},
    )
    plan = forms.CharField(
        label="Plan",
        help_text="What will be done, by whom",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, pathways: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pathway = self.fields["pathway"]
        assert isinstance(pathway, forms.ChoiceField)
        pathway.choices = [("", "Choose a pathway"), *pathways]


class PathwayNeedUpdateForm(forms.ModelForm):
    """Change the level, status or plan of a pathway need (kept in its change history)."""

    class Meta:
        model = PathwayNeed
        fields = ["level", "status", "plan"]
        widgets = {
            "level": forms.RadioSelect,
            "status": forms.RadioSelect,
            "plan": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"level": "Level of need", "status": "Status"}
