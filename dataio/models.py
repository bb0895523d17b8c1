from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.fields import DateField
from core.scoping import NOTHING


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ImportJobQuerySet":
        """An office's import jobs hold the uploaded files (personal data): only its own staff see them.

        A national job (no office: reference data such as SSB's classifications) is seen by those who edit
        reference data; everyone sees the jobs they uploaded themselves."""
        if not user.is_authenticated:
            return self.filter(NOTHING)
        if user.role == Role.ADMIN or user.is_superuser:
            return self.all()
        mine = Q(created_by=user)
        if user.role == Role.OFFICE_STAFF and user.office_id:
            mine |= Q(office_id=user.office_id)
        if user.edits_reference_data:
            mine |= Q(office__isnull=True)
        return self.filter(mine)

    def running(self) -> "ImportJobQuerySet":
        """Being read and checked, or being written, by the task worker."""
        return self.filter(status__in=ImportJob.RUNNING)

    def awaiting_confirmation(self) -> "ImportJobQuerySet":
        """Checked without errors: the preview waits for someone to confirm it (or for `clean_imports`)."""
        return self.filter(status=ImportJob.Status.PREVIEW)

    def ended(self) -> "ImportJobQuerySet":
        return self.filter(status__in=ImportJob.ENDED)


class ImportJob(models.Model):
    """One uploaded file, kept between the preview and the confirmation, and what came of it.

    Every import is a job: upload → checked by the task worker → preview → confirmed → written by the task
    worker, all or nothing → done; or it ends as «Har feil» (the file's errors, row by row) or «Ikke
    importert» (with the reason). The file is deleted when the job ends; `manage.py clean_imports` ends the
    jobs nobody finishes. The kinds and how each plans and writes its file: `dataio.jobs`.
    """

    class Kind(models.TextChoices):
        """The kinds dataio imports itself; another app's kind needs only its entry in `dataio.jobs.KINDS`."""

        GP_LIST = "gp_list", _("Fastlegeliste")
        ALIS_LIST = "alis_list", _("ALIS-liste fra kommune")
        SUPERVISION_SESSIONS = "supervision_sessions", _("Veiledningstimer")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Leses og kontrolleres")
        PREVIEW = "preview", _("Klar til å bekreftes")
        INVALID = "invalid", _("Har feil")
        APPLYING = "applying", _("Lagres")
        DONE = "done", _("Importert")
        FAILED = "failed", _("Ikke importert")

    # None for national reference data (no region): see ImportJobQuerySet.visible_to.
    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("ALIS-kontor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    # No choices in the column: a new kind (dataio.jobs.KINDS) needs no migration.
    kind = models.CharField(_("type"), max_length=40)
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
    confirmed_at = models.DateTimeField(_("bekreftet"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("fila slettet"), null=True, blank=True)
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

    RUNNING = (Status.CHECKING, Status.APPLYING)
    ENDED = (Status.INVALID, Status.DONE, Status.FAILED)

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.filename}"

    @property
    def kind_label(self) -> str:
        from dataio.jobs import kind_label

        return kind_label(self.kind)

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_ended(self) -> bool:
        return self.status in self.ENDED

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
