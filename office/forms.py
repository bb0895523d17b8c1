from datetime import date

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.forms import ModelForm
from core.suggestions import SuggestionField
from core.widgets import DateInput
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
from registry.forms import DOCTOR_SEARCH, doctor_label, municipality_field
from registry.models import Doctor, HealthTrust, Municipality, Office
from training.models import Training


def region_doctors(office: Office) -> QuerySet:
    """The doctors an inquiry can come from: those working in the region or with a training there, the same the
    registry's doctor search offers the office's staff (`Doctor.objects.visible_to`)."""
    # The region's ALIS as a subquery rather than a join: joining the trainings repeats a doctor per training.
    alis = Training.objects.filter(employer__county__office=office).values("doctor_id")
    return Doctor.objects.filter(Q(pk__in=alis) | Q(municipality__county__office=office)).order_by(
        "last_name", "first_name", "pk"
    )


def region_municipalities(office_id: int) -> QuerySet:
    return Municipality.objects.in_office(office_id).order_by("name_norwegian")


def region_municipality_field(office_id: int, **kwargs) -> SuggestionField:
    """A municipality of the office's region, chosen by typing (a region has up to a hundred)."""
    return municipality_field(region_municipalities(office_id), editable=True, **kwargs)


def unique_name(form: VersionedModelForm, message: str) -> str:
    """The form's `name`, trimmed, refused when another record of the office has it (in any case)."""
    name = form.cleaned_data["name"].strip()
    model = type(form.instance)
    others = model.objects.filter(office_id=form.instance.office_id, name__iexact=name).exclude(pk=form.instance.pk)
    if others.exists():
        raise forms.ValidationError(message)
    return name


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
        widgets = {"date": DateInput, "topics": forms.CheckboxSelectMultiple}

    def __init__(self, *args, office: Office, today: date, focus: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if focus:  # after a save, HTMX moves the focus here, ready for the next entry
            self.fields["channel"].widget.attrs["autofocus"] = True
        if not self.instance.pk and not self.initial.get("date"):
            self.initial["date"] = today
        self.fields["municipality"] = region_municipality_field(office.pk, label=_("Kommune"), required=False)
        self.fields["municipality"].help_text = _("Navn eller kommunenummer.")  # short: the quick entry is a grid
        # A region has a thousand doctors: chosen by typing, from the registry's search.
        self.fields["doctor"] = SuggestionField(
            region_doctors(office),
            url=reverse_lazy("registry:doctor_search"),
            search_fields=DOCTOR_SEARCH,
            label=_("Lege"),
            required=False,
            help_text=_("Navn eller HPR-nummer."),
        )
        self.fields["doctor"].label_from_instance = doctor_label
        self.fields["health_trust"].queryset = HealthTrust.objects.order_by("name")
        self.order_fields(self._meta.fields)
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
        widgets = {"date": DateInput, "partners": forms.CheckboxSelectMultiple}

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
        widgets = {"start": DateInput, "end": DateInput}

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
            "host_cooperation": TEXT_WIDGET,
            "goals_reached": TEXT_WIDGET,
            "new_mandate": TEXT_WIDGET,
            "community_medicine": TEXT_WIDGET,
            "working_groups": forms.Textarea(attrs={"rows": 10}),
            "comments": TEXT_WIDGET,
            "signature_date": DateInput,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_field = AnnualReport._meta.get_field("host_municipality")
        self.fields["host_municipality"] = region_municipality_field(
            self.instance.office_id, label=capfirst(model_field.verbose_name), required=False
        )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in REPORT_TEXT_GROUPS]


class InstitutionForm(VersionedModelForm):
    class Meta:
        model = Institution
        fields = ["name", "municipality", "notes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_field = Institution._meta.get_field("municipality")
        self.fields["municipality"] = region_municipality_field(
            self.instance.office_id, label=capfirst(model_field.verbose_name), required=not model_field.blank
        )
        self.order_fields(self._meta.fields)

    def clean_name(self) -> str:
        return unique_name(self, _("Kontoret har allerede en virksomhet med dette navnet."))


class InstitutionRegistrationForm(ModelForm):
    """A new status for community medicine from a day on; the history keeps the earlier ones."""

    class Meta:
        model = InstitutionRegistration
        fields = ["status", "valid_from", "note"]
        widgets = {"valid_from": DateInput}

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


class RecordFilterForm(ListFilterForm):
    """Above the lists of the office's records: a search, and the office for those who see every region's."""

    office_path = "office__code"
    office_for_all_regions_only = True

    def __init__(self, data, *, user, search_fields: tuple[str, ...]) -> None:
        self.search_fields = search_fields
        super().__init__(data, user=user)
