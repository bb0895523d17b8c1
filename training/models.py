from datetime import date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from registry.models import Doctor, GpOffice, HealthTrust, Municipality, Specialty
from training import rules, schemes

percent_validators = [MinValueValidator(1), MaxValueValidator(100)]


class Scheme(models.TextChoices):
    NEW = "new", _("Ny ordning")
    OLD = "old", _("Gammel ordning")


class Contract(models.TextChoices):
    SALARIED = "salaried", _("Fastlønn")
    SELF_EMPLOYED = "self_employed", _("Næringsdrift")
    LOCUM = "locum", _("Vikariat")
    MUNICIPAL_NO_LIST = "municipal_no_list", _("Kommunalt ansatt uten liste")


class Status(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    LEAVE = "leave", _("Permisjon")
    COMPLETED = "completed", _("Fullført")
    LEFT = "left", _("Sluttet")


ONGOING = (Status.ACTIVE, Status.LEAVE)


class LeavingReason(models.TextChoices):
    """Why an ALIS left before finishing, in the field's own words.

    The first three are the reasons the follow-up research on ALIS-Nord and ALIS-Vest found (Fafo/NSDM 2023,
    seed 002: «Hvorfor slutter ALIS? Familiære og personlige årsaker; Ønsker ikke å jobbe i allmennpraksis;
    Misfornøyd med lønn og arbeidsvilkår»); a move is counted with family and personal reasons. «Another job
    in the municipality» is the offices' own category (issue 10, item 7).
    """

    PAY_AND_CONDITIONS = "pay_conditions", _("Misfornøyd med lønn og arbeidsvilkår")
    NOT_GENERAL_PRACTICE = "not_general_practice", _("Ønsker ikke å jobbe i allmennpraksis")
    FAMILY = "family", _("Familiære og personlige årsaker, flytting")
    MUNICIPAL_JOB = "municipal_job", _("Annen stilling i kommunen")
    OTHER = "other", _("Annen grunn")


class LeavingDestination(models.TextChoices):
    """Where an ALIS who left went, when the office knows it."""

    OTHER_MUNICIPALITY = "other_municipality", _("Annen kommune")
    SAME_MUNICIPALITY = "same_municipality", _("Samme kommune, annen stilling")
    HOSPITAL = "hospital", _("Sykehus")
    OTHER = "other", _("Annet")


class TrainingQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "TrainingQuerySet":
        return self.filter(region_q(user, "employer__county__office_id"))

    def ongoing(self) -> "TrainingQuerySet":
        return self.filter(status__in=ONGOING)

    def in_office(self, office_id: int) -> "TrainingQuerySet":
        return self.filter(employer__county__office_id=office_id)

    def with_supervisor_flag(self, on: date) -> "TrainingQuerySet":
        current = SupervisorAssignment.objects.filter(training=OuterRef("pk")).current(on)
        return self.annotate(has_supervisor=Exists(current))

    def without_supervisor(self, on: date) -> "TrainingQuerySet":
        return self.with_supervisor_flag(on).filter(has_supervisor=False)

    def with_solo_practice_flag(self) -> "TrainingQuerySet":
        """Annotate `possible_solo_practice` (see `possible_solo_practice`)."""
        colleagues = Doctor.objects.filter(gp_office=OuterRef("gp_office_id")).exclude(pk=OuterRef("doctor_id"))
        fellows = Training.objects.filter(gp_office=OuterRef("gp_office_id"), status__in=ONGOING).exclude(
            doctor=OuterRef("doctor_id")
        )
        solo = (
            Q(specialty=Specialty.GENERAL_PRACTICE, status__in=ONGOING, gp_office__isnull=False)
            & ~Exists(colleagues)
            & ~Exists(fellows)
        )
        return self.annotate(possible_solo_practice=ExpressionWrapper(solo, output_field=BooleanField()))

    def possible_solo_practice(self) -> "TrainingQuerySet":
        """Ongoing ALIS in allmennmedisin whose GP office has no other doctor the register knows of.

        An ALIS must not work in a solo practice and must have daily collegial supervision (seed 001, the
        ALIS-Vest invitation 2019: «ALIS skal ikke arbeide i en solopraksis, og må ha tilgang på daglig
        kollegial supervisjon»; RULES.md). Only a possibility: the register knows the doctors of an office
        from the regular-GP lists, which hold regular GPs only, and from what the office records; a
        colleague without a patient list may be missing. An ALIS without a GP office is not flagged: unknown.
        """
        return self.with_solo_practice_flag().filter(possible_solo_practice=True)

    def hospital_not_agreed(self, today: date) -> "TrainingQuerySet":
        """ALIS whose hospital service starts within the notice (12 weeks) and is not yet agreed with the trust."""
        # The few periods in the window, found once (a correlated EXISTS scanned them again for every training).
        return self.filter(pk__in=ServicePeriod.objects.hospital_not_agreed(today).values("training_id"))

    def hospital_planned_between(self, start: date, end: date) -> "TrainingQuerySet":
        """Planned hospital service overlapping the dates, as the overview counts it (done service is not)."""
        periods = ServicePeriod.objects.filter(
            training=OuterRef("pk"), kind=ServicePeriod.Kind.HOSPITAL, planned=True
        ).overlapping(start, end)
        return self.filter(Exists(periods))


class Training(Versioned):
    """One ALIS's course of training (utdanningsløp) with one employer."""

    doctor = models.ForeignKey(Doctor, verbose_name=_("lege"), on_delete=models.PROTECT, related_name="trainings")
    specialty = models.CharField(_("spesialitet"), max_length=20, choices=Specialty, default=Specialty.GENERAL_PRACTICE)
    employer = models.ForeignKey(
        Municipality, verbose_name=_("arbeidsgiver (kommune)"), on_delete=models.PROTECT, related_name="trainings"
    )
    gp_office = models.ForeignKey(
        GpOffice,
        verbose_name=_("legekontor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
    )
    scheme = models.CharField(_("ordning"), max_length=10, choices=Scheme, default=Scheme.NEW)
    contract = models.CharField(_("tilknytning"), max_length=20, choices=Contract)
    position_share = models.PositiveSmallIntegerField(
        _("stillingsandel (%)"), default=100, validators=percent_validators
    )
    start = DateField(_("startdato"))
    specialty_started = DateField(
        _("startet i spesialiseringen"),
        null=True,
        blank=True,
        help_text=_(
            "Når legen første gang startet i spesialiseringen, om det var før dette utdanningsløpet (for eksempel i "
            "en annen kommune). Avgjør om gammel ordning kan gjelde. Tom: hentes fra legens tidligere utdanningsløp."
        ),
    )
    expected_end = DateField(_("forventet ferdig"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    ended_on = DateField(_("avsluttet dato"), null=True, blank=True)
    leaving_reason = models.CharField(_("årsak til at ALIS sluttet"), max_length=20, choices=LeavingReason, blank=True)
    leaving_destination = models.CharField(
        _("hvor ALIS gikk"),
        max_length=20,
        choices=LeavingDestination,
        blank=True,
        help_text=_("Tom = ikke kjent."),
    )
    notes = models.TextField(_("merknader"), blank=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("utdanningsløp")
        verbose_name_plural = _("utdanningsløp")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position_share__gte=1, position_share__lte=100), name="training_training_share_1_to_100"
            ),
            models.CheckConstraint(
                condition=~Q(scheme="old")
                | Q(start__lt=schemes.NEW_SCHEME_START)
                | Q(specialty_started__isnull=False, specialty_started__lt=schemes.NEW_SCHEME_START),
                name="training_training_old_scheme_started_before_2019_03",
            ),
            models.CheckConstraint(
                condition=Q(specialty_started__isnull=True) | Q(specialty_started__lte=models.F("start")),
                name="training_training_specialty_started_not_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start")),
                name="training_training_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "employer"], name="training_status_employer")]

    def __str__(self) -> str:
        return f"{self.doctor} – {self.employer.name} ({self.start:%Y})"

    @property
    def office_id(self) -> int:
        return self.employer.county.office_id

    @property
    def is_ongoing(self) -> bool:
        return self.status in ONGOING

    def compute_expected_end(self) -> date:
        """The expected end from the start, the position share, leave and the doctor's earlier service."""
        from training import status

        return status.expected_end_of(self)


def period_name(kind: str, start: date, end: date | None) -> str:
    """«Åpen uselektert allmennpraksis 01.08.2023–31.07.2024», as periods are named on screen and in messages."""
    return f"{ServicePeriod.Kind(kind).label} {start:%d.%m.%Y}–{f'{end:%d.%m.%Y}' if end else '…'}"


# How long before a hospital period starts the office wants it agreed with the health trust (issue 12: «hospital
# service starting in the next 12 weeks that is not yet agreed»); the reminders count down from here.
HOSPITAL_NOTICE = timedelta(weeks=12)


class ServicePeriodQuerySet(models.QuerySet):
    def overlapping(self, start: date, end: date) -> "ServicePeriodQuerySet":
        return self.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))

    def hospital_not_agreed(self, today: date) -> "ServicePeriodQuerySet":
        """Hospital service starting from today to the notice's end, still only wanted (not agreed, not done)."""
        return self.filter(
            kind=ServicePeriod.Kind.HOSPITAL,
            hospital_status=HospitalStatus.WANTED,
            start__gte=today,
            start__lte=today + HOSPITAL_NOTICE,
        )


class HospitalStatus(models.TextChoices):
    """Where a hospital (institution) period stands with the health trust: the office negotiates the places."""

    WANTED = "wanted", _("Ønsket")
    AGREED = "agreed", _("Avtalt med helseforetaket")
    DONE = "done", _("Gjennomført")


class ServicePeriod(Versioned):
    class Kind(models.TextChoices):
        OPEN_PRACTICE = schemes.OPEN_PRACTICE, _("Åpen uselektert allmennpraksis")
        OTHER_MUNICIPAL = schemes.OTHER_MUNICIPAL, _("Annet allmennlegearbeid i kommunen")
        HOSPITAL = schemes.HOSPITAL, _("Institusjonstjeneste (sykehus)")
        COMMUNITY_MEDICINE = schemes.COMMUNITY_MEDICINE_WORK, _("Samfunnsmedisinsk arbeid")
        OTHER = schemes.OTHER, _("Annen tjeneste")
        LEAVE = schemes.LEAVE, _("Permisjon")

    training = models.ForeignKey(
        Training, verbose_name=_("utdanningsløp"), on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(_("type tjeneste"), max_length=20, choices=Kind)
    health_trust = models.ForeignKey(
        HealthTrust,
        verbose_name=_("helseforetak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_periods",
    )
    place = models.CharField(_("sted / avdeling"), max_length=200, blank=True)
    start = DateField(_("fra"))
    end = DateField(_("til"), null=True, blank=True)
    share = models.PositiveSmallIntegerField(_("stillingsandel (%)"), default=100, validators=percent_validators)
    planned = models.BooleanField(_("planlagt"), default=False, help_text=_("Planlagt, ikke gjennomført ennå."))
    hospital_status = models.CharField(
        _("status hos helseforetaket"),
        max_length=10,
        choices=HospitalStatus,
        blank=True,
        help_text=_("Bare for institusjonstjeneste. Tom: ønsket hvis planlagt, ellers gjennomført."),
    )

    objects = ServicePeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("tjenesteperiode")
        verbose_name_plural = _("tjenesteperioder")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="training_period_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(share__gte=1, share__lte=100), name="training_period_share_1_to_100"),
            models.CheckConstraint(
                condition=Q(kind="hospital") | Q(hospital_status=""),
                name="training_period_hospital_status_only_hospital",
            ),
        ]
        indexes = [models.Index(fields=["kind", "start", "end"], name="training_period_kind_dates")]

    def __str__(self) -> str:
        return period_name(self.kind, self.start, self.end)

    def as_rule_period(self) -> rules.Period:
        return rules.Period(
            kind=self.kind,
            start=self.start,
            end=self.end,
            share=self.share,
            planned=self.planned,
            key=self.pk,
            label=str(self),
        )


class SupervisorAssignmentQuerySet(models.QuerySet):
    def current(self, on: date) -> "SupervisorAssignmentQuerySet":
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class SupervisorAssignment(Versioned):
    """A doctor supervising (veileder) one ALIS's training for a time."""

    training = models.ForeignKey(
        Training, verbose_name=_("utdanningsløp"), on_delete=models.CASCADE, related_name="supervisor_assignments"
    )
    supervisor = models.ForeignKey(
        Doctor, verbose_name=_("veileder"), on_delete=models.PROTECT, related_name="supervisions"
    )
    start = DateField(_("fra"))
    end = DateField(_("til"), null=True, blank=True)

    objects = SupervisorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("veilederoppnevning")
        verbose_name_plural = _("veilederoppnevninger")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="training_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        names = {"supervisor": self.supervisor, "trainee": self.training.doctor}
        return _("%(supervisor)s veileder %(trainee)s") % names


class ShiftCount(Versioned):
    """How many on-call shifts (legevakter) the ALIS has done in all, as of a day (the old scheme asks for 40)."""

    training = models.ForeignKey(
        Training, verbose_name=_("utdanningsløp"), on_delete=models.CASCADE, related_name="shift_counts"
    )
    counted_on = DateField(_("per dato"))
    shifts = models.PositiveSmallIntegerField(
        _("legevakter i alt"), help_text=_("Alle legevakter i spesialiseringen fram til datoen, ikke bare de siste.")
    )
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("registrering av legevakter")
        verbose_name_plural = _("registreringer av legevakter")
        ordering = ["-counted_on"]
        constraints = [
            models.UniqueConstraint(fields=["training", "counted_on"], name="training_shiftcount_one_per_day"),
        ]

    def __str__(self) -> str:
        return _("%(shifts)s legevakter per %(day)s") % {"shifts": self.shifts, "day": f"{self.counted_on:%d.%m.%Y}"}


class OldSchemeOutcome(Versioned):
    """What became of an old-scheme ALIS at the deadline for applying for approval under the old rules."""

    class Kind(models.TextChoices):
        APPLIED = schemes.APPLIED, _("Søkt godkjenning, venter på vedtak")
        APPROVED = schemes.APPROVED, _("Godkjent spesialist etter gammel ordning")
        CONTINUES_NEW = schemes.CONTINUES_NEW, _("Fortsetter i ny ordning etter overgangsreglene")
        LEFT = schemes.LEFT, _("Sluttet i spesialiseringen")

    training = models.OneToOneField(
        Training, verbose_name=_("utdanningsløp"), on_delete=models.CASCADE, related_name="old_scheme_outcome"
    )
    outcome = models.CharField(_("utfall"), max_length=20, choices=Kind)
    decided_on = DateField(_("dato"), help_text=_("Når ALIS søkte, fikk vedtak, gikk over eller sluttet."))
    note = models.TextField(_("merknad"), blank=True)

    class Meta:
        verbose_name = _("utfall av gammel ordning")
        verbose_name_plural = _("utfall av gammel ordning")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.decided_on:%d.%m.%Y}"
