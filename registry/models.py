from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q

CENTRALITY_CLASSES = range(1, 7)


class Specialty(models.TextChoices):
    GENERAL_PRACTICE = "general_practice", _("Allmennmedisin")
    COMMUNITY_MEDICINE = "community_medicine", _("Samfunnsmedisin")


class RegistrationStatus(models.TextChoices):
    """Registration as training institution (utdanningsvirksomhet), in the annual report's order."""

    REGISTERED = "registered", _("Registrert")
    PENDING = "pending", _("Søknad til behandling")
    TEMPORARY = "temporary", _("Midlertidig innvilget")
    NOT_APPLIED = "not_applied", _("Ikke søkt")


class Office(Versioned):
    code = models.SlugField(_("kortnavn"), max_length=10, unique=True)
    name = models.CharField(_("navn"), max_length=100, unique=True)
    location = models.CharField(_("sted"), max_length=100, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ALIS-kontor")
        verbose_name_plural = _("ALIS-kontorer")
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return self.name


class County(Versioned):
    number = models.CharField(_("fylkesnummer"), max_length=2, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    office = models.ForeignKey(Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="counties")

    class Meta:
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def in_office(self, office_id: int) -> "MunicipalityQuerySet":
        return self.filter(county__office_id=office_id)

    def editable_by(self, user: User) -> "MunicipalityQuerySet":
        """The municipalities whose data the user may change (forms offer only these)."""
        return self if user.edits_all_regions else self.filter(county__office_id=user.office_id)

    def with_registration_status(self, on: date | None = None) -> "MunicipalityQuerySet":
        """Annotate `status_<specialty>` with each specialty's status on a day (default: the latest)."""
        annotations = {}
        for specialty in Specialty:
            events = Registration.objects.filter(municipality=OuterRef("pk"), specialty=specialty)
            if on is not None:
                events = events.filter(valid_from__lte=on)
            latest = events.order_by("-valid_from", "-pk").values("status")[:1]
            # No event means not applied; as a value, not NULL, so that sorting keeps the two together.
            annotations[f"status_{specialty.value}"] = Coalesce(Subquery(latest), Value(RegistrationStatus.NOT_APPLIED))
        return self.annotate(**annotations)

    def with_gp_statistics(self, year: int | None) -> "MunicipalityQuerySet":
        """Annotate `gp_lists_without_doctor` and `gp_open_lists`: SSB's table 12005 for the year (None: unknown)."""
        figures = GpListStatistics.objects.filter(municipality=OuterRef("pk"), year=year)
        return self.annotate(
            gp_lists_without_doctor=Subquery(figures.values("lists_without_doctor")[:1]),
            gp_open_lists=Subquery(figures.values("open_lists")[:1]),
        )

    def with_registration_rank(self, on: date | None = None) -> "MunicipalityQuerySet":
        """Also `status_rank_<specialty>`: the status's place in the annual report's order, for sorting.

        An alias, not an annotation: compiled into the SQL only when a sort or filter uses it (each rank repeats
        its status's subquery four times; compiling them took 3 ms of a list page's 50 rows).
        """
        ranks = {}
        for specialty in Specialty:
            status = f"status_{specialty.value}"
            whens = [When(**{status: value}, then=Value(rank)) for rank, value in enumerate(RegistrationStatus.values)]
            ranks[f"status_rank_{specialty.value}"] = Case(*whens, output_field=models.IntegerField())
        return self.with_registration_status(on).alias(**ranks)


class LanguageForm(models.TextChoices):
    """A municipality's official language form (målvedtak).

    Språklova (LOV-2021-05-21-42), continuing mållova §§ 5–6 (Prop. 108 L (2019–2020) ch. 15): the
    municipal council may require bokmål or nynorsk in what public bodies write to it, or be neutral; the
    decisions are listed by Språkrådet (målvedtaksforskrifta). Empty: not known here (not looked up yet).
    """

    UNKNOWN = "", _("ukjent")
    NYNORSK = "nynorsk", _("nynorsk")
    BOKMAL = "bokmal", _("bokmål")
    NEUTRAL = "neutral", _("nøytral")


def message_language(language_form: str) -> str:
    """The language code of what a municipality receives (e-mails, mapping forms): nynorsk for a nynorsk
    municipality, else bokmål. A neutral municipality, or one whose form is unknown, gets bokmål, the
    app's own language (a municipality without a decision counts as neutral: Prop. 108 L ch. 15.1.1)."""
    return "nn" if language_form == LanguageForm.NYNORSK else "nb"


class Municipality(Versioned):
    number = models.CharField(
        _("kommunenummer"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Kommunenummeret har fire sifre."))],
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Offisielt navn, kan være samisk."))
    name_norwegian = models.CharField(_("norsk navn"), max_length=100)
    county = models.ForeignKey(County, verbose_name=_("fylke"), on_delete=models.PROTECT, related_name="municipalities")
    centrality = models.PositiveSmallIntegerField(
        _("sentralitet"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("SSBs sentralitetsklasse, 1 (mest sentral) til 6 (minst sentral). Tom = ukjent."),
    )
    # Where the class came from: SSB's file, the reference table, or the coordinator's note for a class set
    # by hand. Shown beside the class and in the history, so that no class is taken on trust.
    centrality_source = models.CharField(_("kilde for sentralitet"), max_length=300, blank=True)
    latitude = models.FloatField(_("breddegrad"), null=True, blank=True)
    longitude = models.FloatField(_("lengdegrad"), null=True, blank=True)
    sami_area = models.BooleanField(_("i forvaltningsområdet for samisk språk"), default=False)
    number_2020 = models.CharField(_("kommunenummer 2020"), max_length=4, blank=True)
    language_form = models.CharField(
        _("målform"),
        max_length=10,
        blank=True,
        default=LanguageForm.UNKNOWN,
        choices=LanguageForm,
        help_text=_(
            "Kommunens målvedtak (nynorsk, bokmål eller nøytral) etter Språkrådets liste. Nynorskkommuner får "
            "e-post og kartleggingsskjema på nynorsk."
        ),
    )
    notes = models.TextField(_("merknader"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(centrality__isnull=True) | Q(centrality__gte=1, centrality__lte=6),
                name="registry_municipality_centrality_1_to_6",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def office_id(self) -> int:
        return self.county.office_id

    @property
    def message_language(self) -> str:
        return message_language(self.language_form)

    def registration_status(self, specialty: str, on: date | None = None) -> str:
        """The status on a day, from the registration history; `not_applied` when nothing is known."""
        events = self.registrations.filter(specialty=specialty)
        if on is not None:
            events = events.filter(valid_from__lte=on)
        latest = events.order_by("-valid_from", "-pk").first()
        return latest.status if latest else RegistrationStatus.NOT_APPLIED


class Registration(models.Model):
    """One change in a municipality's registration as training institution; the latest one holds."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.CASCADE, related_name="registrations"
    )
    specialty = models.CharField(_("spesialitet"), max_length=20, choices=Specialty)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus)
    valid_from = DateField(_("gjelder fra"))
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("registreringsstatus")
        verbose_name_plural = _("registreringsstatuser")
        ordering = ["municipality", "specialty", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "specialty", "valid_from"], name="registry_registration_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return _("%(specialty)s: %(status)s fra %(day)s") % {
            "specialty": self.get_specialty_display(),
            "status": self.get_status_display(),
            "day": f"{self.valid_from:%d.%m.%Y}",
        }


class HealthTrust(Versioned):
    class Rhf(models.TextChoices):
        NORD = "nord", _("Helse Nord RHF")
        MIDT = "midt", _("Helse Midt-Norge RHF")
        VEST = "vest", _("Helse Vest RHF")
        SOR_OST = "sor_ost", _("Helse Sør-Øst RHF")

    name = models.CharField(_("navn"), max_length=150, unique=True)
    short_name = models.CharField(_("kortnavn"), max_length=40, blank=True)
    rhf = models.CharField(_("regionalt helseforetak"), max_length=10, choices=Rhf)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("kommuner i opptaksområdet"), related_name="health_trusts", blank=True
    )

    class Meta:
        verbose_name = _("helseforetak")
        verbose_name_plural = _("helseforetak")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class GpOffice(Versioned):
    name = models.CharField(_("navn"), max_length=150)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="gp_offices"
    )
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postnummer"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("Postnummeret har fire sifre."))],
    )
    postal_place = models.CharField(_("poststed"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("legekontor")
        verbose_name_plural = _("legekontorer")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="registry_gpoffice_unique_name")]

    def __str__(self) -> str:
        return self.name


hpr_validator = RegexValidator(r"^\d{4,9}$", _("HPR-nummeret skal bare ha sifre (4 til 9)."))


class DoctorQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "DoctorQuerySet":
        """Doctors working in the user's region, or with a course of training there."""
        if not user.is_authenticated or user.sees_all_regions:
            return self.filter(region_q(user, "municipality__county__office_id"))
        # The trainings' doctor ids straight from the trainings: no join back to every doctor (the search and the
        # lists ask this of each region's trainings, whose number grows with the data).
        trainings = self.model.trainings.field.model.objects
        in_trainings = trainings.filter(region_q(user, "employer__county__office_id")).values("doctor_id")
        return self.filter(region_q(user, "municipality__county__office_id") | Q(pk__in=in_trainings))


class Doctor(Versioned):
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("etternavn"), max_length=100)
    # NULL, not "", for an unknown number: the unique constraint must allow many unknowns.
    hpr_number = models.CharField(_("HPR-nummer"), max_length=9, null=True, blank=True, validators=[hpr_validator])  # noqa: DJ001
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("arbeidskommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="doctors",
    )
    gp_office = models.ForeignKey(
        GpOffice, verbose_name=_("legekontor"), on_delete=models.SET_NULL, null=True, blank=True, related_name="doctors"
    )
    is_regular_gp = models.BooleanField(_("fastlege"), default=False)
    list_size = models.PositiveIntegerField(_("listelengde"), null=True, blank=True)
    list_capacity = models.PositiveIntegerField(_("listetak"), null=True, blank=True)
    # NULL: not known (the regular-GP list says whether the list is open; the office may not know).
    list_open = models.BooleanField(_("åpen liste"), null=True, blank=True)
    is_specialist = models.BooleanField(_("spesialist i allmennmedisin"), default=False)
    specialist_since = DateField(_("spesialist siden"), null=True, blank=True)
    is_community_medicine_specialist = models.BooleanField(_("spesialist i samfunnsmedisin"), default=False)

    objects = DoctorQuerySet.as_manager()

    class Meta:
        verbose_name = _("lege")
        verbose_name_plural = _("leger")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hpr_number"], condition=Q(hpr_number__isnull=False), name="registry_doctor_unique_hpr"
            ),
            models.CheckConstraint(
                condition=Q(hpr_number__isnull=True) | Q(hpr_number__regex=r"^[0-9]{4,9}$"),
                name="registry_doctor_hpr_digits",
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"], name="registry_doctor_name")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def office_id(self) -> int | None:
        return self.municipality.county.office_id if self.municipality else None

    def is_specialist_in(self, specialty: str) -> bool:
        """Whether the doctor is a specialist in the specialty (see `specialists_in`)."""
        if specialty == Specialty.COMMUNITY_MEDICINE:
            return self.is_community_medicine_specialist
        return self.is_specialist


def specialists_in(specialty: str) -> Q:
    """The doctors who may supervise an ALIS of the specialty: specialists in that specialty.

    Sources: spesialistforskriften § 25 (the supervisor of an ALIS is a specialist in allmennmedisin; a
    municipality may get a time-limited exemption from Helsedirektoratet) and samlis.no (a SamLIS has a
    supervisor who is a specialist in samfunnsmedisin). RULES.md, "Specialist training" and "Community medicine".
    """
    if specialty == Specialty.COMMUNITY_MEDICINE:
        return Q(is_community_medicine_specialist=True)
    return Q(is_specialist=True)


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ContactQuerySet":
        return self.filter(region_q(user, "municipality__county__office_id"))


class Contact(Versioned):
    class Role(models.TextChoices):
        TRAINING_LEAD = "training_lead", _("Utdanningsansvarlig")
        CHIEF_MEDICAL_OFFICER = "chief_medical_officer", _("Kommuneoverlege")
        GP_SERVICE_HEAD = "gp_service_head", _("Leder for legetjenesten")
        POST_BOX = "post_box", _("Postmottak")
        OTHER = "other", _("Annen kontaktperson")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField(_("rolle"), max_length=30, choices=Role)
    name = models.CharField(_("navn"), max_length=150, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["municipality", "role", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name="", email=""), name="registry_contact_has_name_or_email")
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email} ({self.get_role_display()})"


class NumberChange(models.Model):
    """A municipality number SSB replaced by another, one to one (KLASS 131's changes), from a day.

    Recorded by the SSB import, so that figures filed under the old number (SSB's tables for the years
    before the change) find the municipality, and so that the reference data does not bring the old
    number back. Splits and mergers are not one to one and are never recorded: their figures belong to
    no single municipality of today.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.CASCADE, related_name="number_changes"
    )
    old_number = models.CharField(_("tidligere kommunenummer"), max_length=4, unique=True)
    old_name = models.CharField(_("tidligere navn"), max_length=100, blank=True)
    changed_on = DateField(_("endret fra"), null=True, blank=True)

    class Meta:
        verbose_name = _("endret kommunenummer")
        verbose_name_plural = _("endrede kommunenummer")
        ordering = ["municipality", "-changed_on"]

    def __str__(self) -> str:
        return f"{self.old_number} → {self.municipality.number}"


class SsbImportQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SsbImportQuerySet":
        """National reference data, but the history names who uploaded: for those who read personal data."""
        return self if user.is_authenticated and user.reads_personal_data else self.none()


class SsbImport(models.Model):
    """One file from SSB, kept from the preview to the confirmation, and what came of it: the import history.

    The file is read again when the preview is shown and when it is confirmed, against the register as it
    is then; `fingerprint` is the preview the coordinator confirmed, so that nothing else is saved.
    """

    class Kind(models.TextChoices):
        MUNICIPALITIES = "131", _("Kommuneinndeling (KLASS 131)")
        NUMBER_CHANGES = "131-changes", _("Endrede kommunenummer (KLASS 131)")
        CENTRALITY = "128", _("Sentralitet (KLASS 128)")
        GP_LISTS = "12005", _("Fastlegelister (SSB-tabell 12005)")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Klar til å bekreftes")
        INVALID = "invalid", _("Har feil")
        DONE = "done", _("Importert")
        NOTHING = "nothing", _("Ingenting å endre")

    kind = models.CharField(_("innhold"), max_length=20, choices=Kind, blank=True)
    filename = models.CharField(_("filnavn"), max_length=255)
    data = models.BinaryField(_("fil"))
    encoding = models.CharField(_("tegnsett"), max_length=20, blank=True)
    # Empty for a file imported with `manage.py import_ssb`.
    created_by = models.ForeignKey(
        User, verbose_name=_("lastet opp av"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status)
    message = models.TextField(_("melding"), blank=True)
    # What the import did (counts and the changes, as shown), written when it is confirmed.
    result = models.JSONField(_("resultat"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, verbose_name=_("bekreftet av"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("bekreftet"), null=True, blank=True)

    objects = SsbImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("import fra SSB")
        verbose_name_plural = _("importer fra SSB")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class GpListStatistics(models.Model):
    """One municipality's regular-GP figures for one year, from SSB's table 12005 (per 31 December).

    Source: SSB, statistikkbanken tabell 12005 «Fastlegelister og fastlegekonsultasjoner», from the
    regular-GP register (RULES.md, "Regular GPs"). Every figure may be unknown (NULL): SSB leaves cells
    out («..», «:») and the table need not hold every variable; an unknown figure is shown as unknown,
    never as 0. Recruitment-weak municipalities get special attention (seed 004): these are the figures
    that show them.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.CASCADE, related_name="gp_statistics"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    agreements = models.PositiveIntegerField(_("fastlegeavtaler"), null=True, blank=True)
    lists_without_doctor = models.PositiveIntegerField(_("lister uten lege"), null=True, blank=True)
    patients_without_doctor = models.PositiveIntegerField(_("pasienter på liste uten lege"), null=True, blank=True)
    share_without_doctor = models.DecimalField(
        _("andel pasienter på liste uten lege (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    open_lists = models.PositiveIntegerField(_("åpne lister"), null=True, blank=True)
    average_list_length = models.DecimalField(
        _("gjennomsnittlig listelengde"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("kapasitet (listetak)"), null=True, blank=True)
    # Capacity less the patients on the lists: negative when the lists hold more than their ceilings.
    spare_capacity = models.IntegerField(_("reservekapasitet"), null=True, blank=True)
    imported_from = models.ForeignKey(
        SsbImport, verbose_name=_("importert fra"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("fastlegestatistikk (SSB 12005)")
        verbose_name_plural = _("fastlegestatistikk (SSB 12005)")
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="registry_gpliststatistics_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}"

    @classmethod
    def latest_year(cls) -> int | None:
        """The latest year of SSB's table 12005 imported: the year the municipality list shows."""
        return cls.objects.aggregate(year=models.Max("year"))["year"]
