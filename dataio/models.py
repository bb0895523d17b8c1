from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.fields import DateField
from core.scoping import NOTHING


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ImportJobQuerySet":
        """An office's import jobs hold the uploaded files (personal data): only its own staff see them."""
        if not user.is_authenticated:
            return self.filter(NOTHING)
        if user.role == Role.ADMIN or user.is_superuser:
            return self.all()
        if user.role == Role.OFFICE_STAFF and user.office_id:
            return self.filter(office_id=user.office_id)
        return self.filter(NOTHING)


class ImportJob(models.Model):
    """One uploaded file, kept between the preview and the confirmation, and what came of it."""

    class Kind(models.TextChoices):
        GP_LIST = "gp_list", _("Fastlegeliste")
        ALIS_LIST = "alis_list", _("ALIS-liste fra kommune")
        SUPERVISION = "supervision", _("Veiledningstimer")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Leses og kontrolleres")
        PREVIEW = "preview", _("Klar til å bekreftes")
        INVALID = "invalid", _("Har feil")
        APPLYING = "applying", _("Lagres")
        DONE = "done", _("Importert")
        FAILED = "failed", _("Ikke importert")

    office = models.ForeignKey(
        "registry.Office", verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    filename = models.CharField(_("filnavn"), max_length=255)
    data = models.BinaryField(_("fil"))
    created_by = models.ForeignKey(User, verbose_name=_("lastet opp av"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CHECKING)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    plan = models.JSONField(_("forhåndsvisning"), null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    mark_gone = models.BooleanField(_("merk forsvunne fastleger"), default=False)
    message = models.TextField(_("melding"), blank=True)
    result = models.JSONField(_("resultat"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, verbose_name=_("bekreftet av"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    seconds = models.FloatField(_("sekunder"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("importjobb")
        verbose_name_plural = _("importjobber")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="alis_list") | Q(municipality__isnull=False),
                name="dataio_importjob_alis_list_has_municipality",
            )
        ]
        indexes = [models.Index(fields=["office", "-created_at"], name="dataio_importjob_office")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress / self.total)) if self.total else 0


class GpListSnapshot(models.Model):
    """Who was a regular GP in one municipality by a confirmed regular-GP list, on the day it was confirmed.

    The doctor records say who is a regular GP now; these say who was, when: retention after completion
    (issue 10, item 7) reads them. The regular-GP import writes one for every municipality its file covers,
    also one whose lists have no doctor; a second list for the same municipality on the same day replaces
    the first. A municipality with no list near a day is unknown on that day, never "not a regular GP".
    """

    municipality = models.ForeignKey(
        "registry.Municipality", verbose_name=_("kommune"), on_delete=models.CASCADE, related_name="gp_lists"
    )
    listed_on = DateField(_("listens dato"))
    doctors = models.ManyToManyField("registry.Doctor", verbose_name=_("fastleger"), related_name="+", blank=True)

    class Meta:
        verbose_name = _("fastlegeliste på en dag")
        verbose_name_plural = _("fastlegelister over tid")
        ordering = ["municipality", "listed_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "listed_on"], name="dataio_gplistsnapshot_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.listed_on:%d.%m.%Y}"
