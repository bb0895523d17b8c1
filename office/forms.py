from collections.abc import Iterator
from datetime import date

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.widgets import PlainSelect
from office.models import (
    Activity,
    AnnualReport,
    Inquiry,
    InquiryTopic,
    Institution,
    InstitutionRegistration,
    Partner,
    StaffMember,
)
from registry.models import Doctor, HealthTrust, Municipality, Office
from training.models import Training

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def region_doctors(office: Office) -> QuerySet:
    """The doctors an inquiry can come from: the region's ALIS and specialists (possible supervisors)."""
    # The region's ALIS as a subquery rather than a join: joining the trainings repeats a doctor per training and
    # needs DISTINCT over the whole list, which cost more than reading it.
    alis = Training.objects.filter(employer__county__office=office).values("doctor_id")
    return Doctor.objects.filter(Q(pk__in=alis) | Q(municipality__county__office=office, is_specialist=True)).order_by(
        "last_name", "first_name", "pk"
    )


def region_municipalities(office_id: int) -> QuerySet:
    return Municipality.objects.in_office(office_id).order_by("name_norwegian")


def unique_name(form: VersionedModelForm, message: str) -> str:
    """The form's `name`, trimmed, refused when another record of the office has it (in any case)."""
    name = form.cleaned_data["name"].strip()
    model = type(form.instance)
    others = model.objects.filter(office_id=form.instance.office_id, name__iexact=name).exclude(pk=form.instance.pk)
    if others.exists():
        raise forms.ValidationError(message)
    return name


class DoctorChoices(ModelChoiceIterator):
    """The doctor choices as «last name, first name», read as values: a region has a thousand doctors to offer,
    and building a model instance for each was most of the inquiry list's time."""

    def __iter__(self) -> Iterator[tuple]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, last_name, first_name in self.queryset.values_list("pk", "last_name", "first_name"):
            yield (ModelChoiceIteratorValue(pk, None), f"{last_name}, {first_name}")


class InquiryForm(VersionedModelForm):
    """The quick entry: the common case (a phone call from a municipality, answered) needs only topic and note."""

    class Meta:
        model = Inquiry
        fields = [
            "date",
            "channel",
            "sender",
            "municipality",
            "doctor",
            "health_trust",
            "topics",
            "minutes",
            "note",
            "status",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "topics": forms.CheckboxSelectMultiple,
            # a region's municipalities and doctors: long lists, written without a template per option
            "municipality": PlainSelect,
            "doctor": PlainSelect,
            "health_trust": PlainSelect,
        }

    def __init__(self, *args, office: Office, today: date, focus: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if focus:  # after a save, HTMX moves the focus here, ready for the next entry
            self.fields["channel"].widget.attrs["autofocus"] = True
        if not self.instance.pk and not self.initial.get("date"):
            self.initial["date"] = today
        self.fields["municipality"].queryset = region_municipalities(office.pk)
        self.fields["doctor"].iterator = DoctorChoices  # before the queryset, which hands the choices to the widget
        self.fields["doctor"].queryset = region_doctors(office)
        self.fields["doctor"].label = _("Lege (ALIS eller veileder)")
        self.fields["health_trust"].queryset = HealthTrust.objects.order_by("name")
        topics = InquiryTopic.objects.filter(active=True)
        if self.instance.pk:
            topics = topics | InquiryTopic.objects.filter(inquiries=self.instance)
        self.fields["topics"].queryset = topics.distinct()
        self.fields["topics"].error_messages["required"] = _("Velg minst ett emne.")


class InquiryFilterForm(ListFilterForm):
    search_fields = ("note", "municipality__name", "doctor__first_name", "doctor__last_name", "health_trust__name")
    office_path = "office__code"
    topic = forms.ModelChoiceField(
        label=_("Emne"), queryset=InquiryTopic.objects.all(), required=False, empty_label=_("Alle")
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alle")), *Inquiry.Status.choices], required=False)
    channel = forms.ChoiceField(label=_("Kanal"), choices=[("", _("Alle")), *Inquiry.Channel.choices], required=False)
    year = forms.IntegerField(label=_("År"), required=False, min_value=2000, max_value=2100)

    def __init__(self, data, *, user) -> None:
        super().__init__(data, user=user)
        if not user.sees_all_regions:
            del self.fields["office"]

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data["topic"]:
            queryset = queryset.filter(topics=data["topic"])
        for name in ("status", "channel"):
            if data[name]:
                queryset = queryset.filter(**{name: data[name]})
        if data["year"]:
            queryset = queryset.filter(date__year=data["year"])
        return queryset


class ActivityForm(VersionedModelForm):
    class Meta:
        model = Activity
        fields = ["date", "kind", "theme", "place", "with_whom", "partners", "participants", "comment"]
        widgets = {"date": DATE_WIDGET, "partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, office: Office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.filter(office=office)
        self.fields["partners"].help_text = _("Et møte med en samarbeidspartner telles som møte med den.")


class PartnerForm(VersionedModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "notes"]

    def clean_name(self) -> str:
        return unique_name(self, _("Kontoret har allerede en samarbeidspartner med dette navnet."))


class StaffMemberForm(VersionedModelForm):
    class Meta:
        model = StaffMember
        fields = ["name", "title", "position_percent", "start", "end", "comment"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Sluttdato kan ikke være før startdato."))
        return data


TEXT_WIDGET = forms.Textarea(attrs={"rows": 6})


# The report's texts in the groups the page shows them in.
REPORT_TEXT_GROUPS = [
    (_("Om kontoret"), ["host_municipality", "host_unit", "budget", "host_cooperation", "goals_reached"]),
    (_("Tekstene i rapporten"), ["new_mandate", "community_medicine", "working_groups", "comments"]),
    (
        _("Underskrift"),
        ["signature_place", "signature_date", "signer_name", "signer_title", "host_signer_name", "host_signer_title"],
    ),
]


class AnnualReportForm(VersionedModelForm):
    """What the office writes for its report, in the groups of `REPORT_TEXT_GROUPS`."""

    class Meta:
        model = AnnualReport
        fields = [name for _title, names in REPORT_TEXT_GROUPS for name in names]
        widgets = {
            "host_municipality": PlainSelect,
            "host_cooperation": TEXT_WIDGET,
            "goals_reached": TEXT_WIDGET,
            "new_mandate": TEXT_WIDGET,
            "community_medicine": TEXT_WIDGET,
            "working_groups": forms.Textarea(attrs={"rows": 10}),
            "comments": TEXT_WIDGET,
            "signature_date": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host_municipality"].queryset = region_municipalities(self.instance.office_id)

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in REPORT_TEXT_GROUPS]


class InstitutionForm(VersionedModelForm):
    class Meta:
        model = Institution
        fields = ["name", "municipality", "notes"]
        widgets = {"municipality": PlainSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = region_municipalities(self.instance.office_id)

    def clean_name(self) -> str:
        return unique_name(self, _("Kontoret har allerede en virksomhet med dette navnet."))


class InstitutionRegistrationForm(forms.ModelForm):
    """A new status for community medicine from a day on; the history keeps the earlier ones."""

    class Meta:
        model = InstitutionRegistration
        fields = ["status", "valid_from", "note"]
        widgets = {"valid_from": DATE_WIDGET}

    def __init__(self, *args, institution: Institution, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.institution = institution

    def clean(self) -> dict:
        data = super().clean()
        day = data.get("valid_from")
        taken = InstitutionRegistration.objects.filter(institution=self.instance.institution, valid_from=day)
        if day and taken.exists():
            self.add_error("valid_from", _("Virksomheten har allerede en status som gjelder fra denne dagen."))
        return data


class InquiryTopicForm(VersionedModelForm):
    class Meta:
        model = InquiryTopic
        fields = ["name", "ordering", "active"]
