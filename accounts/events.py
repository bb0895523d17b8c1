"""The security log: who signed in or out, failed, was locked out, changed their password or second factor, or
was refused a page (403) or a form (CSRF), from where.

Django's and allauth's signals report sign-in, sign-out and the changes to a user's password and authenticators;
the sign-in form and the middleware report failures, lockouts and expired sessions themselves; the 403 and CSRF
failure views (`accounts.views.permission_denied`, `csrf_failure`) report refusals.
"""

from datetime import timedelta

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import user_logged_in, user_logged_out
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from accounts import two_factor
from accounts.models import AuthEvent, User

Kind = AuthEvent.Kind
# Set on the request when the session ends by itself, so that the sign-out is logged as that.
EXPIRED_ATTRIBUTE = "_alis_session_expired"
# The session's record of how the user signed in (kept until sign-out), read when the sign-in is logged.
METHOD_SESSION_KEY = "alis_login_method"


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address (behind a proxy, the one the proxy saw: ALLAUTH_TRUSTED_PROXY_COUNT)."""
    if request is None or not getattr(request, "META", None):
        return None
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ValueError):
        return None


def record(
    kind: str,
    *,
    request: HttpRequest | None,
    user: User | None = None,
    username: str = "",
    method: str = "",
    path: str = "",
) -> AuthEvent:
    meta = getattr(request, "META", None) or {}
    return AuthEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        method=method[:40],
        ip=client_ip(request),
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:300],
        path=path[:300],
    )


# URL arguments that are secrets (a private link's token) or may name a person (an uploaded file's name).
PRIVATE_URL_ARGUMENTS = ("token", "filename")
# A refusal of the same kind on the same page to the same user (or, signed out, the same address) within this
# period is logged once: a reload, a double click or a script hammering one page writes one line, not thousands.
REFUSAL_QUIET_PERIOD = timedelta(minutes=5)


def logged_path(request: HttpRequest) -> str:
    """The request's path as the log keeps it: without its query string, tokens and file names."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name in PRIVATE_URL_ARGUMENTS:
        value = match.kwargs.get(name) if match is not None else None
        if value:
            path = path.replace(str(value), "…")
    return path[:300]


def record_refusal(kind: str, *, request: HttpRequest) -> AuthEvent | None:
    """A refused request (OWASP ASVS 7.2.2), unless the same refusal was logged within REFUSAL_QUIET_PERIOD."""
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    path = logged_path(request)
    recent = AuthEvent.objects.filter(kind=kind, path=path, at__gte=timezone.now() - REFUSAL_QUIET_PERIOD)
    recent = recent.filter(user=user) if user is not None else recent.filter(user=None, ip=client_ip(request))
    if recent.exists():
        return None
    return record(kind, request=request, user=user, path=path)


def _login_method(request: HttpRequest | None) -> str:
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    session = getattr(request, "session", None)
    if session is None:
        return ""
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    methods = []
    for entry in records:
        if entry.get("method") == "socialaccount":
            methods.append(f"sso:{entry.get('provider', '')}")
        elif entry.get("method") == "mfa":
            methods.append(entry.get("type", "mfa"))
        else:
            methods.append(entry.get("method", ""))
    return "+".join(dict.fromkeys(method for method in methods if method))


@receiver(user_logged_in, dispatch_uid="accounts_log_login")
def _on_login(sender: type, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    from accounts.middleware import start_clock

    method = _login_method(request) or "password"
    if request is not None and hasattr(request, "session"):
        request.session[METHOD_SESSION_KEY] = method
        start_clock(request)
    record(Kind.LOGIN, request=request, user=user, method=method)


@receiver(user_logged_out, dispatch_uid="accounts_log_logout")
def _on_logout(sender: type, request: HttpRequest | None, user: User | None, **kwargs: object) -> None:
    if user is None:
        return
    kind = Kind.SESSION_EXPIRED if getattr(request, EXPIRED_ATTRIBUTE, False) else Kind.LOGOUT
    record(kind, request=request, user=user)


@receiver(account_signals.password_set, dispatch_uid="accounts_log_password_set")
@receiver(account_signals.password_changed, dispatch_uid="accounts_log_password_changed")
def _on_password_changed(sender: type, request: HttpRequest, user: User, **kwargs: object) -> None:
    record(Kind.PASSWORD_CHANGED, request=request, user=user)


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts_log_mfa_added")
def _on_mfa_added(sender: type, request: HttpRequest, user: User, authenticator: Authenticator, **kw: object) -> None:
    record(Kind.MFA_ADDED, request=request, user=user, method=authenticator.type)
    if authenticator.type in two_factor.SECOND_FACTORS:
        two_factor.mark_proven(request, user)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts_log_mfa_removed")
def _on_mfa_removed(sender: type, request: HttpRequest, user: User, authenticator: Authenticator, **kw: object) -> None:
    record(Kind.MFA_REMOVED, request=request, user=user, method=authenticator.type)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts_log_mfa_reset")
def _on_mfa_reset(sender: type, request: HttpRequest, user: User, authenticator: Authenticator, **kw: object) -> None:
    record(Kind.RECOVERY_CODES, request=request, user=user, method=authenticator.type)


@receiver(mfa_signals.authenticator_used, dispatch_uid="accounts_mfa_used")
def _on_mfa_used(sender: type, request: HttpRequest, user: User, authenticator: Authenticator, **kw: object) -> None:
    two_factor.mark_proven(request, user)


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts_log_mfa_failed")
def _on_mfa_failed(sender: type, request: HttpRequest, user: User, authenticator: Authenticator, **kw: object) -> None:
    record(Kind.MFA_FAILED, request=request, user=user, method=authenticator.type)
