from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.counting import count_per_row
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from registry.models import Doctor, Office
from training.models import Specialty, SupervisorAssignment, Training


class SupervisorProfileQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SupervisorProfileQuerySet":
        """A supervisor belongs to the region of the municipality they work in."""
        return self.filter(region_q(user, "doctor__municipality__county__office_id"))

    def in_office(self, office_id: int) -> "SupervisorProfileQuerySet":
        return self.filter(doctor__municipality__county__office_id=office_id)

    def with_load(self, on: date) -> "SupervisorProfileQuerySet":
        """Annotate `load`: the supervisor's current assignments (veilederoppnevninger) on the day."""
        return self.annotate(load=count_per_row(SupervisorAssignment.objects.current(on), "supervisor", "doctor_id"))


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
        indexes = [
            models.Index(fields=["training", "date"], name="supervision_session_training"),
            # The newest first with the id as tie-break (the API's sort): a region's first page walks this index
            # and stops, rather than sorting every session of the region (issue 16: 1.3× at twice the data).
            models.Index(fields=["-date", "id"], name="supervision_session_date_id"),
        ]

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


class SupervisionGroupQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SupervisionGroupQuerySet":
        """A group belongs to the office that keeps it (the region it meets in)."""
        return self.filter(region_q(user, "office_id"))


class SupervisionGroup(Versioned):
    """A supervision group (veiledningsgruppe): a few ALIS meeting regularly with a group leader.

    Its meetings, with who attended, are the record of each member's group supervision while they are in it
    (see `supervision.rules.group_minutes`).
    """

    class Rhythm(models.TextChoices):
        WEEKLY = "weekly", _("Hver uke")
        BIWEEKLY = "biweekly", _("Annenhver uke")
        MONTHLY = "monthly", _("Hver måned")
        BIMONTHLY = "bimonthly", _("Annenhver måned")
        OTHER = "other", _("Annen rytme")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("Fysisk")
        DIGITAL = "digital", _("Digitalt")
        MIXED = "mixed", _("Fysisk og digitalt")

    office = models.ForeignKey(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="supervision_groups"
    )
    name = models.CharField(_("navn"), max_length=150)
    specialty = models.CharField(_("spesialitet"), max_length=20, choices=Specialty, default=Specialty.GENERAL_PRACTICE)
    leader = models.ForeignKey(
        Doctor, verbose_name=_("gruppeleder"), on_delete=models.PROTECT, related_name="supervision_groups_led"
    )
    start = DateField(_("startdato"))
    ended_on = DateField(_("avsluttet"), null=True, blank=True)
    rhythm = models.CharField(_("rytme"), max_length=12, choices=Rhythm, default=Rhythm.MONTHLY)
    format = models.CharField(_("form"), max_length=12, choices=Format, default=Format.IN_PERSON)
    place = models.CharField(
        _("sted"), max_length=200, blank=True, help_text=_("Møtested, eller plattformen for digitale møter.")
    )
    notes = models.TextField(_("merknader"), blank=True)

    objects = SupervisionGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("veiledningsgruppe")
        verbose_name_plural = _("veiledningsgrupper")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start")),
                name="supervision_group_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active(self, on: date) -> bool:
        return self.start <= on and (self.ended_on is None or self.ended_on >= on)


class GroupMemberQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "GroupMemberQuerySet":
        return self.filter(region_q(user, "group__office_id"))

    def current(self, on: date) -> "GroupMemberQuerySet":
        """Memberships on the day: joined, not left, in a group that has started and not ended."""
        return self.filter(
            Q(left__isnull=True) | Q(left__gte=on),
            Q(group__ended_on__isnull=True) | Q(group__ended_on__gte=on),
            joined__lte=on,
            group__start__lte=on,
        )


class GroupMember(Versioned):
    """An ALIS (a course of training) in a supervision group, from the day they joined until they left."""

    group = models.ForeignKey(
        SupervisionGroup, verbose_name=_("veiledningsgruppe"), on_delete=models.CASCADE, related_name="members"
    )
    training = models.ForeignKey(
        Training, verbose_name=_("ALIS"), on_delete=models.CASCADE, related_name="group_memberships"
    )
    joined = DateField(_("med fra"))
    left = DateField(_("sluttet"), null=True, blank=True)

    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("gruppemedlem")
        verbose_name_plural = _("gruppemedlemmer")
        ordering = ["training__doctor__last_name", "training__doctor__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "training"], name="supervision_group_member_once"),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="supervision_group_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return str(self.training.doctor)

    def is_member_on(self, day: date) -> bool:
        return self.joined <= day and (self.left is None or self.left >= day)


class GroupMeetingQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "GroupMeetingQuerySet":
        return self.filter(region_q(user, "group__office_id"))


class GroupMeeting(Versioned):
    """One meeting of a supervision group: when, how long, and which members attended."""

    group = models.ForeignKey(
        SupervisionGroup, verbose_name=_("veiledningsgruppe"), on_delete=models.CASCADE, related_name="meetings"
    )
    date = DateField(_("dato"))
    minutes = models.PositiveSmallIntegerField(_("minutter"))
    topic = models.CharField(_("tema"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        Training, verbose_name=_("til stede"), blank=True, related_name="group_meetings_attended"
    )

    objects = GroupMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("gruppemøte")
        verbose_name_plural = _("gruppemøter")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=600), name="supervision_group_meeting_minutes_5_to_600"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.date:%d.%m.%Y}"
