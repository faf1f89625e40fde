"""One form class per administration action, with GOV.UK error messages naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.db.models import QuerySet

from desist.accounts.access import AnyUser
from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.administration.rules import EVERY_AREA, local_authority_problem, own_account_problem
from desist.cohorts.models import CohortMembership
from desist.reference import lists

AREA_CHOICES = [
    ("", "Choose a local authority"),
    (EVERY_AREA, "Every local authority (the whole deployment)"),
]


def known_local_authorities(current: str = "") -> list[str]:
    """The local authorities the deployment knows: of its cohort memberships and agencies.

    Area names only (no person's record is read); a new area comes in with the data or with
    an agency created for it.
    """
    names = set(
        CohortMembership.objects.exclude(local_authority="")
        .values_list("local_authority", flat=True)
        .distinct()
    )
    names |= set(
        Agency.objects.exclude(local_authority="").values_list("local_authority", flat=True)
    )
    if current:
        names.add(current)
    return sorted(names)


def active_agencies(current: Agency | None = None) -> QuerySet[Agency]:
    """Agencies a user can be given: the active ones, and the one they have now."""
    agencies = Agency.objects.filter(is_active=True)
    if current is not None:
        agencies = agencies | Agency.objects.filter(pk=current.pk)
    return agencies.order_by("name")


class _UserFields(forms.ModelForm):
    """The fields an administrator sets on an account, shared by creating and editing."""

    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        help_text="What the user may see and change: see the roles page",
        error_messages={"required": "Select the user's role"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the user's agency"},
    )
    local_authority = forms.ChoiceField(
        label="Local authority",
        required=False,
        help_text=(
            "A police offender manager, probation officer or IOM coordinator sees the people "
            "of this area only; choose every local authority only for a force-wide post"
        ),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "role", "agency", "local_authority"]
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "email": "Email address (optional)",
        }

    def __init__(self, *args: Any, actor: AnyUser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        current = self.instance.agency if self.instance.pk else None
        self.fields["agency"].queryset = active_agencies(current)  # type: ignore[attr-defined]
        self.fields["local_authority"].choices = [  # type: ignore[attr-defined]
            *AREA_CHOICES,
            *((name, name) for name in known_local_authorities(self.instance.local_authority)),
        ]
        if self.instance.pk and not self.instance.local_authority:
            self.initial["local_authority"] = EVERY_AREA
        for name, message in (
            ("first_name", "Enter the user's first name"),
            ("last_name", "Enter the user's last name"),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        problem = own_account_problem(
            self.actor.pk if self.actor else None, self.instance.pk, role, True
        )
        if problem:
            raise forms.ValidationError(problem)
        return str(role)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        area, role = cleaned.get("local_authority"), cleaned.get("role")
        if area is not None and role is not None:
            problem = local_authority_problem(role, area)
            if problem:
                self.add_error("local_authority", problem)
        if area == EVERY_AREA:
            cleaned["local_authority"] = ""
        return cleaned


class UserCreateForm(_UserFields):
    """Create an account with a role, an agency, a local authority and a first password."""

    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password; give it to the user in person",
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    class Meta(_UserFields.Meta):
        fields = ["username", *_UserFields.Meta.fields]
        labels = {**_UserFields.Meta.labels, "username": "Username"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = "Letters, digits and @ . + - _ only"
        self.fields["username"].error_messages.update(
            {
                "required": "Enter a username",
                "unique": "A user with this username already exists",
                "invalid": "Username must contain only letters, digits and @ . + - _",
            }
        )
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match")
        elif first:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UserEditForm(_UserFields):
    """Change an account's names, email, role, agency and local authority."""


class UserDeactivateForm(forms.Form):
    """Deactivate an account: the user can no longer sign in; its history stays."""

    reason = forms.CharField(
        label="Why is this account being deactivated?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, left the partnership on 31/3/2026. It goes into the audit log.",
        error_messages={"required": "Enter why the account is being deactivated"},
    )


class UserReactivateForm(forms.Form):
    """Reactivate a deactivated account (a button: nothing to fill in)."""


class UserUnlockForm(forms.Form):
    """Clear the failed sign-ins that locked an account (a button)."""


class UserSecondFactorResetForm(forms.Form):
    """Remove a user's authenticator app, after a lost phone (a button)."""


class UserPasswordResetForm(SetPasswordForm):
    """Set a new password for a user who forgot theirs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = "At least 8 characters, not a common password; give it to the user in person"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages["password_mismatch"] = "The passwords do not match"


class AgencyCreateForm(forms.ModelForm):
    """Add a partner agency."""

    kind = forms.ChoiceField(
        label="Kind of agency",
        choices=lists.choices(lists.agency_kinds()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of agency"},
    )

    class Meta:
        model = Agency
        fields = ["name", "kind", "local_authority"]
        labels = {"name": "Name", "local_authority": "Local authority"}
        help_texts = {"local_authority": "Leave empty for an agency that covers every area"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages.update(
            {
                "required": "Enter the agency's name",
                "unique": "An agency with this name already exists",
            }
        )


class AgencyEditForm(AgencyCreateForm):
    """Change an agency's name, kind or local authority."""


class AgencyDeactivateForm(forms.Form):
    """Deactivate an agency (a button; refused while it has active users)."""


class AgencyReactivateForm(forms.Form):
    """Reactivate an agency (a button)."""


class UserFilterForm(forms.Form):
    """Filter the users list (a GET form)."""

    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
    agency = forms.ModelChoiceField(
        label="Agency", required=False, queryset=Agency.objects.all(), empty_label="Any agency"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Active"), ("inactive", "Deactivated"), ("all", "Active and deactivated")],
    )
