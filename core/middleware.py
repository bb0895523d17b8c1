"""Middleware of the app's own: input refused at the door, no caching of personal data, and the request's reading of
the write counters."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from core import tableversions

NUL = "\x00"
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# URL namespaces whose views check NUL themselves and answer in their own format (the JSON API).
SELF_VALIDATING = frozenset({"api-v1"})


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    fields = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        fields.append(request.POST)
    for query in fields:
        for key, values in query.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    return any(NUL in (upload.name or "") for upload in request.FILES.values()) if len(fields) > 1 else False


class RefuseNulMiddleware:
    """Refuse (400) a request with a NUL character in its path, query string, form fields or file names.

    PostgreSQL can not store NUL in text, and a query with one fails in the database driver: before this,
    `?kontor=%00` made the public course calendar answer 500. No person types a NUL, so the request is
    refused at the door, once for every view, rather than field by field. Form fields had Django's own
    check already (ProhibitNullCharactersValidator); query strings, hidden fields and file names had not.
    The JSON API checks its own input and answers in its own format (problem+json), so it is left to it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, args: tuple, kwargs: dict) -> HttpResponse | None:
        if SELF_VALIDATING.isdisjoint(request.resolver_match.namespaces) and _has_nul(request):
            return render(request, "400.html", status=400)
        return None


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer, unless a public view made its answer public (ASVS 8.2.1).

    Pages for signed-in users hold personal data, and so do some public ones (a municipality's mapping
    form, a supervisor's link, a participant's cancel page): no browser cache, shared proxy or back button
    may keep them. So storing is refused by default; a view whose answer is the same for everyone (the
    course calendar, the iCalendar feed) says so with `@cache_control(public=True, max_age=…)`, and that
    stands for visitors who are not signed in (a signed-in user's page shows their name in the header) and
    answers that set no cookie (one that shows a message from the session, such as "Du er påmeldt …").
    Static files never reach this middleware: WhiteNoise serves them first, with long-lived caching of the
    hashed names.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        public = "public" in response.get("Cache-Control", "") and not response.cookies
        if signed_in or not public:
            if response.has_header("Cache-Control"):
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response


def request_reading(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """The write counters read once per request, and what the request reads noted (core.tableversions.per_request):
    what parts of a page are kept by."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with tableversions.per_request():
            return get_response(request)

    return middleware
