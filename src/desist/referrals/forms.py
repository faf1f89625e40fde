"""One form class per action on a referral, and one for the directory of services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from desist.accounts.models import Agency
from desist.core.forms import date_field
from desist.people.models import Person
from desist.referrals.models import Referral, Service, kind_choices
from desist.referrals.rules import RECEIVING_AGENCY_KINDS


class ReferralForm(forms.Form):
    """An officer refers a vulnerable person: a nominal by number, or someone not on the cohort
    by name; the concern, and whether the person consented."""

    person_number = forms.IntegerField(
        label="Person number (optional)",
        required=False,
        help_text="For a nominal on the cohort: the number in the address of their record",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": "Person number must be a number, like 1234"},
    )
    subject_name = forms.CharField(
        label="Full name (if not on the cohort)", max_length=200, required=False
    )
    subject_date_of_birth = date_field("Date of birth (optional)", required=False)
    subject_area = forms.CharField(
        label="Area or neighbourhood (optional)", max_length=200, required=False
    )
    receiving_agency = forms.ModelChoiceField(
        label="Refer to",
        queryset=Agency.objects.none(),
        empty_label="Choose a service",
        error_messages={"required": "Select the service to refer to"},
    )
    concern = forms.CharField(
        label="What is the concern?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the concern"},
    )
    consent = forms.ChoiceField(
        label="Consent",
        choices=Referral.Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person consented"},
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        agency = self.fields["receiving_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(kind__in=RECEIVING_AGENCY_KINDS).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        number = cleaned.get("person_number")
        name = (cleaned.get("subject_name") or "").strip()
        cleaned["person"] = None
        if number is not None:
            person = self.people.filter(pk=number).first()
            if person is None:
                self.add_error(
                    "person_number", "There is no nominal with this number on your caseload"
                )
            else:
                cleaned["person"] = person
        elif not name and "person_number" not in self.errors:
            self.add_error("subject_name", "Enter the person's full name, or a person number")
        born = cleaned.get("subject_date_of_birth")
        if isinstance(born, date) and born > date.today():
            self.add_error("subject_date_of_birth", "Date of birth must be in the past")
        return cleaned


class TriageForm(forms.ModelForm):
    """The receiving service's triage: the main need, the risk and the priority."""

    class Meta:
        model = Referral
        fields = ["need", "risk", "priority"]
        labels = {"need": "Main need", "risk": "Risk", "priority": "Priority"}
        widgets = {"risk": forms.RadioSelect, "priority": forms.RadioSelect}
        error_messages = {
            "need": {"required": "Select the main need"},
            "risk": {"required": "Select the risk"},
            "priority": {"required": "Select the priority"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True
        choices = {
            "need": [("", "Choose a need"), *kind_choices()],
            "risk": Referral.Risk.choices,
            "priority": Referral.Priority.choices,
        }
        for name, values in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = values


class FirstContactForm(forms.Form):
    """When the service first reached the person."""

    first_contact_on = date_field("Date of first contact")

    def __init__(self, *args: Any, referral: Referral, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.today = today

    def clean_first_contact_on(self) -> date:
        on: date = self.cleaned_data["first_contact_on"]
        if on < self.referral.referred_on:
            raise forms.ValidationError(
                f"Date of first contact must be on or after the referral, "
                f"{self.referral.referred_on:%d/%m/%Y}"
            )
        if on > self.today:
            raise forms.ValidationError("Date of first contact must be today or in the past")
        return on


class SignpostForm(forms.Form):
    """Point the person to a service of the directory."""

    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.none(),
        empty_label="Choose a service",
        error_messages={"required": "Select a service"},
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        assert isinstance(service, forms.ModelChoiceField)
        service.queryset = services


class OutcomeForm(forms.ModelForm):
    """Close the referral with its outcome."""

    class Meta:
        model = Referral
        fields = ["outcome", "outcome_notes"]
        labels = {"outcome": "Outcome", "outcome_notes": "Notes (optional)"}
        widgets = {"outcome": forms.RadioSelect, "outcome_notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"outcome": {"required": "Select the outcome"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.required = True
        outcome.choices = Referral.Outcome.choices


class ServiceForm(forms.ModelForm):
    """Add or change a service of the directory."""

    active = forms.TypedChoiceField(
        label="Taking referrals",
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect(attrs={"inline": True}),
        initial="True",
        error_messages={"required": "Select whether the service is taking referrals"},
    )

    class Meta:
        model = Service
        fields = ["name", "kind", "area", "contact", "description", "active"]
        labels = {
            "name": "Service",
            "kind": "Kind of support",
            "area": "Area (optional)",
            "contact": "Contact",
            "description": "Description (optional)",
        }
        help_texts = {"area": "The local authority it serves; empty for every area"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": "Enter the name of the service"},
            "kind": {"required": "Select the kind of support"},
            "contact": {"required": "Enter how to contact the service"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "Choose a kind"), *kind_choices()]
