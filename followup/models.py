"""The office's follow-up: tasks with due dates, the rules that make them, e-mail notifications with their history,
and the start page's «Til oppfølging» counts as last computed.

A task is about at most one record, held in an explicit nullable foreign key per kind of record (ALIS, municipality,
supervisor, course, grant application) rather than a generic relation: the database keeps each link valid and
removes the tasks with their record, a task's list joins the record's name in the same query, the panel on a
record's page is an indexed filter, and the region a task belongs to can be checked against its record.
"""

import secrets
from functools import reduce
from itertools import combinations
from operator import and_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from courses.models import Course
from followup.rules import RuleKind
from grants.models import GrantApplication
from registry.models import Doctor, Municipality, Office
from training.models import Training

# The kinds of record a task can be about, by the name used in addresses (the record panel's URL).
RECORD_FIELDS = {
    "alis": "training",
    "kommune": "municipality",
    "veileder": "supervisor",
    "kurs": "course",
    "soknad": "grant_application",
}


# No two of the record fields are set together.
_AT_MOST_ONE_RECORD = reduce(
    and_,
    (Q(**{f"{a}__isnull": True}) | Q(**{f"{b}__isnull": True}) for a, b in combinations(RECORD_FIELDS.values(), 2)),
)


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "TaskQuerySet":
        return self.filter(region_q(user, "office_id"))

    def open(self) -> "TaskQuerySet":
        return self.filter(status=Task.Status.OPEN)


class Task(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        DONE = "done", _("Utført")
        CLOSED = "closed", _("Lukket av regelen")

    office = models.ForeignKey(Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("oppgave"), max_length=300)
    description = models.TextField(_("beskrivelse"), blank=True)
    due = DateField(_("frist"))
    assignee = models.ForeignKey(
        User,
        verbose_name=_("ansvarlig"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        help_text=_("Tom: kontorets felles oppgave."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    training = models.ForeignKey(
        Training, verbose_name=_("ALIS"), on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    supervisor = models.ForeignKey(
        Doctor, verbose_name=_("veileder"), on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("kurs"), on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    grant_application = models.ForeignKey(
        GrantApplication,
        verbose_name=_("tilskuddssøknad"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
    )
    # Made by a rule: which one, and the key that keeps a second run from making it again.
    rule = models.CharField(_("laget av regel"), max_length=20, choices=RuleKind, blank=True)
    rule_key = models.CharField(max_length=200, null=True, blank=True, unique=True, editable=False)
    rule_subject = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    closed_reason = models.CharField(_("hvorfor lukket"), max_length=200, blank=True, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("opprettet av"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    done_at = models.DateTimeField(_("utført"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        User, verbose_name=_("utført av"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("oppgave")
        verbose_name_plural = _("oppgaver")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_AT_MOST_ONE_RECORD,
                name="followup_task_about_one_record_at_most",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_at__isnull=False), name="followup_task_closed_has_time"
            ),
        ]
        indexes = [models.Index(fields=["office", "status", "due"], name="followup_task_office_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def record(self) -> models.Model | None:
        """The record the task is about, if any."""
        for name in RECORD_FIELDS.values():
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class TaskRule(Versioned):
    """One office's setting of one rule: whether it runs, on which days, and who gets its tasks."""

    office = models.ForeignKey(Office, verbose_name=_("ALIS-kontor"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("regel"), max_length=20, choices=RuleKind)
    active = models.BooleanField(_("i bruk"), default=True)
    days = models.JSONField(_("dager"), default=list)
    respite_days = models.PositiveSmallIntegerField(_("dager til frist"), default=14)
    assignee = models.ForeignKey(
        User,
        verbose_name=_("ansvarlig for oppgavene"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Tom: kontorets felles oppgaver."),
    )

    class Meta:
        verbose_name = _("regel for oppgaver")
        verbose_name_plural = _("regler for oppgaver")
        ordering = ["office", "kind"]
        constraints = [models.UniqueConstraint(fields=["office", "kind"], name="followup_taskrule_one_per_office")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.office})"


class NotificationSetting(models.Model):
    """What a user wants by e-mail (no row: the defaults)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_setting")
    weekly_digest = models.BooleanField(
        _("ukesoversikt hver mandag"), default=True, help_text=_("Dine åpne oppgaver og kontorets felles oppgaver.")
    )
    due_messages = models.BooleanField(
        _("e-post på fristdagen"), default=True, help_text=_("For oppgaver du er ansvarlig for.")
    )

    class Meta:
        verbose_name = _("varslingsinnstilling")
        verbose_name_plural = _("varslingsinnstillinger")

    def __str__(self) -> str:
        return str(self.user)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "NotificationQuerySet":
        """A user's own notifications, and those about the tasks of the regions they read."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(recipient=user) | (Q(task__isnull=False) & region_q(user, "task__office_id")))


class Notification(models.Model):
    """One e-mail to one person, kept with what became of it (queued, sent, failed with the reason, retried)."""

    class Kind(models.TextChoices):
        DUE = "due", _("Frist i dag")
        DIGEST = "digest", _("Ukesoversikt")

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        RETRY = "retry", _("Feilet, prøves igjen")
        FAILED = "failed", _("Feilet")
        SKIPPED = "skipped", _("Ikke sendt")

    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    recipient = models.ForeignKey(
        User, verbose_name=_("mottaker"), on_delete=models.CASCADE, related_name="notifications"
    )
    email = models.EmailField(_("e-postadresse"))
    task = models.ForeignKey(
        Task, verbose_name=_("oppgave"), on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    key = models.CharField(max_length=200, unique=True, editable=False)
    subject = models.CharField(_("emne"), max_length=300)
    body = models.TextField(_("tekst"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    next_attempt_at = models.DateTimeField(_("neste forsøk"), null=True, blank=True)
    last_error = models.TextField(_("feil"), blank=True)
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    read_at = models.DateTimeField(
        _("lest"), null=True, blank=True, help_text=_("Når mottakeren åpnet lenken i e-posten (ellers ukjent).")
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("varsel")
        verbose_name_plural = _("varsler")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="followup_notification_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def link(self) -> str:
        from django.urls import reverse

        return settings.SITE_URL + reverse("followup:notification_open", args=[self.token])


class DeliveryAttempt(models.Model):
    """One try to hand a notification to the mail server."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField(_("tidspunkt"))
    error = models.TextField(_("feil"), blank=True)

    class Meta:
        verbose_name = _("sendeforsøk")
        verbose_name_plural = _("sendeforsøk")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.at:%d.%m.%Y %H:%M}"

    @property
    def succeeded(self) -> bool:
        return not self.error


class AttentionSnapshot(models.Model):
    """The «Til oppfølging» counts of one office (or of all, scope "*"), as computed on a day from the data as it
    was (`data_mark`): read again until the day or the data changes."""

    scope = models.CharField(max_length=20, unique=True)
    computed_on = DateField()
    computed_at = models.DateTimeField()
    data_mark = models.CharField(max_length=500)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("tall til oppfølging")
        verbose_name_plural = _("tall til oppfølging")

    def __str__(self) -> str:
        return f"{self.scope} {self.computed_on:%d.%m.%Y}"
