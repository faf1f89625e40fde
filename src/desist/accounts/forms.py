"""Forms of the accounts app, with GOV.UK error messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from desist.accounts.second_factor import is_code_shaped, normalise_code


class SignInForm(AuthenticationForm):
    """Username and password, checked by Django's auth backends (django-axes first)."""

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off: ask your system administrator",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        )
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


class SecurityCodeForm(forms.Form):
    """The 6-digit code from the authenticator app, asked for after the password."""

    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now",
        max_length=20,
        error_messages={"required": "Enter the security code"},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not is_code_shaped(code):
            raise forms.ValidationError("The security code must be 6 numbers")
        return code


class ConfirmSecondFactorForm(SecurityCodeForm):
    """Confirm a new authenticator app with its first code."""


class RemoveSecondFactorForm(SecurityCodeForm):
    """Remove one's own second factor: a current code proves the phone is still at hand."""


class ChangePasswordForm(PasswordChangeForm):
    """Change one's own password (after an administrator set a temporary one, say)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages["password_incorrect"] = "Your current password is not right"
        self.error_messages["password_mismatch"] = "The new passwords do not match"
        for name, label, message in (
            ("old_password", "Current password", "Enter your current password"),
            ("new_password1", "New password", "Enter a new password"),
            ("new_password2", "Confirm new password", "Enter the new password again"),
        ):
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = message
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].help_text = "At least 8 characters, not a common password"
