"""Rules of the field for a course of specialist training, as pure functions.

Sources are cited per rule; see also ../shared/reference/RULES.md as it was when this was written.
"""

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12

# Spesialistforskriften (FOR-2016-12-08-1482) and the transition rules: doctors who started before
# 1 March 2019 may finish under the old rules ("gammel ordning").
NEW_SCHEME_START = date(2019, 3, 1)
# alis.no "Konvertering av ALIS" / legeforeningen.no "Gammel ordning": the deadline for applying for
# approval under the old rules was extended from 1 March 2025 to 31 December 2026.
OLD_SCHEME_DEADLINE = date(2026, 12, 31)

OPEN_PRACTICE = "open_practice"
OTHER_MUNICIPAL = "other_municipal"
HOSPITAL = "hospital"
COMMUNITY_MEDICINE_WORK = "community_medicine"
OTHER = "other"


@dataclass(frozen=True)
class Requirement:
    kind: str | None  # None: all counted service together
    min_years: float = 0
    max_years: float | None = None


# alis.no "Gjennomføring av spesialistutdanningen": at least 5 years after LIS1, of which open unselected
# general practice at least 2 and at most 4.5 years, other municipal GP work at most 2.5 years, and
# institution (hospital) service at least 6 months.
GENERAL_PRACTICE_REQUIREMENTS = (
    Requirement(kind=None, min_years=5),
    Requirement(kind=OPEN_PRACTICE, min_years=2, max_years=4.5),
    Requirement(kind=OTHER_MUNICIPAL, max_years=2.5),
    Requirement(kind=HOSPITAL, min_years=0.5),
)
# samlis.no: 5 years, at least 4 of community-medicine work and about 1 year of clinical service.
COMMUNITY_MEDICINE_REQUIREMENTS = (
    Requirement(kind=None, min_years=5),
    Requirement(kind=COMMUNITY_MEDICINE_WORK, min_years=4),
)
REQUIRED_YEARS = 5


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive
    share: int  # percent of full time


@dataclass(frozen=True)
class RequirementStatus:
    requirement: Requirement
    counted_years: float

    @property
    def met(self) -> bool:
        return self.counted_years >= self.requirement.min_years

    @property
    def missing_years(self) -> float:
        return max(0.0, self.requirement.min_years - self.counted_years)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def calendar_months(start: date, end: date) -> float:
    """Months from `start` to `end` (inclusive): whole calendar months, then the rest by its days.

    The rules are stated in years and months, so six calendar months (1 January – 30 June, 181 days)
    must count as half a year; days divided by an average 365.25-day year would fall short.
    """
    stop = end + timedelta(days=1)
    if stop <= start:
        return 0.0
    whole = (stop.year - start.year) * 12 + stop.month - start.month
    if add_months(start, whole) > stop:
        whole -= 1
    return whole + (stop - add_months(start, whole)).days / DAYS_PER_MONTH


def full_time_years(period: Period) -> float:
    """Service time in full-time years; part-time work counts pro rata (alis.no)."""
    return calendar_months(period.start, period.end) * period.share / 1200


def counted_service(periods: Iterable[Period], requirements: Iterable[Requirement]) -> list[RequirementStatus]:
    """Counted service time against each requirement.

    Time beyond a kind's maximum does not count towards the total (e.g. open practice beyond
    4.5 years), so the total is the sum of each kind's capped time.
    """
    requirements = tuple(requirements)
    caps = {r.kind: r.max_years for r in requirements if r.kind is not None and r.max_years is not None}
    per_kind: dict[str, float] = {}
    for period in periods:
        per_kind[period.kind] = per_kind.get(period.kind, 0.0) + full_time_years(period)
    capped = {kind: min(years, caps[kind]) if kind in caps else years for kind, years in per_kind.items()}
    total = sum(capped.values())
    return [RequirementStatus(r, total if r.kind is None else capped.get(r.kind, 0.0)) for r in requirements]


def expected_end(*, start: date, position_share: int, leave_days: int = 0) -> date:
    """When the training should be complete: 5 years of service, pro rata for part time, plus leave."""
    share = max(1, min(100, position_share))
    months = REQUIRED_YEARS * 12 * 100 / share
    whole = int(months)
    # The part month rounds up, so that on the expected end the full five years are counted.
    rest_days = math.ceil((months - whole) * DAYS_PER_MONTH)
    return add_months(start, whole) + timedelta(days=rest_days + leave_days - 1)


def is_old_scheme_allowed(start: date) -> bool:
    """Only doctors who started before 1 March 2019 can be in the old scheme."""
    return start < NEW_SCHEME_START


def old_scheme_deadline_days(today: date) -> int:
    """Days left until the old scheme's deadline (negative when passed)."""
    return (OLD_SCHEME_DEADLINE - today).days


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def half_years(first: date, count: int) -> list[tuple[date, date]]:
    """`count` consecutive half-years starting with the one that holds `first`: (first day, last day)."""
    result = []
    start = half_year_start(first)
    for _ in range(count):
        if start.month == 1:
            end, next_start = date(start.year, 6, 30), date(start.year, 7, 1)
        else:
            end, next_start = date(start.year, 12, 31), date(start.year + 1, 1, 1)
        result.append((start, end))
        start = next_start
    return result


def half_year_label(start: date) -> str:
    from django.utils.translation import gettext

    label = gettext("1. halvår %(year)s") if start.month == 1 else gettext("2. halvår %(year)s")
    return label % {"year": start.year}
