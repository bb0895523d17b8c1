from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.validation import parse_int
from grants import calculation as calc
from grants.calculation import Element, GrantType, PositionType
from grants.models import ApplicationLine, CostSheet, GrantApplication, GrantProfile, RatePeriod
from registry.models import Municipality

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def period_choices() -> list[tuple[int, str]]:
    return [(p.pk, p.label) for p in RatePeriod.objects.select_related("scheme")]


def current_period(value: str | None) -> RatePeriod | None:
    """The period asked for, or the latest one."""
    periods = RatePeriod.objects.select_related("scheme")
    if (pk := parse_int(value)) is not None:
        chosen = periods.filter(pk=pk).first()
        if chosen:
            return chosen
    return periods.first()


class RatePeriodForm(VersionedModelForm):
    """The rates, and per element which position types and grant types it applies to (checkbox groups)."""

    class Meta:
        model = RatePeriod
        fields = [
            "start", "end", "verified", "source", "application_deadline", "auditor_deadline",
            "hourly_rate", "practice_compensation_share", "practice_compensation_hours", "learning_activity_cap",
            "productivity_amount", "productivity_months", "supervision_rate", "supervision_hours",
            "facilitation_share", "centrality_supplement",
        ]  # fmt: skip
        widgets = dict.fromkeys(("start", "end", "application_deadline", "auditor_deadline"), DATE_WIDGET)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        applicability = self.instance.applicability or {}
        for element in Element:
            rule = applicability.get(element, {})
            self.fields[f"{element}__positions"] = forms.MultipleChoiceField(
                label=_("%(element)s gjelder for stillingstypene") % {"element": element.label},
                choices=PositionType.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=rule.get("positions", []),
            )
            self.fields[f"{element}__grant_types"] = forms.MultipleChoiceField(
                label=_("%(element)s gjelder for tilskuddstypene") % {"element": element.label},
                choices=GrantType.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=rule.get("grant_types", []),
            )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Perioden kan ikke slutte før den begynner."))
        return data

    def save(self, commit: bool = True) -> RatePeriod:
        self.instance.applicability = {
            element.value: {
                "positions": self.cleaned_data[f"{element}__positions"],
                "grant_types": self.cleaned_data[f"{element}__grant_types"],
            }
            for element in Element
        }
        return super().save(commit)


class GrantProfileForm(VersionedModelForm):
    class Meta:
        model = GrantProfile
        fields = ["temp_agency", "position_type", "first_gp_day"]
        widgets = {"first_gp_day": DATE_WIDGET}


class NewApplicationForm(VersionedModelForm):
    class Meta:
        model = GrantApplication
        fields = ["municipality", "period"]

    def __init__(self, *args, municipalities: QuerySet[Municipality], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["period"].queryset = RatePeriod.objects.select_related("scheme")


class ApplicationForm(VersionedModelForm):
    class Meta:
        model = GrantApplication
        fields = ["status", "sent_on", "granted_amount", "paid_on", "auditor_statement_on", "repay_amount", "notes"]
        widgets = dict.fromkeys(("sent_on", "paid_on", "auditor_statement_on"), DATE_WIDGET)

    def clean(self) -> dict:
        data = super().clean()
        status = data.get("status")
        if status and status != GrantApplication.Status.DRAFT and not data.get("sent_on"):
            self.add_error("sent_on", _("Skriv når søknaden ble sendt."))
        if status == GrantApplication.Status.REPAY and not data.get("repay_amount"):
            self.add_error("repay_amount", _("Skriv hvor mye som skal tilbakebetales."))
        return data


class LineForm(VersionedModelForm):
    class Meta:
        model = ApplicationLine
        fields = [
            "training", "position_type", "grant_type", "position_share", "months", "productivity_months",
            "override_amount", "override_reason",
        ]  # fmt: skip
        help_texts = {
            "months": _("Kalendermåneder som ligger helt innenfor perioden og ansettelsen."),
            "productivity_months": _("Hele måneder innenfor de første månedene som fastlege/vikar."),
            "override_amount": _("Bare når beløpet skal avvike fra det beregnede; begrunnelsen må fylles ut."),
        }

    def __init__(self, *args, trainings: QuerySet | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if trainings is None:
            del self.fields["training"]
        else:
            self.fields["training"].queryset = trainings
            self.fields["training"].label_from_instance = lambda t: f"{t.doctor.last_name}, {t.doctor.first_name}"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("override_amount") is not None and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Skriv hvorfor beløpet overstyres."))
        months, productive = data.get("months"), data.get("productivity_months")
        if months is not None and productive is not None and productive > months:
            self.add_error("productivity_months", _("Kan ikke være flere enn de hele månedene i perioden."))
        return data


class CostSheetForm(VersionedModelForm):
    class Meta:
        model = CostSheet
        fields = [
            "year", "list_length", "other_work_share", "salary", "bonus", "office_costs", "supervision", "courses",
            "travel", "locum", "patient_fees", "per_capita", "alis_grant", "notes",
        ]  # fmt: skip

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        others = CostSheet.objects.filter(training_id=self.instance.training_id, year=year).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Denne ALIS har allerede et kostnadsark for %(year)s.") % {"year": year})
        return year


class CalculatorForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Satsperiode"), coerce=int)
    position_type = forms.ChoiceField(label=_("Stillingstype"), choices=PositionType.choices)
    grant_type = forms.ChoiceField(label=_("Tilskuddstype"), choices=GrantType.choices)
    position_share = forms.IntegerField(label=_("Stillingsandel (%)"), min_value=1, max_value=100, initial=100)
    months = forms.IntegerField(
        label=_("Hele måneder i perioden"), min_value=0, max_value=12, initial=12,
        help_text=_("Kalendermåneder som ligger helt innenfor perioden og ansettelsen."),
    )  # fmt: skip
    productivity_months = forms.IntegerField(
        label=_("Hele måneder med redusert produktivitet"), min_value=0, max_value=12, required=False,
        help_text=_("Tom: alle månedene over."),
    )  # fmt: skip
    centrality = forms.TypedChoiceField(
        label=_("Kommunens sentralitet"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Ukjent")), *((c, str(c)) for c in range(1, 7))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices()

    def clean(self) -> dict:
        data = super().clean()
        months, productive = data.get("months"), data.get("productivity_months")
        if months is not None and productive is not None and productive > months:
            self.add_error("productivity_months", _("Kan ikke være flere enn de hele månedene i perioden."))
        return data

    def breakdown(self) -> tuple[RatePeriod, calc.Breakdown]:
        data = self.cleaned_data
        period = RatePeriod.objects.select_related("scheme").get(pk=data["period"])
        breakdown = calc.calculate(
            rates=period.rates(),
            position_type=data["position_type"],
            position_share=data["position_share"],
            months=data["months"],
            grant_type=data["grant_type"],
            centrality=data["centrality"],
            productivity_months=data["productivity_months"],
        )
        return period, breakdown


class ApplicationFilterForm(ListFilterForm):
    search_fields = ("municipality__name", "municipality__number")
    office_path = "municipality__county__office__code"
    period = forms.TypedChoiceField(label=_("Satsperiode"), coerce=int, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *GrantApplication.Status.choices], required=False
    )

    def __init__(self, data, *, user) -> None:
        super().__init__(data, user=user)
        self.fields["period"].choices = period_choices()
        if not user.sees_all_regions:
            del self.fields["office"]

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("period"):
            queryset = queryset.filter(period_id=data["period"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset
