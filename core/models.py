from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import region_q


class ChangeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ChangeQuerySet":
        """Changes the user may read: those to personal records only in the records' region (issue 11).

        A change is personal data when the record it describes is: it names the person and shows the old and
        new values. It follows the record's scoping as recorded with it (`personal`, `scope_*`).
        """
        return self.filter(change_scope_q(user))


def change_scope_q(user) -> Q:
    """The changes `user` may read, as a filter (see ChangeQuerySet.visible_to)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.reads_personal_data and user.sees_all_regions:
        return Q(pk__isnull=False)
    # region_q gives nothing to the aggregate reader and to staff without an office.
    in_region = region_q(user, "scope_office_id") | region_q(user, "scope_municipality__county__office_id")
    return Q(personal=False) | in_region


class Change(models.Model):
    """One change to domain data: who, when, and each field's old → new value (as shown on screen)."""

    class Action(models.TextChoices):
        CREATE = "create", _("opprettet")
        UPDATE = "update", _("endret")
        DELETE = "delete", _("slettet")
        ANONYMISE = "anonymise", _("anonymisert")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=300)
    # The record whose page shows this change too (a service period is shown on its training).
    parent_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, related_name="+")
    parent_id = models.PositiveBigIntegerField(null=True)
    action = models.CharField(max_length=10, choices=Action)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    fields = models.JSONField(default=dict)
    # Who may read the change: a change to a personal record (abilities.RULES) only the record's region, as
    # the record itself: the region of its municipality, or of its office for a record an office owns.
    personal = models.BooleanField(default=False)
    scope_municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scope_office = models.ForeignKey(
        "registry.Office", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("endring")
        verbose_name_plural = _("endringer")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_change_object"),
            models.Index(fields=["parent_type", "parent_id"], name="core_change_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} {self.get_action_display()} {self.at:%d.%m.%Y %H:%M}"

    @property
    def object_kind(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else self.content_type.model


class Versioned(models.Model):
    """A record edited in forms: the version number detects edits that would overwrite each other."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Read(models.Model):
    """Someone opened a personal record (GDPR: reading personal data is logged, not only changing it)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reads")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesing av personopplysninger")
        verbose_name_plural = _("lesinger av personopplysninger")
        ordering = ["-at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_read_object")]

    def __str__(self) -> str:
        return f"{self.user} {self.content_type.model} {self.object_id} {self.at:%d.%m.%Y %H:%M}"
