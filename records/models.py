"""Notes and documents kept on an ALIS, a municipality or a supervisor, and the ALIS's education plan.

The offices kept signed ALIS agreements, municipality–health-trust agreements and Helsedirektoratet's
decisions in their e-mail. Here each is a document with a type, a date and versions (a new upload of the
same document is a new version; the old ones are kept), and every note says who wrote it and when.
A note or a document belongs to exactly one record; it is read in that record's region only.
"""

from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from registry.models import Municipality
from supervision.models import SupervisorProfile
from training.models import Training

# The three kinds of record a note or a document can belong to, and the path from each to its office.
SUBJECT_OFFICE_PATHS = {
    "training": "training__employer__county__office_id",
    "municipality": "municipality__county__office_id",
    "supervisor": "supervisor__doctor__municipality__county__office_id",
}
ONE_SUBJECT = (
    Q(training__isnull=False, municipality__isnull=True, supervisor__isnull=True)
    | Q(training__isnull=True, municipality__isnull=False, supervisor__isnull=True)
    | Q(training__isnull=True, municipality__isnull=True, supervisor__isnull=False)
)


class AttachedQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "AttachedQuerySet":
        """The notes or documents of records in the user's region (none for the aggregate reader)."""
        queries = [region_q(user, path) for path in SUBJECT_OFFICE_PATHS.values()]
        if any(not q for q in queries):  # an empty Q: every region (`Q(pk__in=[]) | Q()` would be nothing)
            return self.all()
        query = Q(pk__in=[])
        for q in queries:
            query |= q
        return self.filter(query)

    def of(self, subject: models.Model) -> "AttachedQuerySet":
        return self.filter(**{subject_field(subject): subject})


def subject_field(subject: models.Model) -> str:
    """The field of a note or document that points to `subject`."""
    for name, model in (("training", Training), ("municipality", Municipality), ("supervisor", SupervisorProfile)):
        if isinstance(subject, model):
            return name
    raise TypeError(f"no notes or documents on {type(subject).__name__}")


class Attached(models.Model):
    """Belongs to one ALIS (training), one municipality or one supervisor."""

    training = models.ForeignKey(
        Training, verbose_name=_("utdanningsløp"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    supervisor = models.ForeignKey(
        SupervisorProfile,
        verbose_name=_("veileder"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AttachedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def subject(self) -> models.Model:
        return self.training or self.municipality or self.supervisor

    @subject.setter
    def subject(self, value: models.Model) -> None:
        setattr(self, subject_field(value), value)

    @property
    def office_id(self) -> int | None:
        subject = self.subject
        return subject.office_id if subject is not None else None


class Note(Attached, Versioned):
    """A dated note on a record: what happened, who wrote it and when."""

    written_on = DateField(_("dato"), default=timezone.localdate)
    text = models.TextField(_("notat"), max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet av"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        verbose_name = _("notat")
        verbose_name_plural = _("notater")
        ordering = ["-written_on", "-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=ONE_SUBJECT, name="records_note_one_subject")]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return f"{self.written_on:%d.%m.%Y}: {first_line[:60]}"


class Document(Attached, Versioned):
    """A document kept on a record; its files are its versions, the newest is the one that holds."""

    class Kind(models.TextChoices):
        ALIS_AGREEMENT = "alis_agreement", _("Signert ALIS-avtale")
        TRUST_AGREEMENT = "trust_agreement", _("Avtale kommune–helseforetak")
        REGISTRATION_DECISION = "registration_decision", _("Helsedirektoratets vedtak om registrering")
        EDUCATION_PLAN = "education_plan", _("Utdanningsplan")
        OTHER = "other", _("Annet")

    kind = models.CharField(_("type dokument"), max_length=30, choices=Kind)
    title = models.CharField(_("tittel"), max_length=200)
    dated = DateField(_("dato"), help_text=_("Datoen på dokumentet, for eksempel da avtalen ble signert."))
    description = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        ordering = ["kind", "-dated", "-pk"]
        constraints = [models.CheckConstraint(condition=ONE_SUBJECT, name="records_document_one_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


def version_upload_to(version: "DocumentVersion", filename: str) -> str:
    # A random folder per file: the name on disk can not be guessed, and two uploads never collide.
    return f"arkiv/{version.document_id}/{uuid4().hex}/{PurePath(filename).name}"


class DocumentVersion(models.Model):
    """One uploaded file of a document. Versions are numbered 1, 2, … and never changed or removed."""

    document = models.ForeignKey(
        Document, verbose_name=_("dokument"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versjon"))
    file = models.FileField(_("fil"), upload_to=version_upload_to, max_length=250)
    size = models.PositiveIntegerField(_("størrelse (byte)"), default=0)
    uploaded_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lastet opp av"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("versjon av dokument")
        verbose_name_plural = _("versjoner av dokumenter")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="records_documentversion_unique_number")
        ]

    def __str__(self) -> str:
        return _("versjon %(number)s: %(filename)s") % {"number": self.number, "filename": self.filename}

    @property
    def filename(self) -> str:
        return PurePath(self.file.name).name

    @property
    def office_id(self) -> int | None:
        return self.document.office_id


class EducationPlanQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "EducationPlanQuerySet":
        return self.filter(region_q(user, "training__employer__county__office_id"))


class EducationPlan(Versioned):
    """What the office knows of an ALIS's individual education plan and the progress the municipality reports.

    The learning objectives themselves live in Kompetanseportalen (the ALIS documents them, the supervisor
    recommends, the municipality's leader approves); only the dates and the count of approved ones are kept.
    The plan itself is a document of type «Utdanningsplan» on the same ALIS.
    """

    training = models.OneToOneField(
        Training, verbose_name=_("utdanningsløp"), on_delete=models.CASCADE, related_name="education_plan"
    )
    last_reviewed_on = DateField(_("sist gjennomgått"), null=True, blank=True)
    next_review_on = DateField(_("neste gjennomgang"), null=True, blank=True)
    progress_reported_on = DateField(
        _("siste framdriftsrapport fra kommunen"),
        null=True,
        blank=True,
        help_text=_("Datoen på kommunens siste rapport om framdriften i utdanningen."),
    )
    objectives_approved = models.PositiveSmallIntegerField(
        _("godkjente læringsmål"),
        null=True,
        blank=True,
        help_text=_("Antall læringsmål godkjent i Kompetanseportalen ved siste rapport. Tom = ikke kjent."),
    )

    objects = EducationPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("utdanningsplan og framdrift")
        verbose_name_plural = _("utdanningsplaner og framdrift")

    def __str__(self) -> str:
        return _("Utdanningsplan for %(name)s") % {"name": self.training.doctor.full_name}

    @property
    def office_id(self) -> int:
        return self.training.office_id
