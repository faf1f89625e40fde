"""One form class per user action on out of court disposals: choose the person, record a
disposal, add a condition, record a condition's compliance, choose the measure's period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

from desist.core.forms import date_field
from desist.disposals import rules
from desist.disposals.models import Compliance, Condition, Disposal, Kind, Pathway, Remedy
from desist.offending.models import Offence


def person_number_field(label: str = "Person number") -> forms.IntegerField:
    """The number of a nominal record, typed in (also the restorative justice referral's)."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        help_text="The number of the nominal record, for example 1024",
        error_messages={
            "required": "Enter the person number",
            "invalid": "Person number must be a whole number",
            "min_value": "Person number must be a whole number",
        },
    )


class PersonChoiceForm(forms.Form):
    """Step one of recording a disposal: whose record (the person number of the nominal)."""

    person = person_number_field()


class OffenceChoiceField(forms.ModelChoiceField):
    """The person's offences, shown by offence group, date and the police record's outcome."""

    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.offence_group.label}, {obj.offence_date:%d/%m/%Y} "
            f"(police record: {obj.outcome.label.lower()})"
        )


def clean_victim_reference(form: forms.BaseForm) -> str:
    """The victim reference of a disposal or a restorative justice case (``rules``)."""
    reference: str = form.cleaned_data["victim_reference"].strip()
    problem = rules.reference_problem(reference)
    if problem:
        raise forms.ValidationError(problem)
    return reference


class DisposalForm(forms.ModelForm):
    """Record a community resolution or a conditional caution for one of the person's offences."""

    kind = forms.ChoiceField(
        label="Disposal",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the disposal"},
    )
    offence = OffenceChoiceField(
        label="Offence",
        queryset=Offence.objects.none(),
        empty_label="Choose an offence",
        help_text="Offences still pending in the police record, or recorded there as a "
        "community resolution or conditional caution, with no disposal here yet",
        error_messages={"required": "Select the offence"},
    )
    disposal_date = date_field("Date of the disposal")
    remedy = forms.ChoiceField(
        label="Community Remedy option (optional)",
        choices=Remedy.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Community resolutions only; chosen in consultation with the victim",
    )

    class Meta:
        model = Disposal
        fields = ["offence", "kind", "disposal_date", "remedy", "victim_reference", "victim_view"]
        labels = {
            "offence": "Offence",
            "victim_reference": "Victim reference (optional)",
            "victim_view": "The victim's view (optional)",
        }
        help_texts = {
            "victim_reference": "A crime or Victim Support reference: never the victim's name",
            "victim_view": "What the victim said about the outcome, in their words where possible",
        }
        widgets = {"victim_view": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"offence": {"required": "Select the offence"}}

    def __init__(self, *args: Any, offences: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offence = self.fields["offence"]
        assert isinstance(offence, forms.ModelChoiceField)
        offence.queryset = offences
        self.today = today

    def clean_victim_reference(self) -> str:
        return clean_victim_reference(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        on, offence = cleaned.get("disposal_date"), cleaned.get("offence")
        if isinstance(on, date):
            if on > self.today:
                self.add_error("disposal_date", "Date of the disposal must be today or in the past")
            elif isinstance(offence, Offence) and on < offence.offence_date:
                self.add_error(
                    "disposal_date", "Date of the disposal must be on or after the offence"
                )
        kind = cleaned.get("kind", "")
        if isinstance(offence, Offence) and kind:
            problem = rules.offence_problem(kind, offence.outcome_id, offence.outcome.label)
            if problem:
                self.add_error("offence", problem)
        problems = rules.remedy_problems(
            cleaned.get("kind", ""), cleaned.get("remedy", ""), cleaned.get("victim_view", "")
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned


class ConditionForm(forms.ModelForm):
    """Add a condition: the pathway it addresses, what to do, and the deadline."""

    deadline = date_field("Deadline")

    class Meta:
        model = Condition
        fields = ["pathway", "description", "deadline"]
        labels = {"pathway": "Pathway", "description": "Condition"}
        help_texts = {"description": "For example, attend an alcohol diversion course"}
        error_messages = {
            "pathway": {"required": "Select the pathway"},
            "description": {"required": "Enter the condition"},
        }

    def __init__(self, *args: Any, disposal: Disposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disposal = disposal
        pathway = self.fields["pathway"]
        assert isinstance(pathway, forms.ChoiceField)
        pathway.choices = [("", "Choose a pathway"), *Pathway.choices]

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        if deadline < self.disposal.disposal_date:
            raise forms.ValidationError("Deadline must be on or after the date of the disposal")
        return deadline


class ComplianceForm(forms.Form):
    """Record whether a condition was complied with, and when that was known."""

    compliance = forms.ChoiceField(
        label="Compliance",
        choices=Compliance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the condition was complied with"},
    )
    compliance_date = date_field("Date")

    def __init__(self, *args: Any, condition: Condition, today: date, **kwargs: Any) -> None:
        kwargs["prefix"] = f"condition-{condition.pk}"
        super().__init__(*args, **kwargs)
        self.condition = condition
        self.today = today

    def clean_compliance_date(self) -> date:
        on: date = self.cleaned_data["compliance_date"]
        if on > self.today:
            raise forms.ValidationError("Date must be today or in the past")
        if on < self.condition.disposal.disposal_date:
            raise forms.ValidationError("Date must be on or after the date of the disposal")
        return on


class PeriodForm(forms.Form):
    """The period of a page's figures (a GET form): the cohort period of reoffending by
    disposal type, the period of the restorative justice pipeline."""

    start = date_field("From")
    end = date_field("To")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("end", "To must be on or after From")
        return cleaned

    @classmethod
    def chosen(cls, query: QueryDict, default: tuple[date, date]) -> tuple[PeriodForm, date, date]:
        """The form and the period asked for in the query; the default period when the query
        is empty (the form then shows it, dd/mm/yyyy) or wrong (the form shows its errors)."""
        if not query:
            start, end = default
            initial = {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
            return cls(initial=initial), start, end
        form = cls(query)
        if form.is_valid():
            return form, form.cleaned_data["start"], form.cleaned_data["end"]
        return form, *default
