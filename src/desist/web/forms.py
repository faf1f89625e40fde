"""Forms of the web app. The cohort filters are a GET form that works without JavaScript."""

from __future__ import annotations

from django import forms

from desist.accounts.access import AnyUser
from desist.dataset.schema import COHORT_TYPES, RAGS
from desist.reference import lists
from desist.web.querysets import DEFAULT_SORT, NOT_REVIEWED, SORTS, CohortFilters

CHECKBOXES = forms.CheckboxSelectMultiple


class CohortFilterForm(forms.Form):
    """Filters, search and sort order of the cohort list; invalid values are ignored."""

    q = forms.CharField(
        label="Search by name or date of birth",
        help_text="For example, Smith or 31/12/1990",
        required=False,
        max_length=100,
    )
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
    mine = forms.BooleanField(label="Only people I manage", required=False)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )
    order = forms.ChoiceField(
        required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput
    )

    #: Fields shown as checkbox groups in the filter panel, in order.
    FILTER_FIELDS = ("scheme", "cohort_type", "tier", "rag", "local_authority")

    def __init__(self, *args: object, local_authorities: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        scheme = self.fields["scheme"]
        local_authority = self.fields["local_authority"]
        assert isinstance(scheme, forms.MultipleChoiceField)
        assert isinstance(local_authority, forms.MultipleChoiceField)
        scheme.choices = lists.choices(lists.schemes())
        local_authority.choices = [(la, la) for la in local_authorities]

    def _cleaned(self) -> dict[str, object]:
        """The values that validated: a field with a value not on offer is left out."""
        self.is_valid()
        return self.cleaned_data

    def _strings(self, name: str) -> tuple[str, ...]:
        value = self._cleaned().get(name) or []
        assert isinstance(value, list)
        return tuple(str(item) for item in value)

    def filters(self, user: AnyUser) -> CohortFilters:
        """The filters chosen."""
        cleaned = self._cleaned()
        return CohortFilters(
            q=str(cleaned.get("q") or "").strip(),
            schemes=self._strings("scheme"),
            cohort_types=self._strings("cohort_type"),
            tiers=tuple(int(tier) for tier in self._strings("tier")),
            rags=self._strings("rag"),
            local_authorities=self._strings("local_authority"),
            offender_manager_id=user.pk if cleaned.get("mine") else None,
        )

    def sort_order(self) -> tuple[str, bool]:
        """The sort key and whether it is descending."""
        cleaned = self._cleaned()
        return str(cleaned.get("sort") or DEFAULT_SORT), cleaned.get("order") == "desc"
