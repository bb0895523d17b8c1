"""The grant "Nasjonal ALIS og veiledning" for one ALIS in one period, as pure functions.

Sources: ../shared/reference/RULES.md ("Grants") and the rate parameters in
grants/data/alis_tilskudd_satser_2025_2026_UNVERIFIED.csv (unverified: taken from the open-source Alisflyt
seed data, rate set "Tilskudd 2025/2026", 1.6.2025–31.5.2026). Every number that can change by year is a
field of the rate period (`Rates`), never a constant here.

What this module decides on its own, and why (each is tested):
- a "whole month" is a calendar month lying wholly inside the time counted (`whole_months`);
- every element is pro rata: annual amount × position share × whole months / 12 (RULES.md: "the amount
  depends on ... the position share and the number of whole months");
- each element is rounded to whole kroner, so that the total is the sum of the lines a municipality sees.
Which element applies to which position type and grant type is data of the rate period (`applicability`),
with the CSV's notes as the default.
"""

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTHS_PER_YEAR = 12
# RULES.md: "Municipalities in centrality class 6 get a supplement".
SUPPLEMENT_CENTRALITY = 6
KRONE = Decimal(1)


class PositionType(models.TextChoices):
    REGULAR_GP = "regular_gp", gettext_lazy("Fastlege eller fastlegevikar")
    INTRODUCTION = "introduction", gettext_lazy("Introduksjonslege")
    OUTSIDE_REGULAR_GP = "outside_regular_gp", gettext_lazy("Allmennlege utenfor fastlegeordningen")


class GrantType(models.TextChoices):
    ALIS_AGREEMENT = "alis_agreement", gettext_lazy("ALIS-avtale inkl. veiledning")
    SUPERVISION_ONLY = "supervision_only", gettext_lazy("Kun veiledning")


class Element(models.TextChoices):
    PRACTICE_COMPENSATION = "practice_compensation", gettext_lazy("Praksiskompensasjon")
    LEARNING_ACTIVITIES = "learning_activities", gettext_lazy("Læringsaktiviteter")
    REDUCED_PRODUCTIVITY = "reduced_productivity", gettext_lazy("Redusert produktivitet")
    SUPERVISION = "supervision", gettext_lazy("Veiledning")
    FACILITATION = "facilitation", gettext_lazy("Tilrettelegging")
    CENTRALITY_SUPPLEMENT = "centrality_supplement", gettext_lazy("Sentralitetstillegg")


# The elements whose sum the facilitation share is taken of (CSV: "share of sum of standard elements";
# its derived maximum 18 115,86 = 5 % of 132 000 + 14 000 + 125 000 + 91 317,19).
STANDARD_ELEMENTS = (
    Element.PRACTICE_COMPENSATION,
    Element.LEARNING_ACTIVITIES,
    Element.REDUCED_PRODUCTIVITY,
    Element.SUPERVISION,
)

ALL_POSITIONS = [p.value for p in PositionType]
AGREEMENT_ONLY = [GrantType.ALIS_AGREEMENT.value]
BOTH_GRANT_TYPES = [g.value for g in GrantType]
# The CSV's notes as the default: practice compensation "not for allmennlege utenfor FLO", reduced
# productivity "only fastlege/fastlegevikar", the centrality supplement "only grant type ALIS-avtale inkl.
# veiledning". The CSV says nothing of what "kun veiledning" covers besides supervision; here it is
# supervision alone, and the coordinator can change it per rate period.
DEFAULT_APPLICABILITY: dict[str, dict[str, list[str]]] = {
    Element.PRACTICE_COMPENSATION: {
        "positions": [PositionType.REGULAR_GP.value, PositionType.INTRODUCTION.value],
        "grant_types": AGREEMENT_ONLY,
    },
    Element.LEARNING_ACTIVITIES: {"positions": ALL_POSITIONS, "grant_types": AGREEMENT_ONLY},
    Element.REDUCED_PRODUCTIVITY: {"positions": [PositionType.REGULAR_GP.value], "grant_types": AGREEMENT_ONLY},
    Element.SUPERVISION: {"positions": ALL_POSITIONS, "grant_types": BOTH_GRANT_TYPES},
    Element.FACILITATION: {"positions": ALL_POSITIONS, "grant_types": AGREEMENT_ONLY},
    Element.CENTRALITY_SUPPLEMENT: {"positions": ALL_POSITIONS, "grant_types": AGREEMENT_ONLY},
}


# What each element needs of the rate period: a missing one makes the element unknown, never 0 and never
# another period's rate. The reduced-productivity window decides its months, so it is needed too.
ELEMENT_RATES: dict[str, tuple[str, ...]] = {
    Element.PRACTICE_COMPENSATION: ("hourly_rate", "practice_compensation_share", "practice_compensation_hours"),
    Element.LEARNING_ACTIVITIES: ("learning_activity_cap",),
    Element.REDUCED_PRODUCTIVITY: ("productivity_amount", "productivity_months"),
    Element.SUPERVISION: ("hourly_rate", "supervision_rate", "supervision_hours"),
    Element.FACILITATION: ("facilitation_share",),
    Element.CENTRALITY_SUPPLEMENT: ("centrality_supplement",),
}
RATE_LABELS: dict[str, str] = {
    "hourly_rate": gettext_lazy("timesats"),
    "practice_compensation_share": gettext_lazy("praksiskompensasjonens andel av timesatsen"),
    "practice_compensation_hours": gettext_lazy("praksiskompensasjonens timer per år"),
    "learning_activity_cap": gettext_lazy("beløpet for læringsaktiviteter"),
    "productivity_amount": gettext_lazy("beløpet for redusert produktivitet"),
    "productivity_months": gettext_lazy("antall måneder med redusert produktivitet"),
    "supervision_rate": gettext_lazy("veiledningens faktor på timesatsen"),
    "supervision_hours": gettext_lazy("veiledningstimer per år"),
    "facilitation_share": gettext_lazy("andelen for tilrettelegging"),
    "centrality_supplement": gettext_lazy("sentralitetstillegget"),
}


@dataclass(frozen=True)
class Rates:
    """The parameters of one rate period (see the CSV for each one's unit); None where not known yet."""

    hourly_rate: Decimal | None = None  # timesats, NOK per hour
    practice_compensation_share: Decimal | None = None  # share of the hourly rate
    practice_compensation_hours: Decimal | None = None  # hours per year
    learning_activity_cap: Decimal | None = None  # NOK per year
    productivity_amount: Decimal | None = None  # NOK per year
    productivity_months: int | None = None  # within this many months from the first day as fastlege/vikar
    supervision_rate: Decimal | None = None  # multiplier on the hourly rate
    supervision_hours: Decimal | None = None  # hours per year
    facilitation_share: Decimal | None = None  # share of the sum of the standard elements
    centrality_supplement: Decimal | None = None  # NOK per year
    applicability: Mapping[str, Mapping[str, list[str]]] = field(default_factory=lambda: DEFAULT_APPLICABILITY)

    def applies(self, element: str, position_type: str, grant_type: str) -> bool:
        rule = self.applicability.get(element, {})
        return position_type in rule.get("positions", []) and grant_type in rule.get("grant_types", [])

    def missing(self, element: str | None = None) -> list[str]:
        """The parameters not known (of one element, or of all), by field name."""
        names = ELEMENT_RATES[element] if element else RATE_LABELS
        return [name for name in names if getattr(self, name) is None]

    @property
    def complete(self) -> bool:
        return not self.missing()


NO_RATES = Rates()


@dataclass(frozen=True)
class Line:
    element: str
    label: str
    formula: str  # in Norwegian, with the numbers, so that it can be checked by hand
    amount: Decimal | None  # None: not known (a rate is missing, or the centrality), never counted as 0
    applies: bool = True
    missing_rates: tuple[str, ...] = ()  # the rate parameters that made it unknown
    missing_centrality: bool = False  # the supplement would apply, but the class is not known

    @property
    def unknown(self) -> bool:
        return self.amount is None


@dataclass(frozen=True)
class Breakdown:
    """The lines of one calculation. Immutable, so what is derived from them is worked out once."""

    lines: list[Line]

    @cached_property
    def total(self) -> Decimal:
        """The sum of the known lines; see `complete` for whether any line is unknown."""
        return sum((line.amount for line in self.lines if line.amount is not None), Decimal(0))

    @cached_property
    def unknown(self) -> list[Line]:
        return [line for line in self.lines if line.amount is None]

    @property
    def complete(self) -> bool:
        return not self.unknown

    @cached_property
    def centrality_unknown(self) -> bool:
        """The supplement would apply but the municipality's centrality class is not known."""
        return any(line.missing_centrality for line in self.lines)

    @cached_property
    def missing_rates(self) -> list[str]:
        """The rate parameters some line lacks, in the rate period's order."""
        wanted = {name for line in self.lines for name in line.missing_rates}
        return [name for name in RATE_LABELS if name in wanted]


# Whole months and grant years


def year_label(start: date, end: date) -> str:
    """A rate period's year as the field writes it: "2025/26" for 1.6.2025–31.5.2026, "2025" within one year."""
    if start.year == end.year:
        return str(start.year)
    return f"{start.year}/{end.year % 100:02d}"



def whole_months(start: date, end: date) -> int:
    """Calendar months lying wholly inside start..end (both days included); 0 when there are none.

    1.6.2025–31.5.2026 has 12; from 15.8.2025 it has 9 (September to May); to 30.5.2026 it has 11.
    """
    if start.day != 1:
        start = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    if end.day != calendar.monthrange(end.year, end.month)[1]:
        end = date(end.year, end.month, 1) - timedelta(days=1)
    months = (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1
    return max(0, months)


def months_in_period(*, period_start: date, period_end: date, start: date, end: date | None) -> int:
    """Whole months of the period in which the ALIS worked (from `start` to `end`, open-ended when None)."""
    return whole_months(max(period_start, start), min(period_end, end) if end else period_end)


def productivity_months(
    *, period_start: date, period_end: date, start: date, end: date | None, first_gp_day: date | None, window: int
) -> int:
    """Whole months of the period that lie within `window` months from the first day as fastlege/vikar.

    CSV: reduced productivity is paid "within first 24 months from first fastlege/vikar date". Unknown first
    day: the ALIS's own start is taken, which the office can override on the application line.
    """
    first = first_gp_day or start
    window_end = _add_months(first, window) - timedelta(days=1)
    later_end = min(end, window_end) if end else window_end
    return months_in_period(period_start=period_start, period_end=period_end, start=max(start, first), end=later_end)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# The calculation


def _kroner(value: Decimal) -> Decimal:
    return value.quantize(KRONE, rounding=ROUND_HALF_UP)


def number(value: Decimal | int) -> str:
    """A number as Norwegian text: space between thousands, decimal comma, no trailing zeros."""
    value = Decimal(value)
    text = f"{value.normalize():f}" if value != value.to_integral_value() else f"{int(value)}"
    whole, _dot, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = f"{int(digits):,}".replace(",", "\u00a0")
    return f"{sign}{grouped}" + (f",{decimals}" if decimals else "")


def kroner_text(value: Decimal | int) -> str:
    """NOK as Norwegian text: "kr 1 234 567" (whole kroner)."""
    return f"kr\u00a0{number(_kroner(Decimal(value)))}"


def calculate(
    *,
    rates: Rates,
    position_type: str,
    position_share: int,
    months: int,
    grant_type: str,
    centrality: int | None,
    productivity_months: int | None = None,
    explain: bool = True,
) -> Breakdown:
    """The grant for one ALIS in one period, element by element: the one place its arithmetic lives.

    `position_share` is in percent (1–100), `months` the whole months in the period (see `whole_months`);
    `productivity_months` the whole months within the reduced-productivity window (default: all `months`).
    An element whose rate is missing is unknown (amount None), and so is facilitation, which is a share of
    the others; the supplement is unknown when it would apply but the centrality class is not known
    (RULES.md: only class 6 gets it; an unknown class is neither 6 nor 1–5). `explain=False` leaves the
    formula texts empty (lists of thousands need only the amounts; the arithmetic is the same).
    """
    if not 0 < position_share <= 100:
        raise ValueError("position_share must be 1–100")
    if months < 0:
        raise ValueError("months must not be negative")
    share = Decimal(position_share) / 100
    productive = months if productivity_months is None else min(months, productivity_months)
    r = rates

    def say(make: Callable[[], str]) -> str:
        return make() if explain else ""

    def pro_rata(month_count: int) -> str:
        values = {"share": number(position_share), "months": month_count}
        return _("× %(share)s %% stilling × %(months)s/12 mnd") % values

    def prorated(annual: Decimal, month_count: int) -> Decimal:
        return _kroner(annual * share * month_count / MONTHS_PER_YEAR)

    def not_applicable(element: Element) -> Line:
        reason = say(
            lambda: _("Gjelder ikke for %(position)s med %(grant)s.")
            % {"position": PositionType(position_type).label.lower(), "grant": GrantType(grant_type).label.lower()}
        )
        return Line(element, element.label, reason, Decimal(0), applies=False)

    def rate_missing(element: Element, missing: list[str]) -> Line:
        text = say(
            lambda: _("Ukjent: satsperioden mangler %(rates)s.")
            % {"rates": ", ".join(str(RATE_LABELS[n]) for n in missing)}
        )
        return Line(element, element.label, text, None, missing_rates=tuple(missing))

    def value(name: str) -> str:
        return number(getattr(r, name))

    formulas: dict[str, Callable[[], str]] = {
        Element.PRACTICE_COMPENSATION: lambda: _("%(rate)s kr/t × %(part)s × %(hours)s t/år")
        % {
            "rate": value("hourly_rate"),
            "part": value("practice_compensation_share"),
            "hours": value("practice_compensation_hours"),
        },
        Element.LEARNING_ACTIVITIES: lambda: _("inntil %(cap)s kr/år") % {"cap": value("learning_activity_cap")},
        Element.REDUCED_PRODUCTIVITY: lambda: _("%(amount)s kr/år, de første %(window)s mnd som fastlege/vikar")
        % {"amount": value("productivity_amount"), "window": r.productivity_months},
        Element.SUPERVISION: lambda: _("%(rate)s kr/t × %(factor)s × %(hours)s t/år")
        % {"rate": value("hourly_rate"), "factor": value("supervision_rate"), "hours": value("supervision_hours")},
    }

    lines: list[Line] = []
    for element in STANDARD_ELEMENTS:
        if not r.applies(element, position_type, grant_type):
            lines.append(not_applicable(element))
            continue
        if missing := r.missing(element):
            lines.append(rate_missing(element, missing))
            continue
        if element == Element.PRACTICE_COMPENSATION:
            annual, month_count = r.hourly_rate * r.practice_compensation_share * r.practice_compensation_hours, months
        elif element == Element.LEARNING_ACTIVITIES:
            annual, month_count = r.learning_activity_cap, months
        elif element == Element.REDUCED_PRODUCTIVITY:
            annual, month_count = r.productivity_amount, productive
        else:
            annual, month_count = r.hourly_rate * r.supervision_rate * r.supervision_hours, months
        text = say(lambda element=element, month_count=month_count: f"{formulas[element]()} {pro_rata(month_count)}")
        lines.append(Line(element, element.label, text, prorated(annual, month_count)))

    element = Element.FACILITATION
    if not r.applies(element, position_type, grant_type):
        lines.append(not_applicable(element))
    elif missing := r.missing(element) + [name for line in lines for name in line.missing_rates]:
        lines.append(rate_missing(element, list(dict.fromkeys(missing))))
    else:
        base = sum((line.amount for line in lines), Decimal(0))
        text = say(
            lambda: _("%(share)s × summen av elementene over (%(base)s kr)")
            % {"share": value("facilitation_share"), "base": number(base)}
        )
        lines.append(Line(element, element.label, text, _kroner(base * r.facilitation_share)))

    element = Element.CENTRALITY_SUPPLEMENT
    if not r.applies(element, position_type, grant_type):
        lines.append(not_applicable(element))
    elif centrality is None:
        text = say(lambda: _("Sentralitet ukjent: tillegget for sentralitetsklasse 6 er ikke tatt med."))
        lines.append(Line(element, element.label, text, None, missing_centrality=True))
    elif centrality != SUPPLEMENT_CENTRALITY:
        text = say(
            lambda: _("Bare for kommuner i sentralitetsklasse 6 (kommunen har %(class)s).") % {"class": centrality}
        )
        lines.append(Line(element, element.label, text, Decimal(0), applies=False))
    elif missing := r.missing(element):
        lines.append(rate_missing(element, missing))
    else:
        text = say(
            lambda: _("%(amount)s kr/år i sentralitetsklasse 6 %(pro_rata)s")
            % {"amount": value("centrality_supplement"), "pro_rata": pro_rata(months)}
        )
        lines.append(Line(element, element.label, text, prorated(r.centrality_supplement, months)))
    return Breakdown(lines)


@dataclass(frozen=True)
class Maximum:
    """The highest grant a position can give in a year: `low` == `high` unless the centrality is unknown.

    `complete` is False when a rate is missing (then `low` and `high` leave out what is unknown).
    """

    low: Decimal
    high: Decimal
    complete: bool
    centrality_unknown: bool

    @property
    def known(self) -> bool:
        return self.complete and not self.centrality_unknown


def annual_maximum(*, rates: Rates, position_type: str, centrality: int | None) -> Maximum:
    """The most one ALIS in this position can bring in a whole rate period: full time, 12 whole months, all of
    them within the reduced-productivity window, the grant type that gives the most.

    An unknown centrality gives a range: without the supplement (as in class 1–5) and with it (class 6).
    """
    def best(centrality: int | None) -> Breakdown:
        results = [
            calculate(
                rates=rates, position_type=position_type, position_share=100, months=MONTHS_PER_YEAR,
                grant_type=grant_type, centrality=centrality, productivity_months=MONTHS_PER_YEAR, explain=False,
            )
            for grant_type in GrantType
        ]  # fmt: skip
        return max(results, key=lambda breakdown: breakdown.total)

    if centrality is None:
        low, high = best(1), best(SUPPLEMENT_CENTRALITY)
        return Maximum(low.total, high.total, low.complete and high.complete, centrality_unknown=True)
    result = best(centrality)
    return Maximum(result.total, result.total, result.complete, centrality_unknown=False)
