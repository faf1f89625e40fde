"""One form class per panel action: create a meeting, record a case's outcome, add an action,
complete an action, export the minutes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from desist.accounts.models import Agency, User
from desist.core.forms import date_field
from desist.dataset.schema import RAGS
from desist.panels.models import Panel, PanelCase


class PanelForm(forms.Form):
    """Create a panel meeting; its agenda is generated from the cohort."""

    kind = forms.ChoiceField(
        label="Kind of panel",
        choices=Panel.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of panel"},
    )
    meeting_date = date_field("Meeting date")
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies attending",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PanelCaseOutcomeForm(forms.ModelForm):
    """Record what the panel discussed and decided about one person."""

    rag = forms.ChoiceField(
        label="RAG status",
        required=False,
        choices=[(r, r.title()) for r in RAGS],
        widget=forms.RadioSelect,
    )
    tier = forms.TypedChoiceField(
        label="Tier",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(str(t), f"Tier {t}") for t in range(1, 5)],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PanelCase
        fields = ["summary", "rag", "tier", "decision", "deselection_reason"]
        labels = {
            "summary": "Discussion summary",
            "decision": "Decision",
            "deselection_reason": "Reason for de-selection",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "decision": forms.RadioSelect,
            "deselection_reason": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"decision": {"required": "Select the panel's decision"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = True
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = PanelCase.Decision.choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("decision") == PanelCase.Decision.DESELECT
            and not cleaned.get("deselection_reason", "").strip()
        ):
            self.add_error("deselection_reason", "Enter why the person is de-selected")
        return cleaned


class ActionForm(forms.Form):
    """Add an action for an agency (and optionally one of its staff) with a due date."""

    description = forms.CharField(
        label="Action",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency"},
    )
    owner = forms.ModelChoiceField(
        label="Owner (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody yet",
    )
    due_date = date_field("Due date")

    def __init__(self, *args: Any, owners: QuerySet[User], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owners
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner, agency = cleaned.get("owner"), cleaned.get("agency")
        if owner is not None and agency is not None and owner.agency_id != agency.pk:
            self.add_error("owner", "The owner must work for the agency of the action")
        due = cleaned.get("due_date")
        if isinstance(due, date) and due < self.today:
            self.add_error("due_date", "Due date must be today or in the future")
        return cleaned


class ActionDoneForm(forms.Form):
    """Mark an action as done (no fields: the button is the choice)."""


class MinutesExportForm(forms.Form):
    """Export a panel's minutes: a disclosure, logged with its purpose."""

    file_format = forms.ChoiceField(
        label="Format",
        choices=[("html", "Web page (HTML)"), ("csv", "Spreadsheet (CSV)")],
        widget=forms.RadioSelect,
        initial="html",
        error_messages={"required": "Select a format"},
    )
    recipient = forms.CharField(
        label="Who will receive the minutes",
        max_length=200,
        help_text="For example, panel members of the agencies attending",
        error_messages={"required": "Enter who will receive the minutes"},
    )
