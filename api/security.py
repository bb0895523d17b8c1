"""Who is asking (a personal token acting as its user) and how often they may ask (per token)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from api.models import ApiToken
from api.tokens import token_authenticate

# Requests per token (or per address, without one) in each window; API_THROTTLE_RATE overrides, None turns it off.
DEFAULT_RATE = "600/min"
PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400, "d": 86400}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer alis_…`: the request acts as the token's user, with the user's roles and region."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        row = token_authenticate(token, now=timezone.now())
        if row is not None:
            request.user = row.user
            request.api_token = row
        return row


def parse_rate(rate: str) -> tuple[int, int]:
    count, _slash, period = rate.partition("/")
    return int(count), PERIODS[period]


class TokenThrottle(BaseThrottle):
    """A fixed window per token in Django's cache: `rate` requests, then 429 with Retry-After until the next.

    Kept behind Ninja's throttle interface so that a shared mechanism can replace it. With several server
    processes the cache must be shared by them (a database or Redis cache), or each counts on its own.
    """

    def __init__(self) -> None:
        self._wait: float | None = None

    def _ident(self, request: HttpRequest) -> str:
        token = getattr(request, "api_token", None)
        return f"token:{token.pk}" if token is not None else f"addr:{request.META.get('REMOTE_ADDR', '')}"

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, "API_THROTTLE_RATE", DEFAULT_RATE)
        if not rate:
            return True
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        key = f"api-throttle:{self._ident(request)}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            count = 1
        if count > limit:
            self._wait = (window + 1) * period - now
            return False
        return True

    def wait(self) -> float | None:
        return self._wait
