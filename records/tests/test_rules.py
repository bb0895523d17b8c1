from datetime import date

from records import rules


def test_it_goes_back_twelve_months_to_the_same_day() -> None:
    assert rules.months_before(date(2026, 11, 29), 12) == date(2025, 11, 29)


def test_it_takes_the_months_last_day_where_the_month_is_shorter() -> None:
    assert rules.months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert rules.months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert rules.months_before(date(2025, 2, 28), 12) == date(2024, 2, 28)


def test_it_crosses_the_new_year() -> None:
    assert rules.months_before(date(2026, 1, 15), 2) == date(2025, 11, 15)


def test_a_missing_report_is_overdue() -> None:
    assert rules.progress_report_overdue(reported_on=None, today=date(2026, 11, 29))


def test_a_report_of_exactly_twelve_months_ago_is_not_yet_overdue() -> None:
    today = date(2026, 11, 29)
    assert not rules.progress_report_overdue(reported_on=date(2025, 11, 29), today=today)
    assert rules.progress_report_overdue(reported_on=date(2025, 11, 28), today=today)
