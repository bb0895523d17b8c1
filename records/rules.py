"""When the office should follow up an ALIS's education plan.

Source: the offices' wish in issue 13 («so the office sees who has no plan, or no progress report for a
year»): the municipality reports the ALIS's progress (learning objectives approved in Kompetanseportalen)
at least once a year; an ALIS with no plan on file, or whose latest report is more than 12 months old,
is one the office follows up.
"""

from datetime import date

PROGRESS_REPORT_MAX_MONTHS = 12


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day where it is shorter: 31.03 → 28/29.02)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def progress_cutoff(today: date) -> date:
    """A progress report dated before this day is too old."""
    return months_before(today, PROGRESS_REPORT_MAX_MONTHS)


def progress_report_overdue(*, reported_on: date | None, today: date) -> bool:
    """No progress report at all, or the latest older than 12 months."""
    return reported_on is None or reported_on < progress_cutoff(today)
