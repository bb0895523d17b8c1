from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.forms import Form, ModelForm
from core.suggestions import SuggestionField
from core.widgets import DateInput
from registry import statbank
from registry.models import (
    CENTRALITY_CLASSES,
    Contact,
    County,
    Doctor,
    GpListStatistics,
    GpOffice,
    HealthTrust,
    Municipality,
    Registration,
    RegistrationStatus,
    Specialty,
    SsbImport,
)

UNKNOWN = "unknown"
# What the Suggestion fields search in (core.suggestions): the same here and in the search views.
MUNICIPALITY_SEARCH = ("name", "name_norwegian", "number")
GP_OFFICE_SEARCH = ("name", "municipality__name", "postal_place")
DOCTOR_SEARCH = ("first_name", "last_name", "hpr_number")


def doctor_label(doctor: Doctor) -> str:
    """A doctor as the choice lists show one: «Nordmann, Kari (HPR 1234567)»."""
    return f"{doctor.last_name}, {doctor.first_name}" + (f" (HPR {doctor.hpr_number})" if doctor.hpr_number else "")


def gp_office_label(office: GpOffice) -> str:
    return f"{office.name} ({office.municipality.name})"


def municipality_field(queryset: QuerySet, *, editable: bool = False, **kwargs) -> SuggestionField:
    """A municipality chosen by typing its name or number (one of 357)."""
    url = reverse_lazy("registry:municipality_search")
    return SuggestionField(
        queryset,
        url=f"{url}?redigerbare=1" if editable else url,
        search_fields=MUNICIPALITY_SEARCH,
        help_text=_("Skriv navnet eller kommunenummeret, og velg i listen."),
        **kwargs,
    )


CENTRALITY_CHOICES = [
    ("", _("Alle")),
    *((str(c), str(c)) for c in CENTRALITY_CLASSES),
    (UNKNOWN, _("Ukjent")),
]
YES_NO = [("", _("Alle")), ("1", _("Ja")), ("0", _("Nei"))]


class MunicipalityNumberField(forms.CharField):
    """A municipality number typed into a filter: four digits or nothing."""

    def __init__(self, **kwargs) -> None:
        super().__init__(label=_("Kommunenummer"), required=False, max_length=4, **kwargs)

    def clean(self, value: str) -> str:
        value = super().clean(value).strip()
        if value and not (value.isdigit() and len(value) == 4):
            raise forms.ValidationError(_("Kommunenummeret har fire sifre."))
        return value


def county_choices() -> list[tuple[str, str]]:
    return [("", _("Alle fylker")), *((c.number, f"{c.name}") for c in County.objects.all())]


def filter_centrality(queryset: QuerySet, value: str, path: str) -> QuerySet:
    if value == UNKNOWN:
        return queryset.filter(**{f"{path}__isnull": True})
    if value:
        return queryset.filter(**{path: int(value)})
    return queryset


WITHOUT_DOCTOR, NO_OPEN_LISTS = "without_doctor", "no_open_lists"
GP_LIST_CHOICES = [
    ("", _("Alle")),
    (WITHOUT_DOCTOR, _("Har lister uten lege")),
    (NO_OPEN_LISTS, _("Ingen åpne lister")),
    (UNKNOWN, _("Ikke kjent")),
]


class MunicipalityFilterForm(ListFilterForm):
    search_fields = ("number", "name", "name_norwegian")
    office_path = "county__office__code"
    county = forms.ChoiceField(label=_("Fylke"), required=False)
    centrality = forms.ChoiceField(label=_("Sentralitet"), choices=CENTRALITY_CHOICES, required=False)
    specialty = forms.ChoiceField(label=_("Spesialitet"), choices=Specialty, required=False)
    status = forms.ChoiceField(
        label=_("Registreringsstatus"), choices=[("", _("Alle")), *RegistrationStatus.choices], required=False
    )
    gp_lists = forms.ChoiceField(label=_("Fastlegelister"), choices=GP_LIST_CHOICES, required=False)

    def __init__(self, data, *, user, gp_year: int | None = None) -> None:
        super().__init__(data, user=user)
        self.fields["county"].choices = county_choices()
        # Recruitment-weak municipalities (seed 004) by SSB's table 12005 for the latest year imported.
        self.gp_year = gp_year
        self.fields["gp_lists"].label = (
            _("Fastlegelister (SSB 12005, %(year)d)") % {"year": gp_year}
            if gp_year
            else _("Fastlegelister (SSB 12005, ikke importert)")
        )

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data["county"]:
            queryset = queryset.filter(county__number=data["county"])
        queryset = filter_centrality(queryset, data["centrality"], "centrality")
        if data["gp_lists"] and "gp_lists_without_doctor" not in queryset.query.annotations:
            # A caller that shows no SSB figures (the API) filters by the latest year imported, as the list does.
            queryset = queryset.with_gp_statistics(self.gp_year or GpListStatistics.latest_year())
        if data["gp_lists"] == WITHOUT_DOCTOR:
            queryset = queryset.filter(gp_lists_without_doctor__gt=0)
        elif data["gp_lists"] == NO_OPEN_LISTS:
            queryset = queryset.filter(gp_open_lists=0)
        elif data["gp_lists"] == UNKNOWN:
            queryset = queryset.filter(Q(gp_lists_without_doctor__isnull=True) | Q(gp_open_lists__isnull=True))
        if data["status"]:
            field = f"status_{data['specialty'] or Specialty.GENERAL_PRACTICE}"
            if data["status"] == RegistrationStatus.NOT_APPLIED:
                queryset = queryset.filter(Q(**{field: data["status"]}) | Q(**{f"{field}__isnull": True}))
            else:
                queryset = queryset.filter(**{field: data["status"]})
        return queryset


class GpOfficeFilterForm(ListFilterForm):
    search_fields = ("name", "address", "postal_place", "municipality__name")
    office_path = "municipality__county__office__code"
    county = forms.ChoiceField(label=_("Fylke"), required=False)
    municipality = MunicipalityNumberField()

    def __init__(self, data, *, user) -> None:
        super().__init__(data, user=user)
        self.fields["county"].choices = county_choices()

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data["county"]:
            queryset = queryset.filter(municipality__county__number=data["county"])
        if data["municipality"]:
            queryset = queryset.filter(municipality__number=data["municipality"])
        return queryset


class DoctorFilterForm(ListFilterForm):
    search_fields = ("first_name", "last_name", "hpr_number")
    office_path = "municipality__county__office__code"
    office_for_all_regions_only = True
    county = forms.ChoiceField(label=_("Fylke"), required=False)
    regular_gp = forms.ChoiceField(label=_("Fastlege"), choices=YES_NO, required=False)
    specialist = forms.ChoiceField(label=_("Spesialist i allmennmedisin"), choices=YES_NO, required=False)
    community_medicine_specialist = forms.ChoiceField(
        label=_("Spesialist i samfunnsmedisin"), choices=YES_NO, required=False
    )

    def __init__(self, data, *, user) -> None:
        super().__init__(data, user=user)
        self.fields["county"].choices = county_choices()

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data["county"]:
            queryset = queryset.filter(municipality__county__number=data["county"])
        if data["regular_gp"]:
            queryset = queryset.filter(is_regular_gp=data["regular_gp"] == "1")
        if data["specialist"]:
            queryset = queryset.filter(is_specialist=data["specialist"] == "1")
        if data["community_medicine_specialist"]:
            queryset = queryset.filter(is_community_medicine_specialist=data["community_medicine_specialist"] == "1")
        return queryset


class MunicipalityForm(VersionedModelForm):
    """The municipality's own facts. The class comes from SSB or is set with its source (CentralityForm)."""

    class Meta:
        model = Municipality
        fields = ["name", "name_norwegian", "sami_area", "language_form", "notes"]
        widgets = {"language_form": forms.RadioSelect}


CENTRALITY_LABELS = {
    1: _("1 – mest sentral"),
    6: _("6 – minst sentral"),
}


class CentralityForm(VersionedModelForm):
    """One municipality's class set by hand, with where it comes from: never a class without a source."""

    centrality = forms.TypedChoiceField(
        label=_("Sentralitet"),
        choices=[("", _("Ukjent")), *((c, CENTRALITY_LABELS.get(c, str(c))) for c in CENTRALITY_CLASSES)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("SSBs klasse (KLASS 128). Velg «Ukjent» hvis klassen ikke er kjent: aldri en klasse du gjetter."),
    )

    class Meta:
        model = Municipality
        fields = ["centrality", "centrality_source"]
        labels = {"centrality_source": _("Kilde")}
        help_texts = {
            "centrality_source": _(
                "Hvor klassen kommer fra, slik at andre kan sjekke den. For eksempel: «SSB, Standard for "
                "sentralitet 2024 (KLASS 128), lest 24.11.2026»."
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centrality_source"].required = True
        if not self.is_bound:
            self.initial["centrality_source"] = ""  # a new note for each change, not the last one kept

    def clean_centrality_source(self) -> str:
        return " ".join(self.cleaned_data["centrality_source"].split())


SSB_UPLOAD_BYTES = statbank.MAX_BYTES


class SsbUploadForm(Form):
    kind = forms.ChoiceField(
        label=_("Innhold"),
        choices=[("", _("Finn ut fra fila")), *SsbImport.Kind.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Fil fra SSB"),
        help_text=_("CSV slik SSB leverer den (eller JSON-stat for tabell 12005). Høyst 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.json,text/csv,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > SSB_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Fila er for stor (%(size)s MB); grensen er %(max)d MB.")
                % {"size": f"{upload.size / 1_000_000:.0f}", "max": SSB_UPLOAD_BYTES // 1_000_000}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Fila er tom."))
        return upload


class RegistrationForm(ModelForm):
    class Meta:
        model = Registration
        fields = ["specialty", "status", "valid_from", "note"]
        widgets = {"valid_from": DateInput}

    def __init__(self, *args, municipality: Municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality

    def clean(self) -> dict:
        data = super().clean()
        if data.get("specialty") and data.get("valid_from"):
            taken = Registration.objects.filter(
                municipality=self.instance.municipality, specialty=data["specialty"], valid_from=data["valid_from"]
            )
            if taken.exists():
                self.add_error("valid_from", _("Det finnes allerede en status for denne spesialiteten denne dagen."))
        return data


class ContactForm(VersionedModelForm):
    class Meta:
        model = Contact
        fields = ["role", "name", "email", "phone"]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("name") and not data.get("email"):
            # On the field, not the form: then the model skips its own check of the same rule, whose
            # message names the database constraint.
            self.add_error("name", _("Fyll ut navn eller e-post."))
        return data


class GpOfficeForm(VersionedModelForm):
    class Meta:
        model = GpOffice
        fields = ["name", "municipality", "address", "postal_code", "postal_place"]

    def __init__(self, *args, municipalities: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = municipality_field(
            municipalities, editable=True, label=self.fields["municipality"].label
        )


class DoctorForm(VersionedModelForm):
    class Meta:
        model = Doctor
        fields = [
            "first_name",
            "last_name",
            "hpr_number",
            "email",
            "phone",
            "municipality",
            "gp_office",
            "is_regular_gp",
            "list_size",
            "list_capacity",
            "list_open",
            "is_specialist",
            "specialist_since",
            "is_community_medicine_specialist",
        ]
        widgets = {"specialist_since": DateInput}
        error_messages = {"hpr_number": {"unique": _("En annen lege har allerede dette HPR-nummeret.")}}

    def __init__(self, *args, municipalities: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The work municipality decides the doctor's region: without it no office could see the doctor.
        self.fields["municipality"] = municipality_field(
            municipalities, editable=True, label=self.fields["municipality"].label, required=True
        )
        gp_offices = GpOffice.objects.filter(municipality__in=municipalities).select_related("municipality")
        self.fields["gp_office"] = SuggestionField(
            gp_offices,
            url=f"{reverse_lazy('registry:gp_office_search')}?redigerbare=1",
            search_fields=GP_OFFICE_SEARCH,
            label=self.fields["gp_office"].label,
            required=False,
            help_text=_("Skriv navnet på legekontoret eller kommunen, og velg i listen."),
        )
        self.fields["gp_office"].label_from_instance = gp_office_label
        self.order_fields(self._meta.fields)

    def clean_hpr_number(self) -> str | None:
        value = (self.cleaned_data.get("hpr_number") or "").strip()
        if not value:
            return None
        if Doctor.objects.filter(hpr_number=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("En annen lege har allerede dette HPR-nummeret."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        office, municipality = data.get("gp_office"), data.get("municipality")
        if office and municipality and office.municipality_id != municipality.pk:
            self.add_error("gp_office", _("Legekontoret ligger ikke i arbeidskommunen."))
        if data.get("is_specialist") is False and data.get("specialist_since"):
            self.add_error("specialist_since", _("Datoen gjelder bare spesialister."))
        size, capacity = data.get("list_size"), data.get("list_capacity")
        if not data.get("is_regular_gp") and (size or capacity):
            self.add_error("list_size", _("Listelengde og listetak gjelder bare fastleger."))
        if not data.get("is_regular_gp") and data.get("list_open") is not None:
            self.add_error("list_open", _("Åpen liste gjelder bare fastleger."))
        return data


class HealthTrustForm(VersionedModelForm):
    class Meta:
        model = HealthTrust
        fields = ["name", "short_name", "rhf", "municipalities"]
        widgets = {"municipalities": forms.CheckboxSelectMultiple}


class CountyForm(VersionedModelForm):
    class Meta:
        model = County
        fields = ["office"]


class ContactMessageForm(Form):
    """A message from the office to the training leads of some municipalities (registry.views.contacts_message)."""

    subject = forms.CharField(label=_("Emne"), max_length=150)
    message = forms.CharField(
        label=_("Tekst"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Hver mottaker får sin egen e-post. Svar går til e-postadressen din."),
    )
