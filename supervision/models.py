from datetime import date

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from registry.models import Doctor
from training.models import SupervisorAssignment, Training


class SupervisorProfileQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SupervisorProfileQuerySet":
        """A supervisor belongs to the region of the municipality they work in."""
        return self.filter(region_q(user, "doctor__municipality__county__office_id"))

    def in_office(self, office_id: int) -> "SupervisorProfileQuerySet":
        return self.filter(doctor__municipality__county__office_id=office_id)

    def with_load(self, on: date) -> "SupervisorProfileQuerySet":
        """Annotate `load`: the supervisor's current assignments (veilederoppnevninger) on the day."""
        current = (
            SupervisorAssignment.objects.current(on)
            .filter(supervisor=OuterRef("doctor_id"))
            .order_by()
            .values("supervisor")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(load=Coalesce(Subquery(current), Value(0)))


class SupervisorProfile(Versioned):
    """A doctor in the supervisor pool (veilederpool): qualification, whom they take, and how many."""

    doctor = models.OneToOneField(
        Doctor, verbose_name=_("lege"), on_delete=models.CASCADE, related_name="supervisor_profile"
    )
    exemption_until = DateField(
        _("dispensasjon til"),
        null=True,
        blank=True,
        help_text=_(
            "For veiledere som ikke er spesialister: dispensasjon fra Helsedirektoratet gjelder til denne dagen."
        ),
    )
    course_completed_on = DateField(_("veilederkurs fullført"), null=True, blank=True)
    course_name = models.CharField(_("veilederkurs"), max_length=200, blank=True)
    supervises_alis = models.BooleanField(_("veileder ALIS"), default=True)
    supervises_lis1 = models.BooleanField(_("veileder LIS1"), default=False)
    supervises_community_medicine = models.BooleanField(_("veileder i samfunnsmedisin"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("kapasitet"), default=1, help_text=_("Hvor mange ALIS veilederen kan ha samtidig.")
    )
    remote_ok = models.BooleanField(_("kan veilede på avstand (video)"), default=False)
    available_from = DateField(_("tilgjengelig fra"), null=True, blank=True)
    notes = models.TextField(_("merknader"), blank=True)

    objects = SupervisorProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("veilederprofil")
        verbose_name_plural = _("veilederprofiler")
        ordering = ["doctor__last_name", "doctor__first_name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__lte=20), name="supervision_profile_capacity_at_most_20"),
        ]

    def __str__(self) -> str:
        return str(self.doctor)

    @property
    def office_id(self) -> int | None:
        return self.doctor.office_id


class SupervisionSessionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SupervisionSessionQuerySet":
        return self.filter(region_q(user, "training__employer__county__office_id"))


class SupervisionSession(Versioned):
    """One supervision session (veiledningstime) for one ALIS."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individuell")
        GROUP = "group", _("Gruppe")

    class Source(models.TextChoices):
        OFFICE = "office", _("Registrert av kontoret")
        IMPORT = "import", _("Importert fra liste")
        SUPERVISOR_LINK = "supervisor_link", _("Registrert av veileder via lenke")

    training = models.ForeignKey(
        Training, verbose_name=_("utdanningsløp"), on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    supervisor = models.ForeignKey(
        Doctor, verbose_name=_("veileder"), on_delete=models.PROTECT, related_name="supervision_sessions_given"
    )
    date = DateField(_("dato"))
    minutes = models.PositiveSmallIntegerField(_("minutter"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind, default=Kind.INDIVIDUAL)
    topic = models.CharField(_("tema"), max_length=200, blank=True)
    source = models.CharField(_("kilde"), max_length=20, choices=Source, default=Source.OFFICE)
    confirmed = models.BooleanField(_("bekreftet av veileder"), default=False)

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("veiledningstime")
        verbose_name_plural = _("veiledningstimer")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=600), name="supervision_session_minutes_5_to_600"
            ),
            # No double entry (issue 10): one session per ALIS's training, day, kind and supervisor. Two sittings
            # of the same kind with the same supervisor on one day are one session of their total minutes; an
            # import or a replayed form finds the session already there instead of adding it again.
            models.UniqueConstraint(
                fields=["training", "date", "kind", "supervisor"],
                name="supervision_session_unique_training_date_kind_supervisor",
            ),
        ]
        indexes = [models.Index(fields=["training", "date"], name="supervision_session_training")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y} ({self.minutes} min)"


class SupervisorLink(models.Model):
    """A private link that lets a supervisor confirm and add sessions without an account.

    The token in the link is this row's id signed with the secret key (`supervision.links`), so it can not
    be guessed or forged, and nothing secret is stored; the row holds the expiry and the revocation.
    """

    supervisor = models.ForeignKey(
        Doctor, verbose_name=_("veileder"), on_delete=models.CASCADE, related_name="supervisor_links"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = DateField(_("gyldig til"))
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("veilederlenke")
        verbose_name_plural = _("veilederlenker")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Lenke for %(name)s") % {"name": self.supervisor}

    def is_valid(self, today: date) -> bool:
        return self.revoked_at is None and today <= self.expires_on
