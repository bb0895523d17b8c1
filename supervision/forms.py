from django import forms
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.fields import DateFormField
from core.filters import ListFilterForm
from registry.forms import MunicipalityNumberField
from registry.models import Doctor
from supervision.models import SupervisionSession, SupervisorProfile

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        widgets = {"exemption_until": DATE_WIDGET, "course_completed_on": DATE_WIDGET, "available_from": DATE_WIDGET}

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
        widgets = {"date": DATE_WIDGET}

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


class LinkSessionForm(forms.Form):
    """A supervisor adds a session through the private link: the supervisor is the link's owner."""

    training = forms.TypedChoiceField(label=_("ALIS"), coerce=int)
    date = DateFormField(label=_("Dato"), widget=DATE_WIDGET)
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


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller Excel)"),
        help_text=_("Kolonner: HPR ALIS, HPR veileder, dato, minutter, type, tema."),
    )


class ComplianceFilterForm(ListFilterForm):
    search_fields = ("doctor__first_name", "doctor__last_name", "doctor__hpr_number", "employer__name")
    office_path = "employer__county__office__code"
    municipality = MunicipalityNumberField()
    behind = forms.BooleanField(label=_("Bare de som ligger etter"), required=False)

    def __init__(self, data, *, user) -> None:
        super().__init__(data, user=user)
        if not user.sees_all_regions:
            del self.fields["office"]

    def narrow(self, queryset, data: dict):
        if data["municipality"]:
            queryset = queryset.filter(employer__number=data["municipality"])
        return queryset


def doctor_label(doctor: Doctor) -> str:
    return f"{doctor.last_name}, {doctor.first_name}" + (f" (HPR {doctor.hpr_number})" if doctor.hpr_number else "")
