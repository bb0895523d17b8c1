"""Rate limits on the public pages: so many requests per address and time window, then a Norwegian 429 page.

    @rate_limit(COURSE_SIGNUP)
    def signup(request, pk): ...

The pages anyone can reach without signing in (course sign-up, the private links of mapping campaigns and
supervisors, the cancel link) are what a bot hammers: sign-ups that fill a course with junk and send
e-mails, or guesses at links. A counter per address and window lives in the cache alias "ratelimit",
which is the database (so every web worker counts the same requests; the table is made by the migration
core 0004). A fixed window is crude (twice the limit can pass around the turn of a window) and the
database cache increments by read-then-write, so parallel requests can undercount a little; both are fine
for keeping bots off a form, and a cache with atomic increments (Redis) can replace it in settings alone.

Why not django-ratelimit: it needs Redis or Memcached for the same reason (it refuses the database cache
in its system checks), answers 403 unless glue turns that into 429, and reads the proxy's address its own
way, where this module uses the same address as the sign-in lockout; what remains is the lines below.
"""

import functools
import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.events import client_ip

CACHE = "ratelimit"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `requests` requests (of `methods`) from one address in `seconds`."""

    scope: str
    requests: int
    seconds: int
    methods: tuple[str, ...] = ("GET", "POST")


# A municipality's staff may share one address (NAT), so the limits leave room for a busy office; a bot
# sending sign-ups or guessing links meets them within minutes.
COURSE_SIGNUP = Limit("course-signup", requests=20, seconds=3600, methods=("POST",))
# The mapping's task list takes about three requests a section (open, save, back to the list), and a city
# with seventy ALIS has some ninety sections: room for answering it twice in an hour from one address.
MAPPING_LINK = Limit("mapping-link", requests=1200, seconds=3600)
SUPERVISOR_LINK = Limit("supervisor-link", requests=300, seconds=3600)
CANCEL_LINK = Limit("cancel-link", requests=60, seconds=3600)
# Read on every request, so that a test can lower a limit (monkeypatch.setitem).
LIMITS = {limit.scope: limit for limit in (COURSE_SIGNUP, MAPPING_LINK, SUPERVISOR_LINK, CANCEL_LINK)}


def client_address(request: HttpRequest) -> str:
    """The visitor's address as the sign-in lockout sees it; an IPv6 visitor's whole /64 as one.

    Behind the proxy (DJANGO_BEHIND_PROXY) that is the address the proxy saw, the last entry of
    X-Forwarded-For (accounts.events.client_ip); entries before it come from the client and can be forged.
    An IPv6 connection usually has a /64 to choose addresses from.
    """
    address = client_ip(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def allow(scope: str, key: str, *, requests: int, seconds: int) -> tuple[bool, int]:
    """Count one request of `key` in `scope`; (allowed, seconds until the window turns).

    When the counters can not be reached (the cache table missing after a restore without `migrate`),
    the request is let through and the error logged: a public form should not fail for a missing counter.
    """
    now = time.time()
    window = int(now // seconds)
    counter = f"rl:{scope}:{key}:{window}"
    cache = caches[CACHE]
    try:
        cache.add(counter, 0, timeout=seconds + 60)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, timeout=seconds + 60)
            count = 1
    except DatabaseError:
        logger.exception("Rate limit counters unavailable; %s let through", scope)
        return True, 0
    return count <= requests, int((window + 1) * seconds - now) + 1


def rate_limit(limit: Limit) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The view answers at most `limit.requests` requests per address in `limit.seconds`; then a 429 page."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            current = LIMITS.get(limit.scope, limit)
            if request.method in current.methods:
                key = client_address(request)
                allowed, retry_after = allow(current.scope, key, requests=current.requests, seconds=current.seconds)
                if not allowed:
                    response = render(request, "429.html", {"minutes": -(-retry_after // 60)}, status=429)
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
