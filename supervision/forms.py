from django import forms
from django.db.models import F, Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.fields import DateFormField
from core.filters import ListFilterForm
from core.forms import Form
from core.suggestions import SuggestionField
from core.widgets import DateInput
from registry.forms import DOCTOR_SEARCH, MunicipalityNumberField, doctor_label
from registry.models import Specialty
from supervision.models import GroupMeeting, GroupMember, SupervisionGroup, SupervisionSession, SupervisorProfile


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

    def clean(self) -> dict:
        data = super().clean()
        day = data.get("date")
        if data.get("kind") == SupervisionSession.Kind.GROUP and day:
            # A member's group supervision is recorded as the group's meetings (supervision.rules.group_minutes).
            membership = GroupMember.objects.current(day).filter(training=self.instance.training).first()
            if membership is not None:
                self.add_error(
                    "kind",
                    _("ALIS-en var med i veiledningsgruppen «%(group)s» denne dagen. Registrer møtet i gruppen.")
                    % {"group": membership.group.name},
                )
        if registered_before(self.instance.training, data, exclude=self.instance.pk):
            self.add_error(
                "date",
                _(
                    "Det er allerede registrert en time av denne typen med denne veilederen denne dagen. Endre den "
                    "timen i stedet; to timer samme dag føres som én, med minuttene lagt sammen."
                ),
            )
        return data


def registered_before(training, data: dict, *, supervisor=None, exclude: int | None = None) -> bool:
    """Whether the session in `data` is registered already: one per training, day, kind and supervisor
    (the constraint supervision_session_unique_training_date_kind_supervisor)."""
    supervisor = supervisor or data.get("supervisor")
    if training is None or supervisor is None or not data.get("date") or not data.get("kind"):
        return False
    found = SupervisionSession.objects.filter(
        training=training, date=data["date"], kind=data["kind"], supervisor=supervisor
    )
    return found.exclude(pk=exclude).exists() if exclude else found.exists()


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

    def __init__(self, *args, trainings, supervisor=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.trainings = {t.pk: t for t in trainings}
        self.supervisor = supervisor
        self.fields["training"].choices = [(t.pk, t.doctor.full_name) for t in trainings]

    def clean(self) -> dict:
        data = super().clean()
        training = self.trainings.get(data.get("training"))
        if training and data.get("date") and data["date"] < training.start:
            self.add_error("date", _("Datoen er før utdanningsløpet startet."))
        elif registered_before(training, data, supervisor=self.supervisor):
            self.add_error("date", _("Timen er allerede registrert. Bekreft den i listen over timer i stedet."))
        return data


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


def training_label(training) -> str:
    """An ALIS as the group forms show one: «Nordmann, Kari – Bergen (allmennmedisin)»."""
    doctor = training.doctor
    return f"{doctor.last_name}, {doctor.first_name} – {training.employer.name} ({training.get_specialty_display()})"


TRAINING_SEARCH = ("doctor__first_name", "doctor__last_name", "doctor__hpr_number", "employer__name")


class GroupForm(VersionedModelForm):
    class Meta:
        model = SupervisionGroup
        fields = ["name", "specialty", "leader", "start", "ended_on", "rhythm", "format", "place", "notes"]
        widgets = {"start": DateInput, "ended_on": DateInput, "rhythm": forms.RadioSelect, "format": forms.RadioSelect}

    def __init__(self, *args, leaders: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"] = SuggestionField(
            leaders,
            url=reverse_lazy("registry:doctor_search"),
            search_fields=DOCTOR_SEARCH,
            label=_("Gruppeleder"),
            help_text=_("Som regel en veileder. Skriv navnet eller HPR-nummeret, og velg i listen."),
            error_messages={"invalid_choice": _("Legen finnes ikke i regionen.")},
        )
        self.fields["leader"].label_from_instance = doctor_label
        self.order_fields(self._meta.fields)

    def clean(self) -> dict:
        data = super().clean()
        start, ended = data.get("start"), data.get("ended_on")
        if start and ended and ended < start:
            self.add_error("ended_on", _("Gruppen kan ikke avsluttes før den startet."))
        if self.instance.pk and start and self.instance.members.filter(joined__lt=start).exists():
            self.add_error("start", _("Noen medlemmer er med fra før denne datoen. Endre dem først."))
        return data


class GroupMemberForm(VersionedModelForm):
    class Meta:
        model = GroupMember
        fields = ["training", "joined", "left"]
        widgets = {"joined": DateInput, "left": DateInput}

    def __init__(self, *args, trainings: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["training"]  # a membership is of one ALIS; another ALIS is another membership
        else:
            self.fields["training"] = SuggestionField(
                trainings,
                url=reverse_lazy("supervision:group_candidate_search", args=[self.instance.group_id]),
                search_fields=TRAINING_SEARCH,
                label=_("ALIS"),
                help_text=_("Skriv navnet eller HPR-nummeret, og velg i listen. Bare ALIS i regionen som ikke er med."),
                error_messages={"invalid_choice": _("ALIS-en er allerede med i gruppen, eller er ikke i regionen.")},
            )
            self.fields["training"].label_from_instance = training_label
            self.order_fields(self._meta.fields)

    def clean(self) -> dict:
        data = super().clean()
        group = self.instance.group
        joined, left = data.get("joined"), data.get("left")
        if joined and joined < group.start:
            self.add_error("joined", _("Gruppen startet %(day)s.") % {"day": group.start.strftime("%d.%m.%Y")})
        if joined and group.ended_on and joined > group.ended_on:
            self.add_error("joined", _("Gruppen ble avsluttet %(day)s.") % {"day": group.ended_on.strftime("%d.%m.%Y")})
        if joined and left and left < joined:
            self.add_error("left", _("Sluttdatoen kan ikke være før medlemmet ble med."))
        if self.instance.pk and (joined or left):
            outside = [
                m.date
                for m in self.instance.training.group_meetings_attended.filter(group=group)
                if (joined and m.date < joined) or (left and m.date > left)
            ]
            if outside:
                self.add_error(
                    None,
                    _("Medlemmet er registrert til stede på et møte %(day)s, utenfor disse datoene.")
                    % {"day": min(outside).strftime("%d.%m.%Y")},
                )
        return data


class GroupMeetingForm(VersionedModelForm):
    class Meta:
        model = GroupMeeting
        fields = ["date", "minutes", "topic", "attendees"]
        widgets = {"date": DateInput, "attendees": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        group = self.instance.group
        self.members = {m.training_id: m for m in group.members.select_related("training__doctor")}
        self.fields["minutes"].help_text = _("Varighet i minutter (5 til 600). Tre timer er 180 minutter.")
        attendees = self.fields["attendees"]
        attendees.queryset = attendees.queryset.filter(pk__in=list(self.members)).select_related("doctor")
        attendees.label_from_instance = lambda t: t.doctor.full_name
        attendees.help_text = _("Hvem som var med. Bare de som var medlemmer på møtedagen kan krysses av.")
        if not self.instance.pk and not self.is_bound:
            self.initial["minutes"] = 180

    clean_minutes = SessionForm.clean_minutes  # the same bounds as a session (the models' constraints)

    def clean(self) -> dict:
        data = super().clean()
        day = data.get("date")
        group = self.instance.group
        if day and not group.is_active(day):
            self.add_error("date", _("Gruppen var ikke i gang denne dagen."))
        if day and data.get("attendees") is not None:
            outside = [t.doctor.full_name for t in data["attendees"] if not self.members[t.pk].is_member_on(day)]
            if outside:
                self.add_error(
                    "attendees",
                    _("Ikke medlem av gruppen på møtedagen: %(names)s.") % {"names": ", ".join(outside)},
                )
        return data


class GroupFilterForm(ListFilterForm):
    search_fields = ("name", "place", "leader__first_name", "leader__last_name")
    office_path = "office__code"
    office_for_all_regions_only = True
    specialty = forms.ChoiceField(label=_("Spesialitet"), choices=[("", _("Alle")), *Specialty.choices], required=False)
    ended = forms.BooleanField(label=_("Også avsluttede grupper"), required=False)

    def __init__(self, data, *, user, today) -> None:
        super().__init__(data, user=user)
        self.today = today

    def narrow(self, queryset, data: dict):
        if data["specialty"]:
            queryset = queryset.filter(specialty=data["specialty"])
        if not data["ended"]:
            queryset = queryset.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.today))
        return queryset
