from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.counting import count_per_row
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from grants import calculation as calc
from grants import lines
from grants.calculation import GrantType, PositionType
from registry.models import Municipality
from training.models import Training

percent_validators = [MinValueValidator(1), MaxValueValidator(100)]


def default_applicability() -> dict[str, dict[str, list[str]]]:
    return {element: dict(rule) for element, rule in calc.DEFAULT_APPLICABILITY.items()}


# Why community medicine gets no ALIS grant unless the coordinator records a rule that says otherwise.
COMMUNITY_MEDICINE_SOURCE = (
    "Helsedirektoratet, regelverket for tilskuddet «Nasjonal ALIS og veiledning»: målet er at flere leger starter "
    "og fullfører spesialisering i allmennmedisin, og tilskuddet regnes etter allmennlegens rolle (fastlege/vikar, "
    "introduksjonslege, allmennlege utenfor fastlegeordningen). Samfunnsmedisin er ikke nevnt."
)


class GrantScheme(Versioned):
    """A grant scheme from Helsedirektoratet, e.g. "Nasjonal ALIS og veiledning", with its rules as data."""

    name = models.CharField(_("navn"), max_length=150, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    url = models.URLField(_("nettside"), blank=True)
    community_medicine_eligible = models.BooleanField(
        _("samfunnsmedisin gir tilskudd"),
        default=False,
        help_text=_("Kryss av bare når ordningens regelverk sier at ALIS i samfunnsmedisin kan få tilskuddet."),
    )
    eligibility_source = models.TextField(
        _("kilde for hvem som kan gi tilskudd"), blank=True, default=COMMUNITY_MEDICINE_SOURCE
    )

    class Meta:
        verbose_name = _("tilskuddsordning")
        verbose_name_plural = _("tilskuddsordninger")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _money(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=2, validators=[MinValueValidator(0)], **kwargs)


def _factor(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=8, decimal_places=4, validators=[MinValueValidator(0)], **kwargs)


def _rate(field: models.DecimalField) -> models.DecimalField:
    """A rate may be unknown (empty) until Helsedirektoratet announces it: estimates then say unknown."""
    field.null = field.blank = True
    return field


class RatePeriod(Versioned):
    """One period of a scheme with its rates (e.g. 1.6.2025–31.5.2026); national reference data."""

    scheme = models.ForeignKey(
        GrantScheme, verbose_name=_("tilskuddsordning"), on_delete=models.PROTECT, related_name="periods"
    )
    start = DateField(_("fra"))
    end = DateField(_("til"))
    verified = models.BooleanField(
        _("satsene er kontrollert"), default=False, help_text=_("Kontrollert mot Helsedirektoratets kunngjøring.")
    )
    source = models.CharField(_("kilde"), max_length=500, blank=True)
    application_deadline = DateField(_("søknadsfrist"), null=True, blank=True)
    auditor_deadline = DateField(
        _("frist for revisorerklæring"), null=True, blank=True, help_text=_("Vanligvis 1. april året etter.")
    )
    hourly_rate = _rate(_money(_("timesats (kr per time)")))
    practice_compensation_share = _rate(_factor(_("praksiskompensasjon, andel av timesatsen")))
    practice_compensation_hours = _rate(_factor(_("praksiskompensasjon, timer per år")))
    learning_activity_cap = _rate(_money(_("læringsaktiviteter, inntil kr per år")))
    productivity_amount = _rate(_money(_("redusert produktivitet, kr per år")))
    productivity_months = models.PositiveSmallIntegerField(
        _("redusert produktivitet, antall måneder fra første dag som fastlege/vikar"), null=True, blank=True
    )
    supervision_rate = _rate(_factor(_("veiledning, faktor på timesatsen")))
    supervision_hours = _rate(_factor(_("veiledning, timer per år")))
    facilitation_share = _rate(_factor(_("tilrettelegging, andel av summen av elementene")))
    centrality_supplement = _rate(_money(_("sentralitetstillegg (klasse 6), kr per år")))
    applicability = models.JSONField(
        _("hvilke elementer gjelder for hvilke stillingstyper og tilskuddstyper"), default=default_applicability
    )

    class Meta:
        verbose_name = _("satsperiode")
        verbose_name_plural = _("satsperioder")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="grants_rateperiod_ends_after_start"),
            models.UniqueConstraint(fields=["scheme", "start"], name="grants_rateperiod_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    @property
    def label(self) -> str:
        return f"{self.scheme.name} {self}"

    @property
    def year_label(self) -> str:
        """"2025/26" for 1.6.2025–31.5.2026; "2025" for a period within one calendar year."""
        return calc.year_label(self.start, self.end)

    def missing_rates(self) -> list[str]:
        """The rates not entered yet, in words."""
        return [str(calc.RATE_LABELS[name]) for name in self.rates().missing()]

    def rates(self) -> calc.Rates:
        return calc.Rates(
            hourly_rate=self.hourly_rate,
            practice_compensation_share=self.practice_compensation_share,
            practice_compensation_hours=self.practice_compensation_hours,
            learning_activity_cap=self.learning_activity_cap,
            productivity_amount=self.productivity_amount,
            productivity_months=self.productivity_months,
            supervision_rate=self.supervision_rate,
            supervision_hours=self.supervision_hours,
            facilitation_share=self.facilitation_share,
            centrality_supplement=self.centrality_supplement,
            applicability=self.applicability,
        )


class GrantProfile(Versioned):
    """What the grant needs to know about one ALIS that the training record does not hold."""

    training = models.OneToOneField(
        Training, verbose_name=_("utdanningsløp"), on_delete=models.CASCADE, related_name="grant_profile"
    )
    temp_agency = models.BooleanField(
        _("ansatt gjennom vikarbyrå"), default=False, help_text=_("ALIS ansatt gjennom vikarbyrå gir ikke tilskudd.")
    )
    position_type = models.CharField(_("stillingstype"), max_length=30, choices=PositionType, blank=True)
    first_gp_day = DateField(
        _("første dag som fastlege/fastlegevikar"),
        null=True,
        blank=True,
        help_text=_("Avgjør hvilke måneder som gir tilskudd for redusert produktivitet."),
    )

    class Meta:
        verbose_name = _("tilskuddsopplysninger")
        verbose_name_plural = _("tilskuddsopplysninger")

    def __str__(self) -> str:
        return str(self.training)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ApplicationQuerySet":
        return self.filter(region_q(user, "municipality__county__office_id"))

    def with_line_count(self) -> "ApplicationQuerySet":
        """`line_count`: the application's number of lines (ALIS), counted per application shown rather than by
        joining and grouping every line of every application (a list's page and its count then read only the
        applications: the join grew with the data, issue 16)."""
        return self.annotate(line_count=count_per_row(ApplicationLine.objects.all(), "application"))


class GrantApplication(Versioned):
    """A municipality's application for one rate period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SENT = "sent", _("Sendt")
        GRANTED = "granted", _("Innvilget")
        PAID = "paid", _("Utbetalt")
        AUDITED = "audited", _("Revisorerklæring mottatt")
        REPAY = "repay", _("Skal tilbakebetales")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="grant_applications"
    )
    period = models.ForeignKey(
        RatePeriod, verbose_name=_("satsperiode"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    sent_on = DateField(_("sendt"), null=True, blank=True)
    granted_amount = _money(_("innvilget beløp (kr)"), null=True, blank=True)
    paid_on = DateField(_("utbetalt"), null=True, blank=True)
    auditor_statement_on = DateField(_("revisorerklæring mottatt"), null=True, blank=True)
    repay_amount = _money(_("skal tilbakebetales (kr)"), null=True, blank=True)
    notes = models.TextField(_("merknader"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tilskuddssøknad")
        verbose_name_plural = _("tilskuddssøknader")
        ordering = ["municipality__number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "period"], name="grants_application_one_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.period}"

    @property
    def office_id(self) -> int:
        return self.municipality.county.office_id

    @property
    def is_sent(self) -> bool:
        return self.status != self.Status.DRAFT


class ApplicationLine(Versioned):
    """One ALIS in an application. Its amount is computed whenever it is shown (`evaluate`), never stored.

    Position type, position share and months are taken from the training unless the office typed them here
    (empty = from the training); an override of the amount needs a reason.
    """

    application = models.ForeignKey(
        GrantApplication, verbose_name=_("søknad"), on_delete=models.CASCADE, related_name="lines"
    )
    training = models.ForeignKey(
        Training, verbose_name=_("ALIS (utdanningsløp)"), on_delete=models.PROTECT, related_name="grant_lines"
    )
    position_type = models.CharField(_("stillingstype"), max_length=30, choices=PositionType, blank=True)
    grant_type = models.CharField(
        _("tilskuddstype"), max_length=20, choices=GrantType, default=GrantType.ALIS_AGREEMENT
    )
    position_share = models.PositiveSmallIntegerField(
        _("stillingsandel (%)"), validators=percent_validators, null=True, blank=True
    )
    months = models.PositiveSmallIntegerField(
        _("hele måneder i perioden"), validators=[MaxValueValidator(120)], null=True, blank=True
    )
    productivity_months = models.PositiveSmallIntegerField(
        _("hele måneder med redusert produktivitet"), validators=[MaxValueValidator(120)], null=True, blank=True
    )
    override_amount = _money(_("overstyrt beløp (kr)"), null=True, blank=True)
    override_reason = models.CharField(_("begrunnelse for overstyring"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("søknadslinje")
        verbose_name_plural = _("søknadslinjer")
        ordering = ["training__doctor__last_name", "training__doctor__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "training"], name="grants_line_one_per_training"),
            models.CheckConstraint(
                condition=Q(position_share__isnull=True) | Q(position_share__gte=1, position_share__lte=100),
                name="grants_line_share_1_to_100",
            ),
            models.CheckConstraint(
                condition=Q(override_amount__isnull=True) | ~Q(override_reason=""),
                name="grants_line_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.training.doctor)

    def typed_inputs(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in lines.TYPED_INPUTS}

    def inputs(self) -> lines.Inputs:
        """Reads the training and its grant profile: select them with the line when reading many."""
        period = self.application.period
        return lines.inputs(
            period_start=period.start,
            period_end=period.end,
            window=period.productivity_months,
            facts=lines.facts_of(self.training),
            grant_type=self.grant_type,
            typed=self.typed_inputs(),
        )

    def evaluate(self, estimator: lines.Estimator | None = None) -> lines.LineAmount:
        """The amount from today's rates, centrality and training, with its breakdown."""
        estimator = estimator or lines.Estimator(self.application.period.rates())
        centrality = self.application.municipality.centrality
        return estimator.line(self.inputs(), centrality, override=self.override_amount, reason=self.override_reason)


class CostSheetQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CostSheetQuerySet":
        return self.filter(region_q(user, "training__employer__county__office_id"))


EXPENSE_FIELDS = ("salary", "agreement_payment", "bonus", "office_costs", "supervision", "courses", "travel", "locum")
FINANCING_FIELDS = ("patient_fees", "per_capita", "alis_grant")
# Seed 002 (Agenda Kaupang for KS, 2022): the costs "knyttet til selve spesialistutdanningen" are supervision,
# travel and courses for the ALIS and locums; "et forsiktig anslag viste at utdanningsutgiftene utgjorde rundt
# 5 prosent av kommunens totale utgifter til hver enkelt ALIS".
EDUCATION_FIELDS = ("supervision", "courses", "travel", "locum")


class CostSheet(Versioned):
    """What one ALIS costs the municipality in one year (compare the research table "ALIS A–D")."""

    training = models.ForeignKey(
        Training, verbose_name=_("ALIS (utdanningsløp)"), on_delete=models.PROTECT, related_name="cost_sheets"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    list_length = models.PositiveIntegerField(_("listelengde"), null=True, blank=True)
    other_work_share = models.PositiveSmallIntegerField(
        _("andel annet kommunalt arbeid (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    salary = _money(_("lønn eller garantiinntekt"), default=Decimal(0))
    agreement_payment = _money(
        _("utbetalt etter ALIS-avtalen"),
        default=Decimal(0),
        help_text=_("For ALIS i næringsdrift: det kommunen betaler ALIS etter ALIS-avtalen i året."),
    )
    bonus = _money(_("bonus, rekrutteringstillegg"), default=Decimal(0))
    office_costs = _money(_("kontorutgifter"), default=Decimal(0))
    supervision = _money(_("veiledning"), default=Decimal(0))
    courses = _money(_("kurs"), default=Decimal(0))
    travel = _money(_("reiser"), default=Decimal(0))
    locum = _money(_("vikar under kurs og fravær"), default=Decimal(0))
    patient_fees = _money(_("egenandeler og refusjoner"), default=Decimal(0))
    per_capita = _money(_("basistilskudd (per innbygger på listen)"), default=Decimal(0))
    alis_grant = _money(
        _("ALIS-tilskudd"),
        default=Decimal(0),
        help_text=_("Tilskuddet for satsperioden som begynner i året (for 2025: 1.6.2025–31.5.2026)."),
    )
    notes = models.TextField(_("merknader"), blank=True)

    objects = CostSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("kostnadsark")
        verbose_name_plural = _("kostnadsark")
        ordering = ["-year", "training__doctor__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["training", "year"], name="grants_costsheet_one_per_year"),
            models.CheckConstraint(condition=Q(other_work_share__lte=100), name="grants_costsheet_share_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.training.doctor} {self.year}"

    @property
    def office_id(self) -> int:
        return self.training.employer.county.office_id

    @property
    def expenses(self) -> Decimal:
        return sum((getattr(self, name) for name in EXPENSE_FIELDS), Decimal(0))

    @property
    def financing(self) -> Decimal:
        return sum((getattr(self, name) for name in FINANCING_FIELDS), Decimal(0))

    @property
    def net_cost(self) -> Decimal:
        """The municipality's own cost: expenses less what the ALIS's work and the grants bring in."""
        return self.expenses - self.financing

    @property
    def education_costs(self) -> Decimal:
        return sum((getattr(self, name) for name in EDUCATION_FIELDS), Decimal(0))

    @property
    def education_share(self) -> Decimal | None:
        """Education costs as a share of all expenses (seed 002: "rundt 5 prosent"); None without expenses."""
        return self.education_costs / self.expenses if self.expenses else None
