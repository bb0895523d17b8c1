from django import forms
from django.db.models import F, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.fields import DateFormField
from core.filters import ListFilterForm
from core.forms import Form
from core.suggestions import SuggestionField
from core.widgets import DateInput
from registry.forms import DOCTOR_SEARCH, MunicipalityNumberField, doctor_label
from supervision.models import SupervisionSession, SupervisorProfile


class SupervisorProfileForm(VersionedModelForm):
    class Meta:
        model = SupervisorProfile
        fields = [
            "exemption_until",
            "course_completed_on",
            "course_name",
            "supervises_alis",
            "supervises_lis1",
            "supervises_community_medicine",
            "capacity",
            "remote_ok",
            "available_from",
            "notes",
        ]
        widgets = {"exemption_until": DateInput, "course_completed_on": DateInput, "available_from": DateInput}

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity > 20:
            raise forms.ValidationError(_("Ingen veileder kan ha mer enn 20 ALIS."))
        return capacity

    def clean(self) -> dict:
        data = super().clean()
        if data.get("course_name") and not data.get("course_completed_on"):
            self.add_error("course_completed_on", _("Oppgi når kurset ble fullført."))
        return data


class SessionForm(VersionedModelForm):
    class Meta:
        model = SupervisionSession
        fields = ["date", "minutes", "kind", "supervisor", "topic"]
        widgets = {"date": DateInput}

    def __init__(self, *args, supervisors=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if supervisors is not None:
            self.fields["supervisor"].queryset = supervisors
        self.fields["minutes"].help_text = _("Varighet i minutter (5 til 600).")

    def clean_minutes(self) -> int:
        minutes = self.cleaned_data["minutes"]
        if not 5 <= minutes <= 600:
            raise forms.ValidationError(_("Oppgi mellom 5 og 600 minutter."))
        return minutes

    def clean_date(self):
        day = self.cleaned_data["date"]
        training = self.instance.training
        if day < training.start:
            raise forms.ValidationError(_("Datoen er før utdanningsløpet startet."))
        return day


class PoolAddForm(SupervisorProfileForm):
    """A doctor of the region added to the supervisor pool, with the profile's first values."""

    class Meta(SupervisorProfileForm.Meta):
        fields = ["doctor", *SupervisorProfileForm.Meta.fields]

    def __init__(self, *args, doctors: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"] = SuggestionField(
            doctors,
            url=f"{reverse_lazy('supervision:candidate_search')}",
            search_fields=DOCTOR_SEARCH,
            label=_("Lege"),
            help_text=_(
                "Skriv navnet eller HPR-nummeret, og velg i listen. Bare leger i regionen som ikke er i poolen."
            ),
            error_messages={
                "invalid_choice": _("Legen er allerede i veilederpoolen, eller arbeider ikke i regionen."),
            },
        )
        self.fields["doctor"].label_from_instance = doctor_label
        self.order_fields(self._meta.fields)


class LinkSessionForm(Form):
    """A supervisor adds a session through the private link: the supervisor is the link's owner."""

    training = forms.TypedChoiceField(label=_("ALIS"), coerce=int)
    date = DateFormField(label=_("Dato"), widget=DateInput)
    minutes = forms.IntegerField(label=_("Minutter"), min_value=5, max_value=600)
    kind = forms.ChoiceField(label=_("Type"), choices=SupervisionSession.Kind.choices)
    topic = forms.CharField(label=_("Tema"), required=False, max_length=200)

    def __init__(self, *args, trainings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.trainings = {t.pk: t for t in trainings}
        self.fields["training"].choices = [(t.pk, t.doctor.full_name) for t in trainings]

    def clean(self) -> dict:
        data = super().clean()
        training = self.trainings.get(data.get("training"))
        if training and data.get("date") and data["date"] < training.start:
            self.add_error("date", _("Datoen er før utdanningsløpet startet."))
        return data


class ImportForm(Form):
    file = forms.FileField(
        label=_("Fil (CSV eller Excel)"),
        help_text=_("Kolonner: HPR ALIS, HPR veileder, dato, minutter, type, tema."),
    )


BEHIND_ANY = "on"  # the value the earlier checkbox sent, so that links to it keep working
BEHIND_INDIVIDUAL = "individual"
BEHIND_GROUP = "group"


class ComplianceFilterForm(ListFilterForm):
    search_fields = ("doctor__first_name", "doctor__last_name", "doctor__hpr_number", "employer__name")
    office_path = "employer__county__office__code"
    office_for_all_regions_only = True
    municipality = MunicipalityNumberField()
    behind = forms.ChoiceField(
        label=_("Ligger etter"),
        choices=[
            ("", _("Alle")),
            (BEHIND_ANY, _("Individuell veiledning eller gruppeveiledning")),
            (BEHIND_INDIVIDUAL, _("Individuell veiledning")),
            (BEHIND_GROUP, _("Gruppeveiledning")),
        ],
        required=False,
    )

    def narrow(self, queryset, data: dict):
        if data["municipality"]:
            queryset = queryset.filter(employer__number=data["municipality"])
        return queryset

    def keeps(self, status) -> bool:
        """Whether the «ligger etter» choice keeps an ALIS with this supervision status (computed, not stored);
        each part as its scheme judges it (None, not judged, is not behind)."""
        wanted = self.cleaned_data.get("behind") if self.is_valid() else ""
        if wanted == BEHIND_INDIVIDUAL:
            return bool(status.behind)
        if wanted == BEHIND_GROUP:
            return bool(status.group_behind)
        if wanted == BEHIND_ANY:
            return bool(status.behind or status.group_behind)
        return True


class ProfileFilterForm(ListFilterForm):
    """The pool's supervisors: by name or HPR number, municipality, and whether they have a free place."""

    search_fields = ("doctor__first_name", "doctor__last_name", "doctor__hpr_number")
    office_path = "doctor__municipality__county__office__code"
    office_for_all_regions_only = True
    municipality = MunicipalityNumberField()
    free = forms.BooleanField(label=_("Bare med ledig plass"), required=False)

    def narrow(self, queryset, data: dict):
        if data["municipality"]:
            queryset = queryset.filter(doctor__municipality__number=data["municipality"])
        if data["free"]:
            queryset = queryset.filter(capacity__gt=F("load"))
        return queryset
