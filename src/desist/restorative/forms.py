"""One form class per user action on restorative justice: a referral, moving a case to its
next stage, recording the conference's outcome, closing a case, adding a facilitator, and
choosing the period of the pipeline counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from desist.core.forms import date_field
from desist.disposals.forms import PeriodForm, clean_victim_reference, person_number_field
from desist.restorative import rules
from desist.restorative.models import (
    ClosedReason,
    Facilitator,
    FacilitatorKind,
    Level,
    RestorativeCase,
    Satisfaction,
    Source,
    Stage,
)

__all__ = [
    "OUTSIDE_CASELOAD",
    "AdvanceForm",
    "CloseForm",
    "FacilitatorForm",
    "OutcomeForm",
    "PeriodForm",
    "ReferralForm",
]


#: The error code of a person number outside the user's caseload (audited as ``denied``).
OUTSIDE_CASELOAD = "outside_caseload"


class ReferralForm(forms.Form):
    """A new case: a Victim Support notification or an officer's referral."""

    person = person_number_field("Person number of the person responsible for the harm")
    source = forms.ChoiceField(
        label="Where the case came from",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the case came from"},
    )
    level = forms.TypedChoiceField(
        label="Level",
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level"},
    )
    victim_reference = forms.CharField(
        label="Victim reference",
        max_length=40,
        help_text="A crime or Victim Support reference: never the victim's name",
        error_messages={"required": "Enter the victim reference"},
    )
    received_on = date_field("Date received")

    def __init__(self, *args: Any, people: QuerySet[Any], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.today = today

    def clean_person(self) -> Any:
        person = self.people.filter(pk=self.cleaned_data["person"]).first()
        if person is None:
            raise forms.ValidationError(
                "No one with this person number is in your caseload", code=OUTSIDE_CASELOAD
            )
        return person

    def clean_victim_reference(self) -> str:
        return clean_victim_reference(self)

    def clean_received_on(self) -> date:
        on: date = self.cleaned_data["received_on"]
        if on > self.today:
            raise forms.ValidationError("Date received must be today or in the past")
        return on


class FacilitatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}, {obj.organisation} (level {obj.level})"


class AdvanceForm(forms.Form):
    """Move a case to its next stage (the stage it is moving to is sent with the form)."""

    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    on = date_field("Date")
    facilitator = FacilitatorChoiceField(
        label="Facilitator",
        queryset=Facilitator.objects.none(),
        required=False,
        empty_label="Choose a facilitator",
    )

    def __init__(
        self,
        *args: Any,
        case: RestorativeCase,
        facilitators: QuerySet[Facilitator],
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.today = today
        facilitator = self.fields["facilitator"]
        assert isinstance(facilitator, forms.ModelChoiceField)
        facilitator.queryset = facilitators
        target = rules.next_stage(case.stage)
        self.target = target
        if target is not None:
            self.fields["stage"].initial = target.value
        if case.facilitator_id is not None:
            self.fields["facilitator"].initial = case.facilitator_id

    @property
    def needs_facilitator(self) -> bool:
        return self.target in rules.NEEDS_FACILITATOR

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        on, target = cleaned.get("on"), cleaned.get("stage")
        if isinstance(on, date) and target:
            previous = getattr(self.case, rules.STAGE_FIELDS[Stage(self.case.stage)])
            problems = rules.advance_problems(
                self.case.stage, target, on, previous, self.today, self.case.closed_on is not None
            )
            for field, message in problems.items():
                self.add_error(None if field == "stage" else field, message)
            chosen = cleaned.get("facilitator")
            problem = rules.facilitator_problem(
                target,
                self.case.level,
                chosen.level if chosen is not None else None,
                trained_on=chosen.trained_on if chosen is not None else None,
                on=on,
            )
            if problem:
                self.add_error("facilitator", problem)
        return cleaned


class OutcomeForm(forms.ModelForm):
    """What the conference agreed, and the victim's satisfaction on the fixed scale."""

    satisfaction = forms.TypedChoiceField(
        label="The victim's satisfaction with the process",
        choices=Satisfaction.choices,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text="As the victim said when asked after the conference; leave empty if not asked",
    )

    class Meta:
        model = RestorativeCase
        fields = ["outcome_agreed", "satisfaction"]
        labels = {"outcome_agreed": "Outcomes agreed"}
        widgets = {"outcome_agreed": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"outcome_agreed": {"required": "Enter the outcomes agreed"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome_agreed"].required = True


class CloseForm(forms.Form):
    """Close a case before a conference (the victim or the person declined, not suitable)."""

    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosedReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is closing"},
    )


class FacilitatorForm(forms.ModelForm):
    """Add a trained facilitator to the register."""

    kind = forms.ChoiceField(
        label="Role",
        choices=FacilitatorKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the facilitator's role"},
    )
    level = forms.TypedChoiceField(
        label="Highest level trained",
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the highest level trained"},
    )
    trained_on = date_field("Date trained")

    class Meta:
        model = Facilitator
        fields = ["name", "organisation", "kind", "level", "trained_on"]
        labels = {"name": "Name", "organisation": "Organisation"}
        error_messages = {
            "name": {"required": "Enter the facilitator's name"},
            "organisation": {"required": "Enter the organisation"},
        }

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_trained_on(self) -> date:
        on: date = self.cleaned_data["trained_on"]
        if on > self.today:
            raise forms.ValidationError("Date trained must be today or in the past")
        return on
