"""The municipality's answer form, built from the office's own forms so that both validate alike."""

from datetime import date

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterForm
from registry.forms import ContactForm, GpOfficeForm
from registry.models import Contact, GpOffice, Municipality, RegistrationStatus, Specialty
from survey.models import STALE, UNANSWERED, WAITING, Campaign
from training.forms import TrainingForm
from training.models import ServicePeriod, SupervisorAssignment, Training

# What the municipality may change on each record; the other fields of the office form stay as they are.
CONTACT_FIELDS = ("role", "name", "email", "phone")
GP_OFFICE_FIELDS = ("name", "address", "postal_code", "postal_place")
TRAINING_FIELDS = ("gp_office", "contract", "position_share", "scheme")


def raw(value: object) -> str:
    """A value as the office form would post it, to store in a proposal and compare later."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shown(field: forms.Field, value: str) -> str:
    """A raw value as a person reads it: the label of a choice, else the value itself."""
    if value and hasattr(field, "choices"):
        for key, label in field.choices:
            if str(key) == value:
                return str(label)
    return value


def current_raw(form: forms.BaseForm, name: str) -> str:
    return raw(form.get_initial_for_field(form.fields[name], name))


def _lock(form: forms.BaseForm, editable: tuple[str, ...]) -> None:
    """Fields outside `editable` keep the record's value whatever is posted (Django's disabled fields)."""
    for name, field in form.fields.items():
        if name not in editable:
            field.disabled = True


def public_contact_form(data, *, contact: Contact | None, municipality: Municipality, initial=None) -> ContactForm:
    prefix = f"kontakt-{contact.pk}" if contact else "kontakt-ny"
    form = ContactForm(
        data,
        instance=contact or Contact(municipality=municipality),
        prefix=prefix,
        initial=initial,
        empty_permitted=contact is None,
        use_required_attribute=False,
    )
    _lock(form, CONTACT_FIELDS)
    if contact is None:
        form.fields["role"].required = False
    return form


def public_gp_office_form(
    data, *, gp_office: GpOffice | None, municipality: Municipality, initial=None
) -> GpOfficeForm:
    prefix = f"legekontor-{gp_office.pk}" if gp_office else "legekontor-ny"
    form = GpOfficeForm(
        data,
        instance=gp_office or GpOffice(municipality=municipality),
        prefix=prefix,
        initial={"municipality": municipality.pk, **(initial or {})},
        municipalities=Municipality.objects.filter(pk=municipality.pk),
        empty_permitted=gp_office is None,
        use_required_attribute=False,
    )
    _lock(form, GP_OFFICE_FIELDS)
    return form


# The fields whose choices come from the database: the same for every ALIS of the municipality.
SHARED_CHOICE_FIELDS = ("employer", "gp_office")


def public_training_form(
    data, *, training: Training, municipality: Municipality, initial=None, choices: dict[str, list] | None = None
) -> TrainingForm:
    """`choices`, when given, is shared by all the municipality's forms: the first form fills it, the others
    reuse it, so that the page reads the choices once instead of once per ALIS."""
    form = TrainingForm(
        data,
        instance=training,
        prefix=f"alis-{training.pk}",
        initial=initial,
        municipalities=Municipality.objects.filter(pk=municipality.pk),
    )
    if choices is not None:
        for name in SHARED_CHOICE_FIELDS:
            field = form.fields[name]
            if name not in choices:
                choices[name] = list(field.choices)
            field.choices = choices[name]
    _lock(form, TRAINING_FIELDS)
    return form


def supervisor_text(training: Training, today: date) -> str:
    current = [
        a for a in training.supervisor_assignments.all() if a.start <= today and (a.end is None or a.end >= today)
    ]
    if not current:
        return ""
    doctor = current[0].supervisor
    return f"{doctor.full_name} ({doctor.hpr_number})" if doctor.hpr_number else doctor.full_name


def hospital_text(training: Training) -> str:
    planned = [p for p in training.periods.all() if p.kind == ServicePeriod.Kind.HOSPITAL and p.planned]
    parts = []
    for p in planned:
        end = f"{p.end:%d.%m.%Y}" if p.end else "…"
        trust = f", {p.health_trust}" if p.health_trust else ""
        parts.append(f"{p.start:%d.%m.%Y}–{end}{trust}")
    return "; ".join(parts)


class TrainingNoteForm(forms.Form):
    """What the registry holds in records of their own (supervisor, planned hospital service): as text."""

    supervisor = forms.CharField(label=_("Veileder (navn og HPR-nummer)"), required=False, max_length=200)
    hospital = forms.CharField(
        label=_("Planlagt sykehustjeneste (fra–til, helseforetak)"), required=False, max_length=300
    )


def training_note_form(data, *, training: Training, today: date, initial=None) -> TrainingNoteForm:
    known = {"supervisor": supervisor_text(training, today), "hospital": hospital_text(training)}
    return TrainingNoteForm(data, prefix=f"alis-{training.pk}-tekst", initial={**known, **(initial or {})})


class RegistrationAnswerForm(forms.Form):
    def __init__(self, data=None, *, current: dict[str, str], initial=None) -> None:
        super().__init__(data, prefix="registrering", initial={**current, **(initial or {})})
        for specialty in Specialty:
            self.fields[specialty.value] = forms.ChoiceField(
                label=_("Registrering som utdanningsvirksomhet: %(specialty)s") % {"specialty": specialty.label},
                choices=RegistrationStatus.choices,
            )


YES_NO_UNKNOWN = [("", _("Vet ikke")), ("yes", _("Ja")), ("no", _("Nei"))]


class AnswerForm(forms.Form):
    has_trust_agreement = forms.ChoiceField(
        label=_("Har kommunen avtale med helseforetaket om sykehustjenesten for ALIS?"),
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    trust_agreement_text = forms.CharField(
        label=_("Om avtalen med helseforetaket"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    comment = forms.CharField(
        label=_("Kommentar til ALIS-kontoret"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    answered_by = forms.CharField(label=_("Ditt navn"), max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, prefix="svar", **kwargs)


class CampaignForm(forms.ModelForm):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner"), queryset=Municipality.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Campaign
        fields = ["title", "message", "deadline", "reminder_after_days", "max_reminders"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, municipalities, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["municipalities"].queryset = municipalities
        self.fields["municipalities"].initial = [m.pk for m in municipalities]

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if deadline < self.today:
            raise forms.ValidationError(_("Svarfristen kan ikke være før i dag."))
        return deadline


def keep_only_ongoing(trainings):
    return (
        trainings.ongoing()
        .select_related("doctor")
        .prefetch_related(
            models.Prefetch(
                "supervisor_assignments", queryset=SupervisorAssignment.objects.select_related("supervisor")
            ),
            models.Prefetch("periods", queryset=ServicePeriod.objects.select_related("health_trust")),
        )
    )


class MunicipalityStatusFilterForm(ListFilterForm):
    """The municipalities' mapping status: those that have not answered, whose answer waits, or whose data is stale."""

    office_path = "county__office__code"
    office_for_all_regions_only = True
    mapping = forms.ChoiceField(
        label=_("Kartlegging"),
        choices=[
            ("", _("Alle")),
            (UNANSWERED, _("Har ikke svart på en åpen lenke")),
            (WAITING, _("Svar venter på vurdering")),
            (STALE, _("Utdaterte opplysninger (ikke bekreftet det siste året)")),
        ],
        required=False,
    )
