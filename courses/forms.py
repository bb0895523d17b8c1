import re

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.forms import ModelForm
from core.widgets import DateInput
from courses import rules
from courses.models import Course, Gathering, Instructor, Registration, Supervises
from registry.forms import municipality_field
from registry.models import Municipality, Specialty

PHONE = re.compile(r"^\+?[0-9 ]{8,15}$")


class CourseForm(VersionedModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "kind",
            "format",
            "place",
            "capacity",
            "course_points",
            "signup_deadline",
            "instructors",
            "description",
            "published",
        ]
        widgets = {"signup_deadline": DateInput, "instructors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, office_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Instructors come from the office's own roster.
        self.fields["instructors"].queryset = Instructor.objects.filter(office_id=office_id)
        self.fields["instructors"].help_text = _("Kursholderne på kontorets liste. Nye legges inn under Kursholdere.")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("format") != Course.Format.DIGITAL and not (data.get("place") or "").strip():
            self.add_error("place", _("Oppgi sted, eller velg digitalt kurs."))
        return data


class GatheringForm(VersionedModelForm):
    class Meta:
        model = Gathering
        fields = ["start", "end", "place"]
        widgets = {"start": DateInput, "end": DateInput}

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Siste dag kan ikke være før første dag."))
        # Attendance is at a gathering held (courses.rules.is_held): it can not be moved to days still to come.
        held = end and rules.is_held(today=timezone.localdate(), last_day=end)
        if end and not held and self.instance.pk and self.instance.attendances.exists():
            self.add_error(
                "end", _("Samlingen har registrert oppmøte og kan ikke flyttes til dager som ikke har vært ennå.")
            )
        return data


class InstructorForm(VersionedModelForm):
    class Meta:
        model = Instructor
        fields = ["name", "title", "email"]


class SignupForm(ModelForm):
    """The public sign-up form. `website` is a honeypot: hidden from people, filled in by simple bots."""

    municipality = municipality_field(Municipality.objects.order_by("name_norwegian"), label=_("Arbeidskommune"))
    # Not required: a sign-up from before the field (or a form without it) is for allmennmedisin, as all were.
    specialty = forms.ChoiceField(
        label=_("Hvilket fag veileder du i?"),
        choices=Specialty.choices,
        initial=Specialty.GENERAL_PRACTICE,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Samfunnsmedisin: du er eller blir veileder for en SamLIS."),
    )
    supervises = forms.ChoiceField(
        label=_("Hvem er du veileder for nå?"), choices=Supervises.choices, widget=forms.RadioSelect
    )
    website = forms.CharField(label=_("Ikke fyll ut dette feltet"), required=False)

    class Meta:
        model = Registration
        fields = ["name", "email", "phone", "municipality", "hpr_number", "specialty", "is_specialist", "supervises"]
        labels = {
            "name": _("Fullt navn"),
            "email": _("E-post"),
            "phone": _("Mobiltelefon"),
            "hpr_number": _("HPR-nummer"),
            "is_specialist": _("Jeg er spesialist i faget jeg veileder i (allmennmedisin eller samfunnsmedisin)"),
        }
        help_texts = {
            "email": _("Bekreftelsen og lenken for avmelding sendes hit."),
            "hpr_number": _("Valgfritt. Bare sifre. Med HPR-nummer blir kurset registrert på veilederprofilen din."),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "hpr_number": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, course: Course, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["phone"].required = True
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        active = self.course.registrations.exclude(status=Registration.Status.CANCELLED)
        if active.filter(email=email).exists():
            raise forms.ValidationError(
                _(
                    "Denne e-postadressen er allerede meldt på dette kurset. Se etter bekreftelsen i e-posten din; "
                    "der står også lenken for å melde seg av."
                ),
                code="already_registered",
            )
        return email

    def clean_specialty(self) -> str:
        return self.cleaned_data["specialty"] or Specialty.GENERAL_PRACTICE

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone) or sum(c.isdigit() for c in phone) < 8:
            raise forms.ValidationError(_("Oppgi et telefonnummer med minst 8 sifre, for eksempel 912 34 567."))
        return phone

    def clean_hpr_number(self) -> str:
        value = self.cleaned_data["hpr_number"].strip().replace(" ", "")
        if value and not value.isdigit():
            raise forms.ValidationError(_("HPR-nummeret skal bare ha sifre."))
        return value

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class CourseFilterForm(ListFilterForm):
    search_fields = ("title", "place")
    office_path = "office__code"
    # Staff see their own office's courses only; the office choice is for those who see all regions.
    office_for_all_regions_only = True


class InstructorFilterForm(CourseFilterForm):
    search_fields = ("name", "title", "email")


class StatisticsFilterForm(ListFilterForm):
    """Statistics are aggregates: every role may choose any office; staff start in their own."""

    search_fields = ("title", "place")
    office_path = "office__code"
    year = forms.ChoiceField(label=_("År (første samling)"), required=False)

    def __init__(self, data, *, user, years: list[int]) -> None:
        super().__init__(data, user=user)
        self.fields["year"].choices = [("", _("Alle år")), *((str(year), str(year)) for year in years)]

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data["year"]:
            queryset = queryset.filter(first_day__year=int(data["year"]))
        return queryset
