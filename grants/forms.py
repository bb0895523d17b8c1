from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.suggestions import SuggestionField
from core.validation import parse_int
from core.widgets import DateInput
from grants import calculation as calc
from grants import costs, lines
from grants.calculation import Element, GrantType, PositionType
from grants.models import ApplicationLine, CostSheet, GrantApplication, GrantProfile, GrantScheme, RatePeriod
from registry.forms import DOCTOR_SEARCH, doctor_label, municipality_field
from registry.models import Municipality

# How the ALIS of a new line is found by typing: the doctor's name or HPR number.
ALIS_SEARCH = tuple(f"doctor__{name}" for name in DOCTOR_SEARCH)


def period_choices() -> list[tuple[int, str]]:
    return [(p.pk, p.label) for p in RatePeriod.objects.select_related("scheme")]


def chosen_period(value: str | None) -> RatePeriod | None:
    """The period asked for by its key in the query string, or None (never a stand-in)."""
    if (pk := parse_int(value)) is None:
        return None
    return RatePeriod.objects.select_related("scheme").filter(pk=pk).first()


class GrantSchemeForm(VersionedModelForm):
    class Meta:
        model = GrantScheme
        fields = ["name", "description", "url", "community_medicine_eligible", "eligibility_source"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("community_medicine_eligible") and not (data.get("eligibility_source") or "").strip():
            self.add_error("eligibility_source", _("Skriv hvilken regel som sier at samfunnsmedisin gir tilskudd."))
        return data


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
        widgets = dict.fromkeys(("start", "end", "application_deadline", "auditor_deadline"), DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in calc.RATE_LABELS:
            self.fields[name].help_text = _("Tom til satsen er kunngjort: anslag som trenger den, vises da som ukjent.")
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
        elif start and end:
            # One period per day and scheme: otherwise "the period of a day" would be a guess.
            overlapping = (
                RatePeriod.objects.filter(scheme_id=self.instance.scheme_id, start__lte=end, end__gte=start)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if overlapping is not None:
                self.add_error(
                    "start", _("Satsperioden %(other)s dekker noen av de samme dagene.") % {"other": overlapping}
                )
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
        widgets = {"first_gp_day": DateInput}


class NewApplicationForm(VersionedModelForm):
    class Meta:
        model = GrantApplication
        fields = ["municipality", "period"]

    def __init__(self, *args, municipalities: QuerySet[Municipality], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = municipality_field(municipalities, editable=True, label=_("Kommune"))
        self.fields["period"].queryset = RatePeriod.objects.select_related("scheme")


class ApplicationForm(VersionedModelForm):
    class Meta:
        model = GrantApplication
        fields = ["status", "sent_on", "granted_amount", "paid_on", "auditor_statement_on", "repay_amount", "notes"]
        widgets = dict.fromkeys(("sent_on", "paid_on", "auditor_statement_on"), DateInput)

    def clean(self) -> dict:
        data = super().clean()
        status = data.get("status")
        if status and status != GrantApplication.Status.DRAFT and not data.get("sent_on"):
            self.add_error("sent_on", _("Skriv når søknaden ble sendt."))
        if status == GrantApplication.Status.REPAY and not data.get("repay_amount"):
            self.add_error("repay_amount", _("Skriv hvor mye som skal tilbakebetales."))
        return data


def alis_label(training) -> str:
    """An ALIS as the line's choice shows one: «Nordmann, Kari (HPR 1234567)»."""
    return doctor_label(training.doctor)


FROM_TRAINING = {
    "position_type": _("Tom: fra utdanningsløpet og tilskuddsopplysningene (nå %(value)s)."),
    "position_share": _("Tom: utdanningsløpets stillingsandel (nå %(value)s %%)."),
    "months": _(
        "Kalendermåneder som ligger helt innenfor perioden og ansettelsen. Tom: regnes ut fra datoene (nå %(value)s)."
    ),
    "productivity_months": _(
        "Hele måneder innenfor de første månedene som fastlege/vikar. Tom: regnes ut fra datoene (nå %(value)s)."
    ),
}


class LineForm(VersionedModelForm):
    """The office may type an input instead of taking it from the training; empty fields follow the training."""

    class Meta:
        model = ApplicationLine
        fields = [
            "training", "grant_type", "position_type", "position_share", "months", "productivity_months",
            "override_amount", "override_reason",
        ]  # fmt: skip
        help_texts = {
            "override_amount": _("Bare når beløpet skal avvike fra det beregnede; begrunnelsen må fylles ut."),
        }

    def __init__(
        self,
        *args,
        trainings: QuerySet | None = None,
        search_url: str = "",
        derived: lines.Inputs | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if trainings is None:
            del self.fields["training"]
        else:
            # A large municipality has hundreds of ALIS: chosen by typing, among those not yet applied for.
            self.fields["training"] = SuggestionField(
                trainings,
                url=search_url,
                search_fields=ALIS_SEARCH,
                label=_("ALIS"),
                help_text=_("Skriv navnet eller HPR-nummeret, og velg i listen. Bare ALIS som ikke er med i søknaden."),
                error_messages={"invalid_choice": _("Denne ALIS kan ikke gi tilskudd, eller er allerede med.")},
            )
            self.fields["training"].label_from_instance = alis_label
            self.order_fields(self._meta.fields)
        self.fields["position_type"].choices = [("", _("Fra utdanningsløpet")), *PositionType.choices]
        for name, text in FROM_TRAINING.items():
            if derived is None:
                self.fields[name].help_text = _("Tom: fra utdanningsløpet.")
                continue
            value = getattr(derived, name)
            shown = PositionType(value).label.lower() if name == "position_type" else value
            self.fields[name].help_text = text % {"value": _("ukjent") if value is None else shown}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("override_amount") is not None and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Skriv hvorfor beløpet overstyres."))
        period = self.instance.application.period
        most = calc.whole_months(period.start, period.end)
        months, productive = data.get("months"), data.get("productivity_months")
        if months is not None and months > most:
            self.add_error("months", _("Perioden har bare %(count)s hele måneder.") % {"count": most})
        elif months is not None and productive is not None and productive > months:
            self.add_error("productivity_months", _("Kan ikke være flere enn de hele månedene i perioden."))
        return data


class CostSheetForm(VersionedModelForm):
    """The grant rules of `grants.costs` are checked here, next to the fields they concern.

    `cap_for_year` gives the cap on the ALIS grant for a year (it depends on the year's rate period).
    """

    class Meta:
        model = CostSheet
        fields = [
            "year", "list_length", "other_work_share", "salary", "agreement_payment", "bonus", "office_costs",
            "supervision", "courses", "travel", "locum", "patient_fees", "per_capita", "alis_grant", "notes",
        ]  # fmt: skip

    def __init__(self, *args, cap_for_year, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cap_for_year = cap_for_year
        self.notes: list[str] = []
        if not costs.has_agreement_line(self.instance.training.contract):
            del self.fields["agreement_payment"]
        if self.instance.year:
            help_text = self.fields["alis_grant"].help_text
            self.fields["alis_grant"].help_text = f"{help_text} {cap_for_year(self.instance.year).description}"

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        others = CostSheet.objects.filter(training_id=self.instance.training_id, year=year).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Denne ALIS har allerede et kostnadsark for %(year)s.") % {"year": year})
        return year

    def clean(self) -> dict:
        data = super().clean()
        if self.errors or data.get("year") is None:
            return data
        check = costs.check_sheet(
            contract=self.instance.training.contract,
            list_length=data.get("list_length"),
            per_capita=data.get("per_capita") or 0,
            agreement_payment=data.get("agreement_payment") or 0,
            alis_grant=data.get("alis_grant") or 0,
            cap=self.cap_for_year(data["year"]),
        )
        for name, message in check.errors.items():
            self.add_error(name if name in self.fields else None, message)
        self.notes = check.notes
        return data


class CalculatorForm(forms.Form):
    period = forms.TypedChoiceField(
        label=_("Satsperiode"), coerce=int, error_messages={"required": _("Velg satsperioden å regne med.")}
    )
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
        self.fields["period"].choices = [("", _("Velg satsperiode")), *period_choices()]

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


class CostFilterForm(ListFilterForm):
    """The cost sheets of one year (the view starts at the latest year with sheets), by municipality or name."""

    search_fields = ("training__doctor__first_name", "training__doctor__last_name")
    aar = forms.TypedChoiceField(label=_("År"), coerce=int, required=False, empty_value=None)
    kommune = forms.ModelChoiceField(
        label=_("Kommune"), queryset=Municipality.objects.none(), required=False, empty_label=_("Alle kommuner")
    )

    def __init__(self, data, *, user, years: list[int], municipalities: QuerySet[Municipality]) -> None:
        super().__init__(data, user=user)
        self.fields["aar"].choices = [(year, str(year)) for year in years]
        self.fields["kommune"].queryset = municipalities
        self.fields["q"].label = _("Søk etter ALIS")

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("aar"):
            queryset = queryset.filter(year=data["aar"])
        if data.get("kommune"):
            queryset = queryset.filter(training__employer=data["kommune"])
        return queryset
