"""Which rate period a day belongs to, and saying so when there is none.

Rates change every year (RULES.md: "keep it as data with a validity period"). When no period covers a day,
a page must not quietly use the last one that ended: it names the grant year that is missing ("satser for
2026/27 mangler") and shows what depends on the rates as unknown. The missing year has the shape of the
scheme's latest period moved by whole years (1 June – 31 May, as the rate table of 2025/26), or 1 June –
31 May when the scheme has no period at all.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Q

from accounts.models import Role, User
from core import tableversions
from grants import calculation as calc
from grants.models import GrantScheme, RatePeriod

DEFAULT_START = (6, 1)  # 1 June: the 2025/26 rate table's period starts then


@dataclass(frozen=True)
class GrantYear:
    """A period of the scheme: its rate period when there is one, or the dates of the one that is missing."""

    scheme: GrantScheme | None
    start: date
    end: date
    period: RatePeriod | None = None

    @classmethod
    def of(cls, period: RatePeriod) -> "GrantYear":
        return cls(period.scheme, period.start, period.end, period)

    @property
    def label(self) -> str:
        return calc.year_label(self.start, self.end)

    @cached_property
    def rates(self) -> calc.Rates:
        return self.period.rates() if self.period else calc.NO_RATES

    @property
    def window(self) -> int | None:
        return self.rates.productivity_months

    @property
    def missing_rates(self) -> list[str]:
        """The rates not known for this year, in words (all of them when there is no period)."""
        return [str(calc.RATE_LABELS[name]) for name in self.rates.missing()]

    @property
    def complete(self) -> bool:
        return self.period is not None and self.rates.complete

    @property
    def community_medicine_eligible(self) -> bool:
        """The scheme's rule; with no scheme known, the default: not eligible."""
        return bool(self.scheme and self.scheme.community_medicine_eligible)


def default_scheme() -> GrantScheme | None:
    """The scheme of the latest rate period (there is one scheme today), or the only scheme."""
    latest = RatePeriod.objects.select_related("scheme").first()
    return latest.scheme if latest else GrantScheme.objects.order_by("pk").first()


def _with_year(day: tuple[int, int], year: int) -> date:
    month, dom = day
    return date(year, month, min(dom, calendar.monthrange(year, month)[1]))


def grant_year_on(day: date, *, scheme: GrantScheme | None = None) -> GrantYear:
    """The grant year that `day` falls in: its rate period, or the dates of the period that is missing. For the
    default scheme kept until the rate periods change (five queries; every grant page asks for today's)."""
    if scheme is None:
        return tableversions.kept(f"grant-year-on:{day}", lambda: _grant_year_on(day, default_scheme()))
    return _grant_year_on(day, scheme)


def _grant_year_on(day: date, scheme: GrantScheme | None) -> GrantYear:
    periods = RatePeriod.objects.select_related("scheme").filter(Q(scheme=scheme) if scheme else Q(pk__in=[]))
    covering = periods.filter(start__lte=day, end__gte=day).order_by("-start").first()
    if covering is not None:
        return GrantYear.of(covering)
    earlier = periods.filter(start__lte=day).order_by("-start").first()
    later = periods.filter(start__gt=day).order_by("start").first()
    model = earlier or later  # the period whose shape the missing one takes
    shape = (model.start.month, model.start.day) if model else DEFAULT_START
    year = day.year if (day.month, day.day) >= shape else day.year - 1
    start = _with_year(shape, year)
    end = _with_year(shape, year + 1) - timedelta(days=1)
    if model and model.end.year == model.start.year:  # periods within one calendar year
        end = _with_year((model.end.month, model.end.day), year)
    # Never claim days another period covers.
    if earlier is not None and earlier.end >= start:
        start = earlier.end + timedelta(days=1)
    if later is not None and later.start <= end:
        end = later.start - timedelta(days=1)
    return GrantYear(scheme, start, end)


def rate_keepers() -> list[User]:
    """Who can enter rates: the national coordinators (administrators can too, but are not who to ask)."""
    return list(User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("first_name", "last_name"))


def grant_year_starting_in(year: int, *, scheme: GrantScheme | None = None) -> GrantYear:
    """The grant year that begins in a calendar year (a cost sheet's year: 2025 → 2025/26)."""
    scheme = scheme if scheme is not None else default_scheme()
    periods = RatePeriod.objects.select_related("scheme").filter(Q(scheme=scheme) if scheme else Q(pk__in=[]))
    period = periods.filter(start__year=year).order_by("start").first()
    if period is not None:
        return GrantYear.of(period)
    latest = periods.order_by("-start").first()
    shape = (latest.start.month, latest.start.day) if latest else DEFAULT_START
    return grant_year_on(_with_year(shape, year), scheme=scheme)
