"""Parts of pages kept whole by the write counters (core.tableversions) that carry forms.

A kept part is shared by every request that asks for it, but a form's CSRF token is the session's own: the part is
written with `CSRF_MARK` where a token goes (`{% csrf_token %}` reads it from the context), and each request puts
its own in (`with_csrf`).
"""

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

CSRF_MARK = "csrf-token-of-the-request"


def with_csrf(request: HttpRequest, html: str) -> SafeString:
    """The kept part with the request's own CSRF token in each of its forms."""
    return mark_safe(html.replace(CSRF_MARK, get_token(request)))  # noqa: S308 -- a kept template's output
