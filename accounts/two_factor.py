"""Whether this session's user has proven a second factor, and whether they must.

Proven means: a code from an authenticator app, a security key or passkey, or a recovery code at sign-in
(allauth's sign-in stage asks whoever has one), an authenticator added in this session, or single sign-on
where the identity provider says it did multi-factor authentication itself (`amr`/`acr` claims).
"""

from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest

from accounts.models import User

SECOND_FACTORS = ("totp", "webauthn")
# The user (pk) whose second factor this session has seen; a new sign-in (another user) starts afresh.
PROVEN_SESSION_KEY = "alis_second_factor"


def mark_proven(request: HttpRequest | None, user: User) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[PROVEN_SESSION_KEY] = str(user.pk)


def forget(request: HttpRequest) -> None:
    request.session.pop(PROVEN_SESSION_KEY, None)


def is_proven(request: HttpRequest, user: User) -> bool:
    return request.session.get(PROVEN_SESSION_KEY) == str(user.pk)


def is_required(user: User) -> bool:
    """DJANGO_REQUIRE_2FA turns it on for everyone but the demo users (their password is published anyway)."""
    return settings.REQUIRE_2FA and not user.is_demo


def added_since(user: User, timestamp: float) -> bool:
    """Whether the user added an app or key after this moment (in this session: they proved it with a code)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=SECOND_FACTORS, created_at__gte=datetime.fromtimestamp(timestamp, tz=UTC)
    ).exists()


def has_second_factor(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()
