"""Throttling of sign-in: failed attempts only, counted per username and per client address.

OWASP ASVS 4.0 V2.2.1: anti-automation against credential stuffing, brute force and lockout abuse. The
count lives in the security log (accounts.AuthEvent), so every worker process sees the same count and the
administrator sees why an account was refused. A successful sign-in is not a failure and counts nothing;
attempts refused while locked are logged as lockouts, not failures, so they do not prolong the lockout.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import AuthEvent

FAILURES = (AuthEvent.Kind.LOGIN_FAILED, AuthEvent.Kind.MFA_FAILED)


def is_over_limit(failures: int, limit: int) -> bool:
    """Locked once the failures within the period reach the limit (a limit of 0 or less never locks)."""
    return 0 < limit <= failures


def is_locked_out(*, username: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)
    failed = AuthEvent.objects.filter(kind__in=FAILURES, at__gte=since)
    if username and is_over_limit(
        failed.filter(username__iexact=username.strip()).count(), settings.LOCKOUT_FAILURES_PER_ACCOUNT
    ):
        return True
    return bool(ip) and is_over_limit(failed.filter(ip=ip).count(), settings.LOCKOUT_FAILURES_PER_ADDRESS)
