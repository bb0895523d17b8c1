"""The forms of the mapping: the office's (a campaign, the filters of its lists) and the municipality's answer,
section by section, built where it can be from the office's own forms so that both validate alike."""

import json
from datetime import date

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import QuerySet
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.editing import VersionedModelForm
from core.fields import DateFormField
from core.filters import ListFilterForm
from core.forms import Form
from core.validation import formula_error, looks_like_formula
from core.widgets import DateInput
from registry.forms import ContactForm, GpOfficeForm
from registry.models import Contact, Doctor, GpOffice, HealthTrust, Municipality, RegistrationStatus, Specialty
from survey import rules
from survey.models import STALE, UNANSWERED, WAITING, Campaign, municipality_mapping_q
from training import rules as training_rules
from training.forms import TrainingForm
from training.models import (
    Contract,
    LeavingDestination,
    LeavingReason,
    Scheme,
    ServicePeriod,
    Status,
    SupervisorAssignment,
    Training,
)

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
    form.fields["gp_office"].error_messages["invalid_choice"] = _("Velg et av legekontorene i kommunen.")
    return form


def current_supervisor(training: Training, today: date) -> Doctor | None:
    """The training's supervisor today (from the prefetched assignments)."""
    current = [
        a for a in training.supervisor_assignments.all() if a.start <= today and (a.end is None or a.end >= today)
    ]
    return current[0].supervisor if current else None


def supervisor_value(name: str, hpr: str) -> str:
    """The supervisor as a proposal carries it, «Navn (HPR)», which survey.rules.parse_supervisor reads."""
    name, hpr = " ".join(name.split()), hpr.strip()
    if name and hpr:
        return f"{name} ({hpr})"
    return name or hpr


def supervisor_text(training: Training, today: date) -> str:
    doctor = current_supervisor(training, today)
    return supervisor_value(doctor.full_name, doctor.hpr_number or "") if doctor else ""


def hospital_text(training: Training) -> str:
    """The planned hospital service as text, as proposals made before the structured form were written."""
    parts = []
    for p in _planned_hospital(training):
        end = f"{p.end:%d.%m.%Y}" if p.end else "…"
        trust = f", {p.health_trust}" if p.health_trust else ""
        parts.append(f"{p.start:%d.%m.%Y}–{end}{trust}")
    return "; ".join(parts)


def _planned_hospital(training: Training) -> list[ServicePeriod]:
    planned = [p for p in training.periods.all() if p.kind == ServicePeriod.Kind.HOSPITAL and p.planned]
    return sorted(planned, key=lambda p: (p.start, p.pk))


def hospital_rows(training: Training) -> list[dict[str, str]]:
    """The planned hospital service as the structured form holds it: one row per period, in order."""
    return [
        {"start": raw(p.start), "end": raw(p.end), "health_trust": raw(p.health_trust_id)}
        for p in _planned_hospital(training)
    ]


def hospital_value(rows: list[dict[str, str]]) -> str:
    """The rows as a proposal stores them (JSON, one way only, so that equal rows compare equal)."""
    ordered = sorted(rows, key=lambda r: (r["start"], r["end"], r["health_trust"]))
    return json.dumps(
        [{"start": r["start"], "end": r["end"], "health_trust": r["health_trust"]} for r in ordered],
        separators=(",", ":"),
    )


def hospital_shown(rows: list[dict[str, str]], trusts: dict[str, str]) -> str:
    """«01.03.2027–31.08.2027, Helse Bergen HF; …» for a person to read; «–» for none."""
    parts = []
    for row in sorted(rows, key=lambda r: r["start"]):
        start = date.fromisoformat(row["start"]).strftime("%d.%m.%Y")
        end = date.fromisoformat(row["end"]).strftime("%d.%m.%Y") if row["end"] else "…"
        parts.append(f"{start}–{end}, {trusts.get(row['health_trust'], row['health_trust'])}")
    return "; ".join(parts)


HPR_VALIDATOR = RegexValidator(r"^[0-9]{4,9}$", _("Skriv HPR-nummeret med sifre (4 til 9), uten mellomrom."))


class SupervisorAnswerForm(Form):
    """One ALIS's supervisor: name and HPR number, pre-filled with the supervisor the office knows."""

    name = forms.CharField(label=_("Veileders navn"), required=False, max_length=200)
    hpr_number = forms.CharField(
        label=_("Veileders HPR-nummer"), required=False, max_length=9, validators=[HPR_VALIDATOR]
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("hpr_number") and not data.get("name"):
            self.add_error("name", _("Skriv navnet på veilederen også."))
        return data

    @property
    def value(self) -> str:
        return supervisor_value(self.cleaned_data.get("name", ""), self.cleaned_data.get("hpr_number", ""))


class HospitalPeriodForm(Form):
    """One period of planned hospital service (institusjonstjeneste): from, to and the health trust.

    A row left empty is no period; a row begun needs its from-date and health trust."""

    start = DateFormField(label=_("Fra"), required=False, widget=DateInput)
    end = DateFormField(label=_("Til"), required=False, widget=DateInput)
    health_trust = forms.ModelChoiceField(
        label=pgettext_lazy("one", "Helseforetak"), queryset=HealthTrust.objects.none(), required=False
    )

    def __init__(self, *args, trusts: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["health_trust"].queryset = trusts

    def clean(self) -> dict:
        data = super().clean()
        begun = any(data.get(name) for name in ("start", "end", "health_trust"))
        if begun and not data.get("start") and "start" not in self.errors:
            self.add_error("start", _("Skriv når perioden begynner."))
        if begun and not data.get("health_trust") and "health_trust" not in self.errors:
            self.add_error("health_trust", _("Velg helseforetaket."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Til-dato kan ikke være før fra-dato."))
        return data


class BaseHospitalFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Fjern perioden")


# The existing periods, a blank row for one more, and a box on each to remove it; six is more than any ALIS has.
HospitalFormSet = forms.formset_factory(
    HospitalPeriodForm, formset=BaseHospitalFormSet, extra=1, can_delete=True, max_num=6, validate_max=True
)


def hospital_formset(data, *, training: Training, trusts: QuerySet) -> forms.BaseFormSet:
    formset = HospitalFormSet(
        data,
        prefix=f"alis-{training.pk}-sykehus",
        initial=hospital_rows(training),
        form_kwargs={"trusts": trusts, "use_required_attribute": False},
    )
    formset.max_num_message = _("Høyst %(max)d perioder.") % {"max": formset.max_num}
    return formset


def formset_rows(formset: forms.BaseFormSet) -> list[dict[str, str]]:
    """The periods a valid formset keeps: filled rows not marked to be removed."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and form not in formset.initial_forms:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        data = form.cleaned_data
        if not data:
            continue
        rows.append(
            {"start": raw(data["start"]), "end": raw(data.get("end")), "health_trust": raw(data["health_trust"])}
        )
    return rows


STILL_WORKING = "active"


class DepartureForm(Form):
    """Whether the ALIS still works in the municipality; when not, since when and why."""

    working = forms.ChoiceField(
        label=_("Arbeider ALIS-en fortsatt i kommunen?"),
        choices=[
            (STILL_WORKING, _("Ja")),
            (Status.LEFT, _("Nei, har sluttet")),
            (Status.COMPLETED, _("Nei, er ferdig spesialist")),
        ],
        widget=forms.RadioSelect,
        initial=STILL_WORKING,
    )
    ended_on = DateFormField(label=_("Siste dag som ALIS i kommunen"), required=False, widget=DateInput)
    leaving_reason = forms.ChoiceField(
        label=_("Hvorfor sluttet ALIS-en?"), choices=[("", BLANK_CHOICE_LABEL), *LeavingReason.choices], required=False
    )
    leaving_destination = forms.ChoiceField(
        label=_("Hvor gikk ALIS-en?"), choices=[("", _("Vet ikke")), *LeavingDestination.choices], required=False
    )

    def __init__(self, *args, training: Training, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.training = training

    def clean(self) -> dict:
        data = super().clean()
        working = data.get("working")
        if working == STILL_WORKING or not working:
            return {**data, "ended_on": None, "leaving_reason": "", "leaving_destination": ""}
        ended = data.get("ended_on")
        if ended is None and "ended_on" not in self.errors:
            self.add_error("ended_on", _("Skriv den siste dagen ALIS-en arbeidet i kommunen."))
        elif ended is not None and ended < self.training.start:
            self.add_error(
                "ended_on", _("Datoen er før ALIS-en startet (%(day)s).") % {"day": f"{self.training.start:%d.%m.%Y}"}
            )
        if working == Status.LEFT and not data.get("leaving_reason"):
            self.add_error("leaving_reason", _("Velg hvorfor ALIS-en sluttet."))
        if working == Status.COMPLETED:
            data["leaving_reason"] = data["leaving_destination"] = ""
        return data

    @property
    def departed(self) -> bool:
        return self.cleaned_data.get("working", STILL_WORKING) != STILL_WORKING


class NewTrainingForm(Form):
    """A new ALIS the office does not know of: who, since when, on which terms, and the supervisor."""

    first_name = forms.CharField(label=_("Fornavn"), max_length=100)
    last_name = forms.CharField(label=_("Etternavn"), max_length=100)
    hpr_number = forms.CharField(
        label=_("HPR-nummer"),
        required=False,
        max_length=9,
        validators=[HPR_VALIDATOR],
        help_text=_("Hvis dere vet det."),
    )
    specialty = forms.ChoiceField(
        label=_("Spesialitet"), choices=Specialty.choices, initial=Specialty.GENERAL_PRACTICE, widget=forms.RadioSelect
    )
    start = DateFormField(label=_("Startet som ALIS i kommunen"), widget=DateInput)
    scheme = forms.ChoiceField(label=_("Ordning"), choices=Scheme.choices, initial=Scheme.NEW, widget=forms.RadioSelect)
    contract = forms.ChoiceField(label=_("Tilknytning"), choices=[("", BLANK_CHOICE_LABEL), *Contract.choices])
    position_share = forms.IntegerField(label=_("Stillingsandel (%)"), min_value=1, max_value=100, initial=100)
    gp_office = forms.ModelChoiceField(label=_("Legekontor"), queryset=GpOffice.objects.none(), required=False)
    supervisor_name = forms.CharField(label=_("Veileders navn"), required=False, max_length=200)
    supervisor_hpr = forms.CharField(
        label=_("Veileders HPR-nummer"), required=False, max_length=9, validators=[HPR_VALIDATOR]
    )

    def __init__(self, *args, municipality: Municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gp_office"].queryset = GpOffice.objects.filter(municipality=municipality).order_by("name")

    def clean(self) -> dict:
        data = super().clean()
        for name in ("first_name", "last_name", "supervisor_name"):
            if looks_like_formula(data.get(name)):
                self.add_error(name, formula_error(data[name]))
        start = data.get("start")
        if data.get("scheme") == Scheme.OLD and start and not training_rules.is_old_scheme_allowed(start):
            self.add_error("scheme", _("Gammel ordning gjelder bare ALIS som startet før 1. mars 2019."))
        if data.get("supervisor_hpr") and not data.get("supervisor_name"):
            self.add_error("supervisor_name", _("Skriv navnet på veilederen også."))
        return data

    TYPED = (
        "first_name",
        "last_name",
        "hpr_number",
        "start",
        "contract",
        "gp_office",
        "supervisor_name",
        "supervisor_hpr",
    )

    def is_blank(self) -> bool:
        """Nothing typed into the form (the choices it comes with pre-set do not count)."""
        return not any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.TYPED)

    def values(self) -> dict[str, str]:
        """The new ALIS as the draft and the proposal keep it: every field as the office's forms would post it."""
        return {name: raw(self.cleaned_data.get(name)) for name in self.fields}


class RegistrationAnswerForm(Form):
    def __init__(self, data=None, *, current: dict[str, str]) -> None:
        super().__init__(data, prefix="registrering", initial=current)
        for specialty in Specialty:
            self.fields[specialty.value] = forms.ChoiceField(
                label=_("Registrering som utdanningsvirksomhet: %(specialty)s") % {"specialty": specialty.label},
                choices=RegistrationStatus.choices,
            )


YES_NO_UNKNOWN = [("", _("Vet ikke")), ("yes", _("Ja")), ("no", _("Nei"))]


class AgreementForm(Form):
    has_trust_agreement = forms.ChoiceField(
        label=_("Har kommunen avtale med helseforetaket om sykehustjenesten for ALIS?"),
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    trust_agreement_text = forms.CharField(
        label=_("Om avtalen med helseforetaket"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, prefix="avtale", **kwargs)


class SendForm(Form):
    comment = forms.CharField(
        label=_("Kommentar til ALIS-kontoret"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answered_by = forms.CharField(label=_("Ditt navn"), max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, prefix="svar", **kwargs)


class CampaignForm(VersionedModelForm):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alle kommunene i regionen er valgt. Fjern krysset for dem som ikke skal være med."),
    )

    class Meta:
        model = Campaign
        fields = ["title", "message", "deadline", "reminder_after_days", "max_reminders"]
        widgets = {"deadline": DateInput, "message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, municipalities, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["municipalities"].queryset = municipalities
        self.fields["municipalities"].initial = [m.pk for m in municipalities]
        self.fields["municipalities"].label_from_instance = lambda m: m.name_norwegian

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if deadline < self.today:
            raise forms.ValidationError(_("Svarfristen kan ikke være før i dag."))
        return deadline

    def save(self, commit: bool = True) -> Campaign:
        campaign = super().save(commit)
        # The municipalities to invite, for the view's follow-up (survey.services.campaign_invite).
        campaign.chosen_municipalities = list(self.cleaned_data["municipalities"])
        return campaign


INVITATION_STATUSES = [
    ("", _("Alle")),
    ("unanswered", _("Ikke svart")),
    ("overdue", _("Forsinket")),
    ("answered", _("Besvart")),
    ("pending", _("Har forslag til vurdering")),
    ("revoked", _("Lenken trukket tilbake")),
    ("no_email", _("Mangler e-post")),
]


class InvitationFilterForm(ListFilterForm):
    """The municipalities of one campaign: by name or number, and by where their answer stands."""

    search_fields = ("municipality__number", "municipality__name", "municipality__name_norwegian", "email")
    status = forms.ChoiceField(label=_("Status"), choices=INVITATION_STATUSES, required=False)

    def __init__(self, data, *, user, today: date) -> None:
        super().__init__(data, user=user)
        self.today = today

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        status = data["status"]
        if status == "unanswered":
            return queryset.not_answered()
        if status == "overdue":
            return queryset.overdue(self.today)
        if status == "answered":
            return queryset.filter(answered_at__isnull=False)
        if status == "pending":
            return queryset.filter(pending__gt=0)
        if status == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if status == "no_email":
            return queryset.filter(email="")
        return queryset


class ConfirmedFilterForm(ListFilterForm):
    """When the municipalities last confirmed their data: by name or number, office (for those who see every region),
    and where each stands in the mapping (not answered an open link, an answer waiting, stale data); the start page's
    counts lead here with `mapping`."""

    search_fields = ("number", "name", "name_norwegian")
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

    def __init__(self, data, *, user, now) -> None:
        super().__init__(data, user=user)
        self.now = now

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data["mapping"]:
            queryset = queryset.filter(municipality_mapping_q(data["mapping"], self.now))
        return queryset


def stale_q(now) -> models.Q:
    """The municipalities annotated with `confirmed_at` whose data is stale (survey.rules.is_stale)."""
    return models.Q(confirmed_at__isnull=True) | models.Q(confirmed_at__lt=now - rules.STALE_AFTER)


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
