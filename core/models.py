from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    """One change to domain data: who, when, and each field's old → new value (as shown on screen).

    `fields` is keyed by the field's name, not its label, so that each reader sees the labels in their own
    language (`field_rows`); rows stored before that hold bokmål labels where no field matched (core 0007)."""

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
    """Someone read personal data (GDPR: reading personal data is logged, not only changing it; issue 11).

    A record's page, form or panel gives one entry per person it shows (the doctor a training is about, the
    supervisor too), or per record where the record is not about a doctor (a contact, an inquiry); a list or
    an export one entry naming the list and its filter (`page` holds the address with its query) and the
    number of rows it selected. No names are stored here: the person is a link (`doctor`), so that erasing a
    person leaves the log about them without their name. Kept for READ_LOG_RETENTION_DAYS (`prune_read_log`).
    """

    class Kind(models.TextChoices):
        RECORD = "record", _("post")
        LIST = "list", _("liste")
        EXPORT = "export", _("eksport")

    class Channel(models.TextChoices):
        WEB = "web", _("nettsidene")
        API = "api", _("API")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bruker"), on_delete=models.PROTECT, related_name="reads"
    )
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    kind = models.CharField(_("hva"), max_length=10, choices=Kind, default=Kind.RECORD)
    channel = models.CharField(_("kanal"), max_length=5, choices=Channel, default=Channel.WEB)
    # The record read (none for a list).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The person read about, when a doctor (the read log per person).
    doctor = models.ForeignKey(
        "registry.Doctor", verbose_name=_("lege"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The page: its URL name, its address with the query (a list's filter), a list's caption or export's name.
    view = models.CharField(_("side"), max_length=100, blank=True)
    page = models.CharField(_("adresse"), max_length=500, blank=True)
    label = models.CharField(_("liste"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rader"), null=True, blank=True)
    token = models.CharField(_("API-nøkkel"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("lesing av personopplysninger")
        verbose_name_plural = _("lesinger av personopplysninger")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_read_object"),
            models.Index(fields=["doctor", "at"], name="core_read_doctor_at"),
            models.Index(fields=["user", "at"], name="core_read_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.view} {self.at:%d.%m.%Y %H:%M}"


class GeneratedFile(models.Model):
    """A file (a PDF) built by the task worker from the data, kept while the data it was built from is unchanged.

    `kind` names what builds and shows it (core.generated_files.KINDS), `key` what it is of within the kind
    (its arguments as JSON, e.g. the office, year and format of an annual report). `data_version` is the day it was
    built and the tables it was read from with their write counters (core.tableversions), empty until it is built:
    a file of older data is never served (core.generated_files.is_current).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("venter")
        RUNNING = "running", _("lages")
        READY = "ready", _("ferdig")
        FAILED = "failed", _("feilet")

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    language = models.CharField(max_length=8)
    data_version = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=100, blank=True)  # core.generated_files.STEPS
    content = models.BinaryField(default=b"", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.status})"


class TableVersion(models.Model):
    """How often a watched table has been written to: kept by database triggers (core.tableversions), so every
    write counts, also bulk imports, cascades and raw SQL, and reading it costs the same at any table size."""

    table = models.CharField(max_length=63, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.table} {self.version}"
