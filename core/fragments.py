"""Parts of pages kept whole by the write counters (core.tableversions) that carry forms.

A kept part is shared by every request that asks for it, but a form's CSRF token is the session's own: the part is
written with `CSRF_MARK` where a token goes (`{% csrf_token %}` reads it from the context), and each request puts
its own in (`with_csrf`).
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core import tableversions

CSRF_MARK = "csrf-token-of-the-request"


def with_csrf(request: HttpRequest, html: str) -> SafeString:
    """The kept part with the request's own CSRF token in each of its forms."""
    return mark_safe(html.replace(CSRF_MARK, get_token(request)))  # noqa: S308 -- a kept template's output


def kept_content(request: HttpRequest, key: str, template: str, build: Callable[[], dict]) -> SafeString:
    """A record's page content (`template`, drawn with the context `build` returns and the request's), kept for the
    reader until a table it was read from, or one the view read before, is written to (core.tableversions). `key`
    names the page and everything else it depends on; the reader, the day and the language are added."""

    def content() -> str:
        return render_to_string(template, {**build(), "csrf_token": CSRF_MARK}, request)

    full_key = f"content:{key}:{request.user.pk}:{timezone.localdate()}"
    return with_csrf(request, tableversions.kept(full_key, content, also=tableversions.so_far()))
