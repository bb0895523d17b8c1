"""django-allauth adapted to ALIS-oversikt: no sign-up, Norwegian messages, lockout, SSO for existing users only."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts import events, lockout, sso, two_factor
from accounts.models import AuthEvent, User

LOCKED_OUT_MESSAGE = _(
    "For mange mislykkede innloggingsforsøk. Innloggingen er sperret en stund; prøv igjen om %(minutes)s minutter."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The same words whether the username exists or not, and for an inactive account.
        "username_password_mismatch": _("Feil brukernavn eller passord."),
        "invalid_login": _("Feil brukernavn eller passord."),
        "account_inactive": _("Feil brukernavn eller passord."),
        "too_many_login_attempts": LOCKED_OUT_MESSAGE,
        "incorrect_password": _("Feil passord."),
        "enter_current_password": _("Skriv inn passordet ditt."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False  # the administrator makes users (Django admin, createsuperuser)

    def validation_error(self, code: str, *args: Any) -> ValidationError:
        if code == "too_many_login_attempts":
            return ValidationError(LOCKED_OUT_MESSAGE % {"minutes": settings.LOCKOUT_MINUTES}, code=code)
        return super().validation_error(code, *args)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        username = str(credentials.get("username", ""))
        two_factor.forget(request)
        if lockout.is_locked_out(username=username, ip=events.client_ip(request)):
            # Hash anyway: a locked name answers as slowly as any other attempt.
            make_password(str(credentials.get("password", "")))
            events.record(AuthEvent.Kind.LOCKED_OUT, request=request, user=_user_named(username), username=username,
                          method="password")
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        username = str(credentials.get("username", ""))
        events.record(AuthEvent.Kind.LOGIN_FAILED, request=request, user=_user_named(username), username=username,
                      method="password")

    def get_login_stages(self) -> list[str]:
        # Our two-factor stage: it also lets through a sign-in whose identity provider did MFA itself.
        return [
            "accounts.stages.AuthenticateStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
            for stage in super().get_login_stages()
        ]

    def add_message(self, request: HttpRequest, level: int, message_template: str | None = None,
                    *args: Any, **kwargs: Any) -> None:
        # Signing in and out speaks for itself (the page changes); allauth's other messages are ours (templates).
        if message_template in {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}:
            return
        super().add_message(request, level, message_template, *args, **kwargs)


def _user_named(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Only users who exist: a stored identity, else (where the provider allows it) the e-mail address."""
        app_settings = sso.app_settings(sociallogin)
        if not sociallogin.is_existing:
            user = sso.match_user(sociallogin, app_settings)
            if user is None:
                events.record(
                    AuthEvent.Kind.SSO_REFUSED, request=request, username=sso.identity_label(sociallogin),
                    method=f"sso:{sociallogin.account.provider}",
                )
                raise ImmediateHttpResponse(
                    render(request, "accounts/sso_refused.html", {"provider": sso.provider_name(sociallogin)},
                           status=403)
                )
            sociallogin.connect(request, user)
        if sso.identity_provider_did_mfa(sociallogin, app_settings):
            two_factor.mark_proven(request, sociallogin.user)
        else:
            two_factor.forget(request)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("Feil kode. Prøv igjen med koden som vises nå."),
        "cannot_delete_authenticator": _("Du kan ikke slå av totrinnsbekreftelse."),
        "cannot_generate_recovery_codes": _(
            "Gjenopprettingskoder kan bare lages når totrinnsbekreftelse er slått på."
        ),
    }

    def get_totp_label(self, user: User) -> str:
        return user.get_username()

    def _get_site_name(self) -> str:
        return "ALIS-oversikt"
