"""Users and their roles. The table keeps its original name (core_user): the model moved here from core."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("Rådgiver ved ALIS-kontor")
    COORDINATOR = "coordinator", _("Nasjonal koordinator")
    READER = "reader", _("Leser (kun aggregerte tall)")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    role = models.CharField(_("rolle"), max_length=20, choices=Role, default=Role.OFFICE_STAFF)
    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("ALIS-kontor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_users",
    )

    class Meta:
        db_table = "core_user"
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="office_staff") | models.Q(office__isnull=False),
                name="core_user_office_staff_has_office",
            )
        ]

    @property
    def sees_all_regions(self) -> bool:
        return self.role in {Role.COORDINATOR, Role.ADMIN} or self.is_superuser

    @property
    def reads_personal_data(self) -> bool:
        return self.role != Role.READER

    @property
    def edits_reference_data(self) -> bool:
        return self.role in {Role.COORDINATOR, Role.ADMIN} or self.is_superuser

    @property
    def edits_all_regions(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def edits_region(self, office_id: int | None) -> bool:
        """Whether the user may change personal and regional data of this office's region."""
        if self.edits_all_regions:
            return True
        return self.role == Role.OFFICE_STAFF and office_id is not None and office_id == self.office_id
