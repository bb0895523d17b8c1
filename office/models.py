"""The office's own work: inquiries, outreach activities, partners, staff, and the stored annual report texts.

Every row belongs to one office; `visible_to(user)` (built on `core.scoping.region_q`) is the only way views
read them, so another region's rows answer 404.
"""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from registry.models import Doctor, HealthTrust, Municipality, Office, RegistrationStatus


class OfficeQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "OfficeQuerySet":
        return self.filter(region_q(user, "office_id"))

    def in_year(self, year: int, field: str = "date") -> "OfficeQuerySet":
        return self.filter(**{f"{field}__gte": date(year, 1, 1), f"{field}__lte": date(year, 12, 31)})


class InquiryTopic(Versioned):
    """One topic in the national, editable list the offices count their inquiries by."""

    name = models.CharField(_("emne"), max_length=150, unique=True)
    ordering = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    active = models.BooleanField(
        _("i bruk"), default=True, help_text=_("Emner som ikke er i bruk, vises ikke i skjemaet.")
    )

    class Meta:
        verbose_name = _("emne for henvendelser")
        verbose_name_plural = _("emner for henvendelser")
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return self.name


class Inquiry(Versioned):
    """A question to the office (henvendelse), by phone, e-mail, meeting or Teams."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telefon")
        EMAIL = "email", _("E-post")
        MEETING = "meeting", _("Møte")
        TEAMS = "teams", _("Teams")

    class Sender(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommune")
        ALIS = "alis", _("ALIS")
        SUPERVISOR = "supervisor", _("Veileder")
        HEALTH_TRUST = "health_trust", _("Helseforetak")
        OTHER = "other", _("Annen")

    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        ANSWERED = "answered", _("Besvart")

    office = models.ForeignKey(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="inquiries"
    )
    date = DateField(_("dato"))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel, default=Channel.PHONE)
    sender = models.CharField(_("fra"), max_length=20, choices=Sender, default=Sender.MUNICIPALITY)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    doctor = models.ForeignKey(
        Doctor, verbose_name=_("lege"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    health_trust = models.ForeignKey(
        HealthTrust, verbose_name=_("helseforetak"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topics = models.ManyToManyField(InquiryTopic, verbose_name=_("emner"), related_name="inquiries")
    minutes = models.PositiveIntegerField(_("tidsbruk (minutter)"), default=10, validators=[MaxValueValidator(24 * 60)])
    note = models.CharField(_("kort notat"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ANSWERED)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("henvendelse")
        verbose_name_plural = _("henvendelser")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["office", "date"], name="office_inquiry_office_date")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.date:%d.%m.%Y}: {self.note[:40]}".strip()


class Partner(Versioned):
    """A partner the office meets (samarbeidspartner): Helsedirektoratet, Statsforvalteren, RegUt, KS …"""

    class Kind(models.TextChoices):
        DIRECTORATE = "directorate", _("Helsedirektoratet")
        COUNTY_GOVERNOR = "county_governor", _("Statsforvalteren")
        REGUT = "regut", _("RegUt")
        KS = "ks", _("KS")
        MEDICAL_ASSOCIATION = "medical_association", _("Legeforeningen")
        NSDM = "nsdm", _("NSDM")
        HEALTH_TRUST = "health_trust", _("Helseforetak")
        UNIVERSITY = "university", _("Universitet")
        OTHER = "other", _("Annen")

    office = models.ForeignKey(Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="partners")
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(_("type"), max_length=30, choices=Kind)
    notes = models.TextField(_("merknader"), blank=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("samarbeidspartner")
        verbose_name_plural = _("samarbeidspartnere")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="office_partner_unique_name")]

    def __str__(self) -> str:
        return self.name


class Activity(Versioned):
    """An outreach activity (utadrettet aktivitet); one with partners is a meeting held with them."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Kurs")
        MEETING = "meeting", _("Møte")
        CONFERENCE = "conference", _("Konferanse")
        TEAMS = "teams", _("Teams-møte")

    office = models.ForeignKey(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="activities"
    )
    date = DateField(_("dato"))
    place = models.CharField(_("sted"), max_length=150, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    theme = models.CharField(_("tema"), max_length=200)
    with_whom = models.CharField(_("med hvem"), max_length=300, blank=True)
    partners = models.ManyToManyField(
        Partner, verbose_name=_("samarbeidspartnere"), blank=True, related_name="activities"
    )
    participants = models.PositiveIntegerField(_("antall deltakere"), null=True, blank=True)
    comment = models.CharField(
        _("kommentar"),
        max_length=500,
        blank=True,
        help_text=_("Vises i årsrapporten, for eksempel «Arrangert sammen med Stavanger kommune»."),
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("utadrettet aktivitet")
        verbose_name_plural = _("utadrettede aktiviteter")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["office", "date"], name="office_activity_office_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}: {self.theme}"


class StaffMember(Versioned):
    """A person working at the office, for the annual report's staff table."""

    office = models.ForeignKey(Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="staff")
    name = models.CharField(_("navn"), max_length=150)
    title = models.CharField(_("stillingstittel"), max_length=150)
    position_percent = models.PositiveSmallIntegerField(
        _("stillingsprosent"), default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    start = DateField(_("startdato"))
    end = DateField(_("sluttdato"), null=True, blank=True)
    comment = models.CharField(
        _("kommentar"),
        max_length=200,
        blank=True,
        help_text=_("For eksempel «timelønnet» eller «overordnet personalansvar»."),
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("ansatt")
        verbose_name_plural = _("ansatte")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position_percent__gte=1, position_percent__lte=100), name="office_staff_percent_1_to_100"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="office_staff_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})"


class AnnualReport(Versioned):
    """What an office writes for its annual report of a year; the tables are computed, never stored.

    The sections and facts of ALIS Vest's report for 2022 (seed 003) that are not in the data: the host
    municipality and the budget in the introduction, the texts on the mandate, community medicine and the
    national working groups, the closing, and the signature block. Saved through the versioned form, so every
    change is in the history.
    """

    office = models.ForeignKey(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    host_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("vertskommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    host_unit = models.CharField(
        _("organisert under"),
        max_length=300,
        blank=True,
        help_text=_("Hvor kontoret ligger i vertskommunen, for eksempel etat og enhet."),
    )
    budget = models.PositiveIntegerField(
        _("budsjett (kroner)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000_000)],
        help_text=_("Kontorets budsjett for året. Tom = ikke oppgitt."),
    )
    host_cooperation = models.TextField(_("samarbeidet med vertskommunen"), blank=True)
    goals_reached = models.TextField(_("måloppnåelse"), blank=True)
    new_mandate = models.TextField(
        _("mandat og nye oppgaver"), blank=True, help_text=_("Endringer i mandatet og hva de har ført til i året.")
    )
    community_medicine = models.TextField(
        _("samfunnsmedisin"),
        blank=True,
        help_text=_("Arbeidet med samfunnsmedisin; vises under tabellen over registrerte virksomheter."),
    )
    working_groups = models.TextField(
        _("arbeidsgrupper og nasjonalt samarbeid"),
        blank=True,
        help_text=_("Deltakelse i arbeidsgrupper og aktiviteter sammen med de andre ALIS-kontorene."),
    )
    comments = models.TextField(_("avslutning og kommentarer"), blank=True)
    signature_place = models.CharField(_("sted"), max_length=100, blank=True)
    signature_date = DateField(_("dato"), null=True, blank=True)
    signer_name = models.CharField(_("navn (for kontoret)"), max_length=150, blank=True)
    signer_title = models.CharField(_("tittel (for kontoret)"), max_length=150, blank=True)
    host_signer_name = models.CharField(_("navn (for vertskommunen)"), max_length=150, blank=True)
    host_signer_title = models.CharField(_("tittel (for vertskommunen)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")
        ordering = ["-year", "office"]
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="office_annualreport_one_per_year")]

    def __str__(self) -> str:
        return _("Årsrapport %(year)s – %(office)s") % {"year": self.year, "office": self.office}

    # What stays from one year to the next: a new year's report starts from these of the year before.
    CARRIED_OVER = (
        "host_municipality",
        "host_unit",
        "signature_place",
        "signer_name",
        "signer_title",
        "host_signer_name",
        "host_signer_title",
    )

    @classmethod
    def for_year(cls, office: Office, year: int) -> "AnnualReport":
        """The stored texts, or new ones carrying over the host and the signers from the latest earlier year."""
        found = cls.objects.filter(office=office, year=year).first()
        if found is not None:
            return found
        report = cls(office=office, year=year)
        earlier = cls.objects.filter(office=office, year__lt=year).order_by("-year").first()
        if earlier is not None:
            for name in cls.CARRIED_OVER:
                setattr(report, name, getattr(earlier, name))
        return report


class Institution(Versioned):
    """A training institution for community medicine that is not a municipality («andre virksomheter»).

    A county governor, a health trust's public-health unit, a state agency: the annual report counts them
    with the municipalities as «kommuner og andre virksomheter» (seed 003, the community-medicine table).
    """

    office = models.ForeignKey(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="institutions"
    )
    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune (der virksomheten ligger)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("merknader"), blank=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("annen utdanningsvirksomhet")
        verbose_name_plural = _("andre utdanningsvirksomheter")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="office_institution_unique_name")]

    def __str__(self) -> str:
        return self.name


class InstitutionRegistration(models.Model):
    """One change in an institution's registration for community medicine; the latest one on a day holds."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("virksomhet"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus)
    valid_from = DateField(_("gjelder fra"))
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("registreringsstatus for virksomhet")
        verbose_name_plural = _("registreringsstatuser for virksomheter")
        ordering = ["institution", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "valid_from"], name="office_institutionregistration_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return _("%(status)s fra %(day)s") % {"status": self.get_status_display(), "day": f"{self.valid_from:%d.%m.%Y}"}

