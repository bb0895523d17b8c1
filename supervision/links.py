"""Private links for supervisors: a signed token for one SupervisorLink row, checked against its expiry."""

from django.core import signing
from django.utils import timezone

from supervision.models import SupervisorLink

SALT = "supervision.supervisor-link"


def token_for(link: SupervisorLink) -> str:
    return signing.dumps(link.pk, salt=SALT)


def link_from_token(token: str) -> SupervisorLink | None:
    """The link the token opens, or None when it is forged, revoked or expired."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    link = SupervisorLink.objects.select_related("supervisor").filter(pk=pk).first()
    if link is None or not link.is_valid(timezone.localdate()):
        return None
    return link
