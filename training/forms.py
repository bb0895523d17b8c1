from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from registry.forms import CENTRALITY_CHOICES, MunicipalityNumberField, county_choices, filter_centrality
from registry.models import Doctor, GpOffice, Specialty
from training import rules
from training.models import (
    ONGOING,
    Contract,
    Scheme,
    ServicePeriod,
    Status,
    SupervisorAssignment,
    Training,
)

ONGOING_CHOICE = "ongoing"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
            "status",
            "ended_on",
            "leaving_reason",
            "leaving_destination",
            "notes",
        ]
        widgets = {"start": DATE_WIDGET, "ended_on": DATE_WIDGET}

    def __init__(self, *args, municipalities: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = municipalities
        self.fields["gp_office"].queryset = GpOffice.objects.filter(municipality__in=municipalities).select_related(
            "municipality"
        )
        self.fields["gp_office"].label_from_instance = lambda o: f"{o.name} ({o.municipality.name})"

    def clean(self) -> dict:
        data = super().clean()
        start, status = data.get("start"), data.get("status")
        if data.get("scheme") == Scheme.OLD and start and not rules.is_old_scheme_allowed(start):
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


def set_expected_end(training: Training) -> None:
    training.expected_end = (
        training.compute_expected_end()
        if training.pk
        else rules.expected_end(start=training.start, position_share=training.position_share)
    )


class ServicePeriodForm(VersionedModelForm):
    class Meta:
        model = ServicePeriod
        fields = ["kind", "health_trust", "place", "start", "end", "share", "planned"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == ServicePeriod.Kind.HOSPITAL and not data.get("health_trust"):
            self.add_error("health_trust", _("Velg helseforetaket for institusjonstjenesten."))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Til-dato kan ikke være før fra-dato."))
        if not data.get("planned") and start and not end:
            self.add_error("end", _("En gjennomført periode må ha en til-dato."))
        return data


class AssignmentForm(VersionedModelForm):
    class Meta:
        model = SupervisorAssignment
        fields = ["supervisor", "start", "end"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def __init__(self, *args, supervisors: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors.select_related("municipality")
        self.fields["supervisor"].label_from_instance = lambda d: (
            f"{d.last_name}, {d.first_name}" + (f" ({d.municipality.name})" if d.municipality else "")
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("supervisor") and data["supervisor"].pk == self.instance.training.doctor_id:
            self.add_error("supervisor", _("ALIS kan ikke være sin egen veileder."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Til-dato kan ikke være før fra-dato."))
        return data


def supervisor_choices(municipalities: QuerySet, current: Doctor | None) -> QuerySet:
    """Specialists working in the region, and the current supervisor even if not (any longer)."""
    doctors = Doctor.objects.filter(municipality__in=municipalities, is_specialist=True)
    if current is not None:
        doctors = doctors | Doctor.objects.filter(pk=current.pk)
    return doctors.order_by("last_name", "first_name")
