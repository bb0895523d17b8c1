from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    """One change to domain data: who, when, and each field's old → new value (as shown on screen).

    `fields` is keyed by the field's name, not its label, so that each reader sees the labels in their own
    language (`field_rows`); rows stored before that hold bokmål labels where no field matched (core 0005)."""

    class Action(models.TextChoices):
        CREATE = "create", _("opprettet")
        UPDATE = "update", _("endret")
        DELETE = "delete", _("slettet")

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
    def field_rows(self) -> list[tuple[str, str, str]]:
        """Each changed field as (label in the reader's language, old value, new value)."""
        from core.history import field_label  # history imports this module

        model = self.content_type.model_class()
        return [(field_label(model, name), old, new) for name, (old, new) in self.fields.items()]

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
