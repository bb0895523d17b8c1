"""Session expiry after inactivity, and two-factor authentication before anything else where it is required."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import events, two_factor

STARTED_SESSION_KEY = "alis_signed_in_at"
SEEN_SESSION_KEY = "alis_seen_at"
# The last-seen time is written at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60


def start_clock(request: HttpRequest) -> None:
    """At sign-in: the session's age and idle time count from now (and the first page need not save it)."""
    now = time.time()
    request.session[STARTED_SESSION_KEY] = now
    request.session[SEEN_SESSION_KEY] = now


def session_timeout(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Sign out after SESSION_IDLE_MINUTES without a request, or SESSION_COOKIE_AGE after signing in."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            if STARTED_SESSION_KEY not in session:  # signed in before these clocks existed
                start_clock(request)
            started = session.get(STARTED_SESSION_KEY, now)
            seen = session.get(SEEN_SESSION_KEY, started)
            idle = now - seen > settings.SESSION_IDLE_MINUTES * 60
            if idle or now - started > settings.SESSION_COOKIE_AGE:
                setattr(request, events.EXPIRED_ATTRIBUTE, True)
                logout(request)
                messages.info(
                    request,
                    _("Du ble logget ut etter %(minutes)s minutter uten aktivitet. Logg inn igjen.")
                    % {"minutes": settings.SESSION_IDLE_MINUTES}
                    if idle
                    else _("Innloggingen varer i høyst %(hours)s timer. Logg inn igjen.")
                    % {"hours": settings.SESSION_COOKIE_AGE // 3600},
                )
                # Signed out, the page asked for now answers as to anyone (LoginRequiredMiddleware: to sign-in).
            elif now - seen >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_SESSION_KEY] = now
        return get_response(request)

    return middleware


def _setup_paths() -> tuple[str, ...]:
    return (
        reverse("account"),  # the account page and everything under it: two-factor setup, password
        reverse("logout"),
        reverse("set_language"),
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}",
    )


def require_two_factor(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """With DJANGO_REQUIRE_2FA, a user who has not proven a second factor this session may only set one up."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and two_factor.is_required(user)
            and not two_factor.is_proven(request, user)
            and not request.path_info.startswith(_setup_paths())
        ):
            if two_factor.added_since(user, request.session.get(STARTED_SESSION_KEY, time.time())):
                two_factor.mark_proven(request, user)
                return get_response(request)
            messages.warning(
                request,
                _("Du må slå på totrinnsbekreftelse før du kan bruke ALIS-oversikt.")
                if not two_factor.has_second_factor(user)
                else _("Logg inn på nytt med totrinnsbekreftelse."),
            )
            if two_factor.has_second_factor(user):
                # Signed in before the requirement (or without the second step): sign in again, with it.
                logout(request)
                return redirect(f"{reverse('login')}?next={request.path}")
            return redirect("mfa_index")
        return get_response(request)

    return middleware


def user_language(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A signed-in user's stored language choice wins over the browser's; the language cookie follows it.

    LocaleMiddleware (before authentication) chose from the cookie or the browser; a user who has chosen a
    language sees it in every browser they sign in from, and the cookie is set to it so that the public
    site, opened after signing out, keeps it too. Users who never chose keep the cookie's or browser's.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen not in dict(settings.LANGUAGES):
            return get_response(request)
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = get_response(request)
        chosen = user.language  # the view may have changed it (a new choice sets the cookie itself)
        if (
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies
        ):
            remember_language(response, chosen)
        return response

    return middleware


def remember_language(response: HttpResponse, language: str) -> None:
    """Set the language cookie as Django's set_language does (its name, age, SameSite and Secure settings)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
