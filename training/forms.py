from datetime import date

from django import forms
from django.db.models import Min, Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.suggestions import SuggestionField
from core.widgets import DateInput
from registry.forms import (
    CENTRALITY_CHOICES,
    DOCTOR_SEARCH,
    MunicipalityNumberField,
    county_choices,
    doctor_label,
    filter_centrality,
    gp_office_label,
)
from registry.models import Doctor, GpOffice, Specialty, specialists_in
from training import rules, schemes, status
from training.models import (
    ONGOING,
    Contract,
    HospitalStatus,
    OldSchemeOutcome,
    Scheme,
    ServicePeriod,
    ShiftCount,
    Status,
    SupervisorAssignment,
    Training,
)

ONGOING_CHOICE = "ongoing"


def half_year_choices(today: date) -> list[tuple[str, str]]:
    return [("", _("Alle"))] + [
        (f"{start.year}-{1 if start.month == 1 else 2}", rules.half_year_label(start))
        for start, _end in rules.half_years(today, 6)
    ]


def parse_half_year(value: str) -> tuple[date, date]:
    year, half = (int(part) for part in value.split("-"))
    return rules.half_years(date(year, 1 if half == 1 else 7, 1), 1)[0]


class TrainingFilterForm(ListFilterForm):
    search_fields = ("doctor__first_name", "doctor__last_name", "doctor__hpr_number", "employer__name")
    office_path = "employer__county__office__code"
    county = forms.ChoiceField(label=_("Fylke"), required=False)
    municipality = MunicipalityNumberField()
    centrality = forms.ChoiceField(label=_("Sentralitet"), choices=CENTRALITY_CHOICES, required=False)
    specialty = forms.ChoiceField(label=_("Spesialitet"), choices=[("", _("Alle")), *Specialty.choices], required=False)
    scheme = forms.ChoiceField(label=_("Ordning"), choices=[("", _("Alle")), *Scheme.choices], required=False)
    contract = forms.ChoiceField(label=_("Tilknytning"), choices=[("", _("Alle")), *Contract.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(ONGOING_CHOICE, _("Pågående (aktiv eller permisjon)")), ("", _("Alle")), *Status.choices],
        required=False,
    )
    hospital = forms.ChoiceField(label=_("Planlagt sykehustjeneste i"), required=False)
    no_supervisor = forms.BooleanField(label=_("Uten veileder"), required=False)
    solo_practice = forms.BooleanField(label=_("Mulig solopraksis"), required=False)
    hospital_not_agreed = forms.BooleanField(
        label=_("Sykehustjeneste innen 12 uker, ikke avtalt med helseforetaket"), required=False
    )

    def __init__(self, data, *, user, today: date) -> None:
        data = data.copy()
        data.setdefault("status", ONGOING_CHOICE)
        super().__init__(data, user=user)
        self.today = today
        self.fields["county"].choices = county_choices()
        self.fields["hospital"].choices = half_year_choices(today)
        if not user.sees_all_regions:
            del self.fields["office"]

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data["county"]:
            queryset = queryset.filter(employer__county__number=data["county"])
        if data["municipality"]:
            queryset = queryset.filter(employer__number=data["municipality"])
        queryset = filter_centrality(queryset, data["centrality"], "employer__centrality")
        for name in ("specialty", "scheme", "contract"):
            if data[name]:
                queryset = queryset.filter(**{name: data[name]})
        if data["status"] == ONGOING_CHOICE:
            queryset = queryset.filter(status__in=ONGOING)
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["hospital"]:
            queryset = queryset.hospital_planned_between(*parse_half_year(data["hospital"]))
        if data["no_supervisor"]:
            queryset = queryset.filter(has_supervisor=False)
        if data["solo_practice"]:
            queryset = queryset.possible_solo_practice()
        if data["hospital_not_agreed"]:
            queryset = queryset.hospital_not_agreed(self.today)
        return queryset


class TrainingForm(VersionedModelForm):
    class Meta:
        model = Training
        fields = [
            "specialty",
            "employer",
            "gp_office",
            "scheme",
            "contract",
            "position_share",
            "start",
            "specialty_started",
            "status",
            "ended_on",
            "leaving_reason",
            "leaving_destination",
            "notes",
        ]
        widgets = {"start": DateInput, "specialty_started": DateInput, "ended_on": DateInput}

    def __init__(self, *args, municipalities: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Choices, not Suggestion fields: the region's municipalities are tens, not hundreds, and the public
        # mapping form shares these two lists among all of a municipality's ALIS (survey.forms).
        self.fields["employer"].queryset = municipalities
        self.fields["gp_office"].queryset = GpOffice.objects.filter(municipality__in=municipalities).select_related(
            "municipality"
        )
        self.fields["gp_office"].label_from_instance = gp_office_label

    def clean(self) -> dict:
        data = super().clean()
        start, status = data.get("start"), data.get("status")
        if start and "specialty_started" in data:
            self._clean_specialty_started(data, start)
        first = rules.first_start(data.get("specialty_started"), start)
        if data.get("scheme") == Scheme.OLD and first and not rules.is_old_scheme_allowed(first):
            self.add_error("scheme", _("Gammel ordning gjelder bare ALIS som startet før 1. mars 2019."))
        office, employer = data.get("gp_office"), data.get("employer")
        if office and employer and office.municipality_id != employer.pk:
            self.add_error("gp_office", _("Legekontoret ligger ikke i kommunen som er arbeidsgiver."))
        if status in (Status.COMPLETED, Status.LEFT) and not data.get("ended_on"):
            self.add_error("ended_on", _("Oppgi når utdanningsløpet ble avsluttet."))
        if status == Status.LEFT and not data.get("leaving_reason"):
            self.add_error("leaving_reason", _("Oppgi hvorfor ALIS sluttet."))
        if status != Status.LEFT and data.get("leaving_reason"):
            self.add_error("leaving_reason", _("Årsak gjelder bare ALIS som har sluttet."))
        if status != Status.LEFT and data.get("leaving_destination"):
            self.add_error("leaving_destination", _("Hvor ALIS gikk, gjelder bare ALIS som har sluttet."))
        if start and data.get("ended_on") and data["ended_on"] < start:
            self.add_error("ended_on", _("Avsluttet dato kan ikke være før startdato."))
        return data

    def _clean_specialty_started(self, data: dict, start: date) -> None:
        """Not after this training's start; when empty, the start of the doctor's earliest training in the specialty
        if that was earlier (a doctor who moved keeps the date they first started, and with it the old scheme)."""
        given = data["specialty_started"]
        if given and given > start:
            self.add_error("specialty_started", _("Kan ikke være etter startdatoen for dette utdanningsløpet."))
            return
        doctor_id = self.instance.doctor_id
        if given or not doctor_id or not data.get("specialty"):
            return
        earliest = (
            Training.objects.filter(doctor_id=doctor_id, specialty=data["specialty"], start__lt=start)
            .exclude(pk=self.instance.pk)
            .aggregate(first=Min("start"))["first"]
        )
        if earliest:
            data["specialty_started"] = earliest


def set_expected_end(training: Training) -> None:
    training.expected_end = status.expected_end_of(training)


class ServicePeriodForm(VersionedModelForm):
    class Meta:
        model = ServicePeriod
        fields = ["kind", "health_trust", "place", "start", "end", "share", "planned", "hospital_status"]
        widgets = {"start": DateInput, "end": DateInput}

    def __init__(self, *args, today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == ServicePeriod.Kind.HOSPITAL and not data.get("health_trust"):
            self.add_error("health_trust", _("Velg helseforetaket for institusjonstjenesten."))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Til-dato kan ikke være før fra-dato."))
        if not data.get("planned") and start and not end:
            self.add_error("end", _("En gjennomført periode må ha en til-dato."))
        self._clean_hospital_status(data)
        if not self.errors and data.get("kind") and start and data.get("share"):
            self._refuse_overlap(data)
        return data

    def _clean_hospital_status(self, data: dict) -> None:
        """Only a hospital period has a status with the health trust; left empty, it follows «planlagt»."""
        if data.get("kind") != ServicePeriod.Kind.HOSPITAL:
            data["hospital_status"] = ""
            return
        planned, chosen = data.get("planned"), data.get("hospital_status")
        if not chosen:
            data["hospital_status"] = HospitalStatus.WANTED if planned else HospitalStatus.DONE
        elif planned and chosen == HospitalStatus.DONE:
            self.add_error("hospital_status", _("En planlagt periode kan ikke være gjennomført."))
        elif not planned and chosen == HospitalStatus.WANTED:
            self.add_error("hospital_status", _("En gjennomført periode kan ikke bare være ønsket."))

    def _refuse_overlap(self, data: dict) -> None:
        """Periods of one training may overlap only while their shares add up to at most 100 % on every day
        (RULES.md: overlapping periods never count twice). A period without an end runs until today here."""
        training = self.instance.training
        if not training.pk:
            return
        others = [p.as_rule_period() for p in training.periods.exclude(pk=self.instance.pk)]
        candidate = rules.Period(
            kind=data["kind"], start=data["start"], end=data.get("end"), share=data["share"], planned=data["planned"]
        )
        overlap = rules.first_overlap(candidate, others, on=self.today)
        if overlap is None:
            return
        names = [
            gettext("%(period)s (%(share)s %%)") % {"period": p.label, "share": p.share}
            for p in overlap.periods
            if p is not candidate
        ]
        self.add_error(
            None,
            gettext("Overlapper med %(periods)s: samlet stillingsandel blir %(total)s %% fra %(day)s.")
            % {
                "periods": gettext(" og ").join(names),
                "total": number_format(overlap.total_share),
                "day": f"{overlap.start:%d.%m.%Y}",
            },
        )


class ShiftCountForm(VersionedModelForm):
    class Meta:
        model = ShiftCount
        fields = ["counted_on", "shifts", "note"]
        widgets = {"counted_on": DateInput}

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict:
        data = super().clean()
        day, shifts = data.get("counted_on"), data.get("shifts")
        if day and day > self.today:
            self.add_error("counted_on", _("Datoen kan ikke være fram i tid."))
        if day is None or shifts is None:
            return data
        others = self.instance.training.shift_counts.exclude(pk=self.instance.pk)
        if others.filter(counted_on=day).exists():
            self.add_error("counted_on", _("Det er allerede registrert legevakter for denne datoen. Endre den."))
        earlier = others.filter(counted_on__lt=day, shifts__gt=shifts).order_by("-counted_on").first()
        later = others.filter(counted_on__gt=day, shifts__lt=shifts).order_by("counted_on").first()
        for other in (earlier, later):
            if other is not None:
                self.add_error(
                    "shifts",
                    _("Antallet er i alt og kan ikke gå ned: %(other)s.") % {"other": other},
                )
        return data


class OutcomeForm(VersionedModelForm):
    class Meta:
        model = OldSchemeOutcome
        fields = ["outcome", "decided_on", "note"]
        widgets = {"decided_on": DateInput}

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict:
        data = super().clean()
        day, outcome = data.get("decided_on"), data.get("outcome")
        if day and day > self.today:
            self.add_error("decided_on", _("Registrer utfallet når det har skjedd: datoen kan ikke være fram i tid."))
        elif day and outcome == OldSchemeOutcome.Kind.APPLIED and day > schemes.OLD_SCHEME_DEADLINE:
            self.add_error(
                "decided_on",
                _("Søknad etter gammel ordning må sendes innen 31.12.2026; etter fristen gjelder ny ordning."),
            )
        return data


class AssignmentForm(VersionedModelForm):
    class Meta:
        model = SupervisorAssignment
        fields = ["supervisor", "start", "end"]
        widgets = {"start": DateInput, "end": DateInput}

    def __init__(self, *args, supervisors: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A supervisor is a specialist in the ALIS's own specialty (registry.models.specialists_in): a SamLIS
        # gets a specialist in samfunnsmedisin. A current supervisor stays a choice, so that an older
        # assignment (an exemption) can still be ended. Typed and chosen among those; on the ALIS page the
        # pool, as supervision:supervisor_search finds it.
        specialty = self.instance.training.specialty
        allowed = specialists_in(specialty)
        if self.instance.supervisor_id:
            allowed |= Q(pk=self.instance.supervisor_id)
        invalid = (
            _("Velg en spesialist i samfunnsmedisin i regionen: en SamLIS skal ha en veileder som er det.")
            if specialty == Specialty.COMMUNITY_MEDICINE
            else _("Velg en spesialist i allmennmedisin i regionen.")
        )
        self.fields["supervisor"] = SuggestionField(
            supervisors.filter(allowed),
            url=reverse_lazy("supervision:supervisor_search"),
            search_fields=DOCTOR_SEARCH,
            label=self.fields["supervisor"].label,
            help_text=_("Skriv navnet eller HPR-nummeret, og velg i listen."),
            error_messages={"invalid_choice": invalid},
        )
        self.fields["supervisor"].label_from_instance = doctor_label
        self.order_fields(self._meta.fields)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("supervisor") and data["supervisor"].pk == self.instance.training.doctor_id:
            self.add_error("supervisor", _("ALIS kan ikke være sin egen veileder."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Til-dato kan ikke være før fra-dato."))
        return data


def _with_current(doctors: QuerySet, current: Doctor | None) -> QuerySet:
    if current is not None:
        doctors = doctors | Doctor.objects.filter(pk=current.pk)
    return doctors.order_by("last_name", "first_name", "pk")


def supervisor_choices(municipalities: QuerySet, current: Doctor | None) -> QuerySet:
    """Specialists (allmennmedisin or samfunnsmedisin) working in the region, and the current supervisor even if
    not (any longer): what an import or a municipality's answer may name; AssignmentForm keeps those of the
    ALIS's own specialty."""
    specialists = specialists_in(Specialty.GENERAL_PRACTICE) | specialists_in(Specialty.COMMUNITY_MEDICINE)
    return _with_current(Doctor.objects.filter(specialists, municipality__in=municipalities), current)


def pool_choices(pool: QuerySet, current: Doctor | None) -> QuerySet:
    """The supervisor pool as the ALIS page offers it (`pool`, the doctors `supervision:supervisor_search` finds),
    and the current supervisor even if not (any longer) in it."""
    return _with_current(pool, current)


NO_OUTCOME = "none"
CURRENT = "current"
ANY_RISK = "any"
NO_RISK = "none"


class OldSchemeFilterForm(ListFilterForm):
    """The old scheme's deadline list: every old-scheme ALIS (or one with an outcome recorded) in the region."""

    search_fields = ("doctor__first_name", "doctor__last_name", "doctor__hpr_number", "employer__name")
    office_path = "employer__county__office__code"
    municipality = MunicipalityNumberField()
    risk = forms.ChoiceField(
        label=_("Risiko"),
        choices=[
            ("", _("Alle")),
            (ANY_RISK, _("Med risiko")),
            *((key, label) for key, label in rules.RISKS.items()),
            (NO_RISK, _("Uten risiko")),
        ],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=[("", _("Alle")), (NO_OUTCOME, _("Ikke registrert")), *OldSchemeOutcome.Kind.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Utdanningsløp"),
        choices=[(CURRENT, _("Pågående eller med registrert utfall")), ("", _("Alle"))],
        required=False,
    )

    def __init__(self, data, *, user) -> None:
        data = data.copy()
        data.setdefault("status", CURRENT)
        super().__init__(data, user=user)
        if not user.sees_all_regions:
            del self.fields["office"]

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data["municipality"]:
            queryset = queryset.filter(employer__number=data["municipality"])
        if data["outcome"] == NO_OUTCOME:
            queryset = queryset.filter(old_scheme_outcome__isnull=True)
        elif data["outcome"]:
            queryset = queryset.filter(old_scheme_outcome__outcome=data["outcome"])
        if data["status"] == CURRENT:
            queryset = queryset.filter(Q(status__in=ONGOING) | Q(old_scheme_outcome__isnull=False))
        return queryset

    def keeps(self, alis: "status.AlisStatus") -> bool:
        """Whether the risk filter keeps this ALIS (the risks are computed, not stored)."""
        wanted = self.cleaned_data.get("risk") if self.is_valid() else ""
        keys = {risk.key for risk in alis.risks}
        if wanted == ANY_RISK:
            return bool(keys)
        if wanted == NO_RISK:
            return not keys
        return not wanted or wanted in keys
