"""Middleware of the app's own: input refused at the door."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

NUL = "\x00"
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


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
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)
