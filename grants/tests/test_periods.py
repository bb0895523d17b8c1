"""Which rate period a day belongs to, and the missing one named when none covers it."""

from datetime import date

import pytest

from grants.models import RatePeriod
from grants.periods import grant_year_on, grant_year_starting_in
from grants.rates import load_rates


@pytest.fixture
def period(db) -> RatePeriod:
    return load_rates()[0]  # 1.6.2025–31.5.2026


def test_it_finds_the_period_that_covers_the_day(period):
    year = grant_year_on(date(2026, 5, 31))
    assert (year.period, year.label, year.complete) == (period, "2025/26", True)


def test_it_names_the_missing_year_after_the_last_period(period):
    # Late November 2026: the 2025/26 period ended on 31 May; 2026/27 has no rates.
    year = grant_year_on(date(2026, 11, 29))
    assert year.period is None
    assert (year.label, year.start, year.end) == ("2026/27", date(2026, 6, 1), date(2027, 5, 31))
    assert not year.complete
    assert year.rates.complete is False and len(year.missing_rates) == 10


def test_it_names_the_missing_year_before_the_first_period(period):
    year = grant_year_on(date(2025, 3, 1))
    assert (year.label, year.start, year.end, year.period) == ("2024/25", date(2024, 6, 1), date(2025, 5, 31), None)


def test_it_never_claims_the_days_of_a_later_period(period):
    later = RatePeriod.objects.create(scheme=period.scheme, start=date(2027, 1, 1), end=date(2027, 12, 31))
    year = grant_year_on(date(2026, 11, 29))
    assert (year.start, year.end) == (date(2026, 6, 1), date(2026, 12, 31))
    # The later period exists but has no rates entered: it covers the day, and says its rates are missing.
    in_later = grant_year_on(date(2027, 3, 1))
    assert in_later.period == later and not in_later.complete


def test_it_takes_june_to_may_without_any_period(db):
    year = grant_year_on(date(2026, 11, 29))
    assert (year.label, year.scheme, year.community_medicine_eligible) == ("2026/27", None, False)


def test_it_finds_the_grant_year_that_begins_in_a_calendar_year(period):
    assert grant_year_starting_in(2025).period == period
    missing = grant_year_starting_in(2026)
    assert (missing.period, missing.label) == (None, "2026/27")
