"""The supervision rule (veiledning) as pure functions, judged by each scheme's own rules.

What each scheme asks is data in `training.schemes` (SupervisionRule, with the sources): allmennmedisin in the
new scheme 42 hours of individual supervision a year, pro rata for part time (alis.no «Individuell veiledning»:
4 hours a month for 10.5 months), and group supervision 120 hours over 2 years (Legeforeningen); samfunnsmedisin
group supervision 90 hours over 3 years (samlis.no), individual supervision «i hele utdanningsløpet» with no hours
given; the old scheme «to år i veiledningsgruppe» (alis.no «Gammel spesialistutdanning») with no hours, and no
individual supervision. Where a scheme gives no number, that part is **not judged** (None), never guessed.

How "falling behind" is measured (the choice and why):
- Individual supervision is measured over the **last 12 months** (or since the start, if the training is
  younger): hours due = 42 h × position share × (days in the window not on leave / 365). A whole-training
  measure would let an old surplus hide a gap that is happening now, and mark someone behind for ever for a
  bad first year; the yearly rule fits a rolling year, and its 10.5 months already allow for holidays.
- Due hours accrue evenly, so an ALIS whose sessions are simply booked for next week must not show up:
  someone is **behind** when the hours logged fall short of the hours due by more than one month's
  supervision (4 h × position share).
- Leave (ServicePeriod kind "leave") stops the clock: leave days are left out of the window's days, and a
  month that is mostly leave is not counted as a month without sessions.
- Group supervision: 120 h (90 h in community medicine) over the training, at the normal pace of 60 h
  (30 h) a year. The ALIS is behind on group supervision when the hours still missing can no longer be
  done at that pace before the expected end of the training.
- Every recorded session counts, confirmed or not: the office records what it knows; the confirmation by the
  supervisor is shown beside it.
- Group supervision in a registered supervision group (veiledningsgruppe) is counted from the group's meetings
  the ALIS attended. While the ALIS is a member of a group, the group's meetings are the record: a group session
  entered by hand (or imported) on a day of membership is not counted, so the same meeting never counts twice
  (`group_minutes`). Outside their membership, hand-entered group sessions still count (a group the office has
  not registered, or the time before the ALIS joined).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from training.schemes import SupervisionRule

# alis.no "Individuell veiledning": the yearly hours are spread over 10.5 months (holidays left out).
INDIVIDUAL_MONTHS_PER_YEAR = 10.5
WINDOW_DAYS = 365
# Slack before someone counts as behind: one month's supervision (see the module docstring).
SLACK_MONTHS = 1


@dataclass(frozen=True)
class Span:
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class SupervisionStatus:
    window_start: date
    window_end: date
    due_hours: float | None  # None: the scheme sets no hours for individual supervision (not judged)
    logged_hours: float
    months_without_sessions: int | None  # None when not asked for: a list counts it only for the rows it shows
    behind: bool | None  # None: not judged
    group_hours: float
    group_required: float | None  # None: the scheme sets no hours for group supervision (not judged)
    group_behind: bool | None  # None: not judged

    @property
    def shortfall_hours(self) -> float | None:
        return None if self.due_hours is None else max(0.0, self.due_hours - self.logged_hours)

    @property
    def judged(self) -> bool:
        """Whether anything at all is judged (the old scheme judges no supervision hours)."""
        return self.behind is not None or self.group_behind is not None


def window(*, start: date, on: date) -> Span:
    """The last 12 months up to `on`, or since the start of the training if that is later."""
    return Span(max(start, on - timedelta(days=WINDOW_DAYS - 1)), on)


def _overlap_days(a: Span, b: Span) -> int:
    return max(0, (min(a.end, b.end) - max(a.start, b.start)).days + 1)


def leave_days(span: Span, leave: Iterable[Span]) -> int:
    """Days of `span` on leave; overlapping leave periods count once."""
    # Counted from the periods' ends in date order, not day by day: it runs for every ALIS in a list.
    days, counted_to = 0, None
    for first, last in sorted((max(span.start, p.start), min(span.end, p.end)) for p in leave):
        if counted_to is not None and first <= counted_to:
            first = counted_to + timedelta(days=1)
        if first <= last:
            days += (last - first).days + 1
            counted_to = last
    return days


def counted_months(span: Span, leave: Iterable[Span]) -> list[tuple[int, int]]:
    """The whole calendar months in the span that are not mostly leave: those that should have sessions.

    The month still running is not counted (its sessions may be later this month).
    """
    leave = list(leave)
    months = []
    year, month = span.start.year, span.start.month
    while (year, month) < (span.end.year, span.end.month):
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        whole = Span(first, last)
        if first >= span.start and leave_days(whole, leave) * 2 < _overlap_days(whole, whole):
            months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def months_without_sessions(span: Span, leave: Iterable[Span], months_with_sessions: Iterable[tuple[int, int]]) -> int:
    """The counted months of the span (see counted_months) in which no session was held."""
    with_sessions = set(months_with_sessions)
    return sum(1 for m in counted_months(span, leave) if m not in with_sessions)


def individual_hours_due(*, span: Span, position_share: int, leave: Iterable[Span], hours_per_year: float) -> float:
    """The yearly hours (42 h) × position share, for the days of the span that are not leave."""
    days = _overlap_days(span, span) - leave_days(span, leave)
    return hours_per_year * position_share / 100 * days / WINDOW_DAYS


def group_minutes(
    *, sessions: Iterable[tuple[date, int]], memberships: Iterable[Span], attended: Iterable[tuple[date, int]]
) -> int:
    """An ALIS's minutes of group supervision: the registered groups' meetings they attended, and the group
    sessions entered by hand on days they were in no registered group (see the module docstring).

    `sessions` and `attended` are (date, minutes); `memberships` the spans of their group memberships.
    """
    spans = list(memberships)
    by_hand = sum(minutes for day, minutes in sessions if not any(s.start <= day <= s.end for s in spans))
    return by_hand + sum(minutes for _day, minutes in attended)


def supervision_status(
    *,
    start: date,
    on: date,
    expected_end: date,
    position_share: int,
    rule: SupervisionRule,
    leave: Iterable[Span],
    individual_minutes_in_window: int,
    months_with_sessions: Iterable[tuple[int, int]] | None,
    group_minutes: int,
) -> SupervisionStatus:
    """Whether one ALIS gets the supervision the rules require, as of `on` (see the module docstring).

    Whether someone is behind does not depend on the months without sessions; pass None for
    `months_with_sessions` to leave that count out (None in the result).
    """
    leave = list(leave)
    span = window(start=start, on=on)
    logged = individual_minutes_in_window / 60
    due = behind = None
    if rule.individual_hours_per_year is not None:
        due = individual_hours_due(
            span=span, position_share=position_share, leave=leave, hours_per_year=rule.individual_hours_per_year
        )
        slack = rule.individual_hours_per_year / INDIVIDUAL_MONTHS_PER_YEAR * position_share / 100 * SLACK_MONTHS
        behind = due - logged > slack
    group_hours = group_minutes / 60
    group_behind = None
    if rule.group_hours is not None and rule.group_years:
        group_pace = rule.group_hours / rule.group_years
        years_left = max(0, (expected_end - on).days) / 365.25
        group_missing = max(0.0, rule.group_hours - group_hours)
        group_behind = group_missing > 0 and group_missing / group_pace > years_left
    return SupervisionStatus(
        window_start=span.start,
        window_end=span.end,
        due_hours=None if due is None else round(due, 1),
        logged_hours=round(logged, 1),
        months_without_sessions=None
        if months_with_sessions is None
        else months_without_sessions(span, leave, months_with_sessions),
        behind=behind,
        group_hours=round(group_hours, 1),
        group_required=rule.group_hours,
        group_behind=group_behind,
    )
