"""Writes to a user's own settings, and the mail a user gets when someone else changes how they sign in."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from accounts import events
from accounts.models import AuthEvent, User


def user_language_set(*, user: User, language: str) -> None:
    """Remember a signed-in user's language choice (a code of settings.LANGUAGES; anything else is ignored)."""
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def credential_change_notify(
    *, request: HttpRequest, user: User, template: str, email: str = "", context: dict | None = None
) -> None:
    """Mail `user` (at `email`, else their address) that their sign-in details were changed, in their language.

    allauth mails a user who changes their own password or second factor; this sends the same for a change an
    administrator makes for them (OWASP ASVS 2.2.3). `template` is allauth's, e.g. "account/email/password_reset".
    """
    with translation.override(user.language or settings.LANGUAGE_CODE):
        get_adapter(request).send_notification_mail(template, user, context=context, email=email or None)


def user_changed_by_administrator(*, request: HttpRequest, user: User, old_email: str, password: bool) -> None:
    """After an administrator changed `user` in Django admin: log a new password and mail the user about it, and
    mail both the old and the new address when the e-mail address changed."""
    if password:
        events.record(AuthEvent.Kind.PASSWORD_CHANGED, request=request, user=user, method="admin")
        credential_change_notify(request=request, user=user, template="account/email/password_reset")
    if old_email != user.email:
        change = {"from_email": old_email or "–", "to_email": user.email or "–"}
        for address in dict.fromkeys(a for a in (old_email, user.email) if a):
            credential_change_notify(
                request=request, user=user, template="account/email/email_changed", email=address, context=change
            )
