"""Personal API tokens. What is read through them is logged in the read log (core.models.Read)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now) -> "ApiTokenQuerySet":
        """Not revoked, not expired, and the user still active."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A personal token (`Authorization: Bearer …`): it acts as its user, with the user's roles and region.

    Only a SHA-256 digest of the token is stored; the token itself is shown once, when it is made. A token is
    256 random bits, so a fast hash is enough: there is nothing to guess by brute force.
    """

    user = models.ForeignKey(User, verbose_name=_("bruker"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("navn"), max_length=100, help_text=_("Hva nøkkelen brukes til, for eksempel et skript."))
    prefix = models.CharField(_("begynner med"), max_length=16)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    expires_at = models.DateTimeField(_("utløper"))
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="api_token_expires_after")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

