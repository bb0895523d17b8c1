"""Sign-in (allauth's flow on our page), the account page, and the administrator's security log."""

from allauth.account.views import LoginView
from allauth.mfa.base.views import IndexView
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.views import csrf, defaults
from django.views.i18n import set_language

from accounts import events, two_factor
from accounts.models import AuthEvent, Role, method_label
from accounts.services import user_language_set

PAGE_SIZE = 200


class AlisLoginView(LoginView):
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = [
            {"name": app.name, "url": app.get_provider(self.request).get_login_url(self.request)}
            for app in get_social_adapter().list_apps(self.request)
        ]
        return context


login = AlisLoginView.as_view()


class AccountView(IndexView):
    """Who you are, how you signed in, two-factor authentication, password and linked identities."""

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update({
            "two_factor_required": two_factor.is_required(user),
            "has_second_factor": two_factor.has_second_factor(user),
            "login_method": method_label(self.request.session.get(events.METHOD_SESSION_KEY, "")),
            "identities": user.socialaccount_set.all(),
            "is_administrator": user.role == Role.ADMIN or user.is_superuser,
        })
        return context


account = AccountView.as_view()


def auth_event_list(request: HttpRequest) -> HttpResponse:
    """The security log (sign-in, failures, lockouts, two-factor changes): for the administrator only."""
    if not (request.user.role == Role.ADMIN or request.user.is_superuser):
        raise PermissionDenied
    events = AuthEvent.objects.select_related("user")
    kind = request.GET.get("hendelse", "")
    if kind in AuthEvent.Kind.values:
        events = events.filter(kind=kind)
    username = request.GET.get("bruker", "").strip()[:150]
    if username:
        events = events.filter(username__iexact=username)
    return render(request, "accounts/auth_event_list.html", {
        "events": events[:PAGE_SIZE],
        "page_size": PAGE_SIZE,
        "kinds": AuthEvent.Kind.choices,
        "kind": kind,
        "username": username,
    })


@login_not_required
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language (on POST the cookie, then back to `next`), and the choice stored on a signed-in
    user. Like Django's, a GET only goes back."""
    response = set_language(request)
    if request.method == "POST":
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 403 page (templates/403.html), with the refusal in the security log (OWASP ASVS 7.2.2)."""
    events.record_refusal(AuthEvent.Kind.ACCESS_DENIED, request=request)
    return defaults.permission_denied(request, exception)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: the app's own page in the user's language (Django's is in English and
    has no menu), with the refusal in the security log (OWASP ASVS 7.2.2). In DEBUG, Django's page with the cause."""
    events.record_refusal(AuthEvent.Kind.CSRF_FAILED, request=request)
    if settings.DEBUG:
        return csrf.csrf_failure(request, reason)
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)
