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
from registry.models import Doctor, HealthTrust, Municipality, Office


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
    """The texts an office writes for its annual report; the tables are computed, never stored."""

    office = models.ForeignKey(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    goals_reached = models.TextField(_("måloppnåelse"), blank=True)
    comments = models.TextField(_("kommentarer"), blank=True)

    class Meta:
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")
        ordering = ["-year", "office"]
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="office_annualreport_one_per_year")]

    def __str__(self) -> str:
        return _("Årsrapport %(year)s – %(office)s") % {"year": self.year, "office": self.office}
