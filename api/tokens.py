"""Making, checking and revoking personal API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from api.models import ApiToken

PREFIX = "alis_"
# A token lives at most a year (issue 14); the user makes a new one when it runs out.
MAX_DAYS = 365
DEFAULT_DAYS = 90
# The last-used time is written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for the user: the row, and the token itself (shown once, never stored)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1 to {MAX_DAYS}")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[: len(PREFIX) + 6],
        digest=digest(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return row, token


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_authenticate(token: str, *, now: datetime) -> ApiToken | None:
    """The usable token with this value (its user loaded), or None; notes when it was last used."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = ApiToken.objects.usable(now).select_related("user__office").filter(digest=digest(token)).first()
    if row is not None and (row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
