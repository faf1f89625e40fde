"""One form class per user action on requirements and programmes: filter the list, refer,
assess, start, record a drug test, end with an outcome, set a target, choose the unit of the
targets table. Date rules come from ``lifecycle``; every message names its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from desist.accounts.models import Agency
from desist.core.forms import date_field as _date_field  # ``date_field``: a StepForm attribute
from desist.dataset.schema import INTERVENTION_STATUSES
from desist.interventions import lifecycle
from desist.interventions.models import DrugTest, Intervention, Target
from desist.reference import lists
from desist.reference.models import InterventionKind

CHECKBOXES = forms.CheckboxSelectMultiple


def programme_choices() -> list[tuple[str, str]]:
    kinds = lists.intervention_kinds()
    return [(code, kinds[code].label) for code in lifecycle.PROGRAMME_KINDS]


class InterventionFilterForm(forms.Form):
    """Filters of the Interventions page (a GET form); invalid values are left out."""

    kind = forms.MultipleChoiceField(label="Kind", required=False, widget=CHECKBOXES, choices=())
    status = forms.MultipleChoiceField(
        label="Status",
        required=False,
        widget=CHECKBOXES,
        choices=[(s, s.title()) for s in INTERVENTION_STATUSES],
    )
    period_from = _date_field("From", required=False)
    period_to = _date_field("To", required=False)

    FILTER_FIELDS = ("kind", "status")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.MultipleChoiceField)
        kind.choices = programme_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("period_to", "To must be on or after From")
        return cleaned

    def value(self, name: str) -> Any:
        """A filter's value if it validated, else None (the list ignores it)."""
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


class ReferralForm(forms.Form):
    """Refer a person to a requirement or programme."""

    kind = forms.ChoiceField(
        label="Requirement or programme",
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the requirement or programme"},
    )
    referral_date = _date_field("Referral date")
    agency = forms.ModelChoiceField(
        label="Delivered by (optional)",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Not known yet",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kinds
        self.today = today

    def clean_referral_date(self) -> date:
        value: date = self.cleaned_data["referral_date"]
        problem = lifecycle.date_problem("Referral date", value, self.today)
        if problem:
            raise forms.ValidationError(problem)
        return value


class StepForm(forms.Form):
    """A step of one intervention: its date may not be in the future or before the steps
    already recorded (``earlier``)."""

    date_field = ""
    date_label = ""

    def __init__(self, *args: Any, intervention: Intervention, today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        self.today = today

    def earlier(self) -> list[tuple[str, date | None]]:
        item = self.intervention
        return [("referral date", item.referral_date)]

    def _clean_step_date(self) -> date:
        value: date = self.cleaned_data[self.date_field]
        problem = lifecycle.date_problem(self.date_label, value, self.today, self.earlier())
        if problem:
            raise forms.ValidationError(problem)
        return value


class AssessmentForm(StepForm):
    """Record the assessment of suitability for a treatment requirement."""

    date_field, date_label = "assessment_date", "Assessment date"
    assessment_date = _date_field("Assessment date")
    assessment = forms.ChoiceField(
        label="Assessment outcome",
        choices=Intervention.Assessment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the assessment outcome"},
    )

    def clean_assessment_date(self) -> date:
        return self._clean_step_date()


class StartForm(StepForm):
    """Record that the requirement or programme started."""

    date_field, date_label = "start_date", "Start date"
    start_date = _date_field("Start date")

    def earlier(self) -> list[tuple[str, date | None]]:
        return [*super().earlier(), ("assessment date", self.intervention.assessment_date)]

    def clean_start_date(self) -> date:
        return self._clean_step_date()


class DrugTestForm(StepForm):
    """Record a drug test under a drug rehabilitation requirement."""

    date_field, date_label = "test_date", "Test date"
    test_date = _date_field("Test date")
    result = forms.ChoiceField(
        label="Result",
        choices=DrugTest.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the result"},
    )
    substances = forms.CharField(
        label="Substances (if positive)",
        help_text="For example, opiates, cocaine",
        required=False,
        max_length=200,
    )

    def earlier(self) -> list[tuple[str, date | None]]:
        return [("start date", self.intervention.start_date)]

    def clean_test_date(self) -> date:
        return self._clean_step_date()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("result") == DrugTest.Result.POSITIVE and not cleaned.get("substances"):
            self.add_error("substances", "Enter the substances a positive test found")
        return cleaned


class EndForm(StepForm):
    """Record the end and its outcome: completed, failed or withdrawn."""

    date_field, date_label = "end_date", "End date"
    end_date = _date_field("End date")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    reason = forms.CharField(
        label="Reason (for failed or withdrawn)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [(o, o.title()) for o in lifecycle.end_outcomes(self.intervention.status)]

    def earlier(self) -> list[tuple[str, date | None]]:
        item = self.intervention
        return [*super().earlier(), ("start date", item.start_date)]

    def clean_end_date(self) -> date:
        return self._clean_step_date()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome in (lifecycle.FAILED, lifecycle.WITHDRAWN) and not cleaned.get("reason"):
            self.add_error("reason", f"Enter why it was {outcome}")
        return cleaned


class TargetForm(forms.ModelForm):
    """Set (or change) a unit's target of starts and completions for a kind and period."""

    period_start = _date_field("Period start")
    period_end = _date_field("Period end")

    class Meta:
        model = Target
        fields = ["kind", "period_start", "period_end", "starts_target", "completions_target"]
        widgets = {
            "starts_target": forms.TextInput(attrs={"inputmode": "numeric"}),
            "completions_target": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        labels = {
            "kind": "Requirement or programme",
            "starts_target": "Starts target",
            "completions_target": "Completions target",
        }
        error_messages = {
            "kind": {"required": "Select the requirement or programme"},
            "starts_target": {
                "required": "Enter the starts target",
                "invalid": "Starts target must be a whole number",
                "min_value": "Starts target must be 0 or more",
            },
            "completions_target": {
                "required": "Enter the completions target",
                "invalid": "Completions target must be a whole number",
                "min_value": "Completions target must be 0 or more",
            },
        }

    def __init__(self, *args: Any, local_authority: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.local_authority = local_authority
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ModelChoiceField)
        kind.queryset = InterventionKind.objects.filter(pk__in=lifecycle.PROGRAMME_KINDS)
        kind.empty_label = "Choose one"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("period_end", "Period end must be on or after the period start")
        kind = cleaned.get("kind")
        if kind is not None and isinstance(start, date) and isinstance(end, date):
            clash = Target.objects.filter(
                kind=kind, local_authority=self.local_authority, period_start=start, period_end=end
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("kind", "This unit already has a target for this kind and period")
        return cleaned

    def validate_unique(self) -> None:
        """Uniqueness is checked in ``clean`` with the unit (not a field of the form)."""


class TargetUnitForm(forms.Form):
    """Which unit's targets the table shows (users who serve every unit)."""

    local_authority = forms.ChoiceField(label="Local authority", required=False, choices=())

    def __init__(self, *args: Any, units: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["local_authority"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "All local authorities"), *[(u, u) for u in units]]

    def unit(self) -> str | None:
        if self.is_valid():
            return self.cleaned_data["local_authority"] or None
        return None
