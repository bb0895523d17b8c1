"""The sign-in form (fields `username` and `password`, as ever) and the code form, on top of allauth's."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import events, lockout
from accounts.adapters import AccountAdapter


class LoginForm(AllauthLoginForm):
    """allauth's password sign-in with the field named `username` (allauth calls it `login`)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("login")
        self.fields = {
            "username": forms.CharField(
                label=_("Brukernavn"), max_length=150,
                widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
            ),
            "password": forms.CharField(
                label=_("Passord"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
            ),
        }

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        self.cleaned_data["login"] = username  # where allauth's sign-in looks for it
        return username


class AuthenticateForm(AllauthAuthenticateForm):
    """The second step's code; wrong codes count towards the same lockout as wrong passwords."""

    def clean_code(self) -> str:
        request = context.request
        if lockout.is_locked_out(username=self.user.get_username(), ip=events.client_ip(request)):
            events.record(events.Kind.LOCKED_OUT, request=request, user=self.user, method="mfa")
            raise AccountAdapter().validation_error("too_many_login_attempts")
        return super().clean_code()
