"""One form class per action on the registers. Every error names its field."""

from __future__ import annotations

from typing import Any

from django import forms

from desist.core.forms import date_field
from desist.partnership import rules
from desist.partnership.models import (
    Indicator,
    Priority,
    Problem,
    QuarterlyResult,
    Risk,
    SharingAgreement,
)

SCALE_CHOICES = [(str(n), str(n)) for n in rules.SCALE]


def scale_field(label: str, hint: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=hint,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": f"Select the {label.lower()}, from 1 to 5"},
    )


def number_widget() -> forms.TextInput:
    """GOV.UK asks for text inputs with a numeric keyboard rather than type=number."""
    return forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})


class PriorityForm(forms.ModelForm):
    """Add or change a strategic priority and its key outcomes."""

    class Meta:
        model = Priority
        fields = ["name", "strategy", "key_outcomes"]
        labels = {
            "name": "Priority",
            "strategy": "Strategy (optional)",
            "key_outcomes": "Key outcomes (optional)",
        }
        widgets = {"key_outcomes": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"required": "Enter the priority"}}


class IndicatorForm(forms.ModelForm):
    """Add or change an indicator of a priority: what it counts, from where, and its target."""

    class Meta:
        model = Indicator
        fields = ["name", "definition", "source", "unit", "target", "direction"]
        labels = {
            "name": "Indicator",
            "definition": "Definition",
            "source": "Source",
            "unit": "Unit (optional)",
            "target": "Target (optional)",
            "direction": "Which way is better",
        }
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "target": number_widget(),
            "direction": forms.RadioSelect,
        }
        error_messages = {
            "name": {"required": "Enter the indicator"},
            "definition": {"required": "Enter the definition of the indicator"},
            "source": {"required": "Enter the source of the figures"},
            "target": {"invalid": "Target must be a number, like 45 or 12.5"},
            "direction": {"required": "Select which way is better"},
        }


class QuarterlyResultForm(forms.ModelForm):
    """Record an indicator's result for one quarter."""

    quarter = forms.TypedChoiceField(
        label="Quarter",
        choices=[(str(q), f"Q{q}") for q in range(1, 5)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the quarter"},
    )

    class Meta:
        model = QuarterlyResult
        fields = ["year", "quarter", "value", "note"]
        labels = {
            "year": "Financial year starting in",
            "value": "Result",
            "note": "Note (optional)",
        }
        help_texts = {"year": "For example, 2026 for April 2026 to March 2027"}
        widgets = {"year": number_widget(), "value": number_widget()}
        error_messages = {
            "year": {"required": "Enter the financial year", "invalid": "Year must be a number"},
            "value": {"required": "Enter the result", "invalid": "Result must be a number"},
        }

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("Year must be between 2000 and 2100")
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year, quarter = cleaned.get("year"), cleaned.get("quarter")
        if isinstance(year, int) and isinstance(quarter, int):
            taken = QuarterlyResult.objects.filter(
                indicator=self.indicator, year=year, quarter=quarter
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("quarter", "This indicator already has a result for this quarter")
        return cleaned

    def validate_unique(self) -> None:
        """Checked in ``clean`` with a message of ours (the indicator is not a form field)."""


class RiskForm(forms.ModelForm):
    """Add or change a risk: its probability and impact give its score."""

    probability = scale_field("Probability", "1 is rare, 5 is almost certain")
    impact = scale_field("Impact", "1 is negligible, 5 is severe")
    review_date = date_field("Review date")

    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "priority",
            "probability",
            "impact",
            "owner",
            "mitigations",
            "review_date",
            "status",
        ]
        labels = {
            "title": "Risk",
            "description": "Description (optional)",
            "priority": "Priority it threatens (optional)",
            "owner": "Owner",
            "mitigations": "Mitigations (optional)",
            "status": "Status",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigations": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": "Enter the risk"},
            "owner": {"required": "Enter who owns the risk"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        priority = self.fields["priority"]
        assert isinstance(priority, forms.ModelChoiceField)
        priority.empty_label = "None"


class ThresholdsForm(forms.Form):
    """Change where amber and red start on the risk score scale (1 to 25)."""

    amber_from = forms.IntegerField(
        label="Amber from a score of",
        widget=number_widget(),
        error_messages={
            "required": "Enter the score where amber starts",
            "invalid": "Amber must start at a whole number",
        },
    )
    red_from = forms.IntegerField(
        label="Red from a score of",
        widget=number_widget(),
        help_text="The Wolverhampton register rates red at 15 and above",
        error_messages={
            "required": "Enter the score where red starts",
            "invalid": "Red must start at a whole number",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        amber, red = cleaned.get("amber_from"), cleaned.get("red_from")
        if amber is not None and red is not None:
            for problem in rules.Thresholds(amber_from=amber, red_from=red).problems():
                self.add_error("red_from" if problem.startswith("Red") else "amber_from", problem)
        return cleaned


class SharingAgreementForm(forms.ModelForm):
    """Add or change an information sharing agreement."""

    signed_on = date_field("Date signed", required=False, help_text="Leave empty until signed off")
    review_date = date_field("Review date")

    class Meta:
        model = SharingAgreement
        fields = ["name", "parties", "purpose", "lawful_basis", "signed_on", "review_date"]
        labels = {
            "name": "Agreement",
            "parties": "Parties",
            "purpose": "Purpose",
            "lawful_basis": "Lawful basis",
        }
        widgets = {
            "parties": forms.Textarea(attrs={"rows": 4}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "lawful_basis": forms.RadioSelect,
        }
        error_messages = {
            "name": {"required": "Enter the name of the agreement"},
            "parties": {"required": "Enter the parties, one a line"},
            "purpose": {"required": "Enter the purpose of the sharing"},
            "lawful_basis": {"required": "Select the lawful basis"},
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        signed, review = cleaned.get("signed_on"), cleaned.get("review_date")
        if signed and review and review < signed:
            self.add_error("review_date", "Review date must be on or after the date signed")
        return cleaned


class ProblemForm(forms.ModelForm):
    """Add or change a SARA problem-solving record, stage by stage."""

    class Meta:
        model = Problem
        fields = [
            "title",
            "area",
            "scanning",
            "scanning_evidence",
            "analysis",
            "analysis_evidence",
            "response",
            "response_evidence",
            "assessment",
            "assessment_evidence",
        ]
        labels = {
            "title": "Problem",
            "area": "Area (optional)",
            "scanning": "Scanning",
            "scanning_evidence": "Scanning evidence",
            "analysis": "Analysis",
            "analysis_evidence": "Analysis evidence",
            "response": "Response",
            "response_evidence": "Response evidence",
            "assessment": "Assessment",
            "assessment_evidence": "Assessment evidence",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in fields
            if name not in {"title", "area"}
        }
        error_messages = {"title": {"required": "Enter the problem"}}


class CloseProblemForm(forms.Form):
    """Close a SARA problem: refused while a stage lacks what was done or its evidence."""

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problem = problem

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing = self.problem.missing_stages
        if missing:
            stages = ", ".join(missing)
            raise forms.ValidationError(
                f"You cannot close this problem until every SARA stage has what was done and "
                f"its evidence. Missing: {stages}."
            )
        if self.problem.status == Problem.Status.CLOSED:
            raise forms.ValidationError("This problem is already closed")
        return cleaned
