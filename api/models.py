"""Personal API tokens, and the log of personal lists read through the API."""

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


class ListRead(models.Model):
    """Someone read a list of personal records through the API: one entry per request, naming the list.

    core.models.Read logs one record per entry; a list is logged here with its filter, so that the log says
    what was seen without an entry per row.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_list_reads")
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    list_name = models.CharField(_("liste"), max_length=100)
    query = models.CharField(_("filter"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("rader"))

    class Meta:
        verbose_name = _("lesing av liste i API-et")
        verbose_name_plural = _("lesinger av lister i API-et")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="api_listread_user_at")]

    def __str__(self) -> str:
        return f"{self.user} {self.list_name} {self.at:%d.%m.%Y %H:%M}"
