"""The supervision rule: alis.no "Individuell veiledning" (42 h a year, pro rata) and group supervision, each
scheme judged by its own rules (training.schemes)."""

import dataclasses
from datetime import date

import pytest

from supervision import rules
from supervision.rules import Span
from training import rules as training_rules
from training.schemes import COMMUNITY_MEDICINE_NEW, GENERAL_PRACTICE_NEW, GENERAL_PRACTICE_OLD

ON = date(2026, 6, 30)


def status(**overrides) -> rules.SupervisionStatus:
    values = {
        "start": date(2024, 1, 1),
        "on": ON,
        "expected_end": date(2029, 1, 1),
        "position_share": 100,
        "rule": GENERAL_PRACTICE_NEW.supervision,
        "leave": [],
        "individual_minutes_in_window": 42 * 60,
        "months_with_sessions": [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 6)],
        "group_minutes": 0,
    }
    return rules.supervision_status(**{**values, **overrides})


def test_it_asks_42_hours_a_year_full_time():
    result = status()
    assert result.due_hours == 42.0
    assert result.window_start == date(2025, 7, 1)
    assert not result.behind
    assert result.months_without_sessions == 0


def test_it_marks_full_time_with_too_few_hours_behind():
    # 42 due, 30 logged: short by 12 h, more than one month's 4 h.
    assert status(individual_minutes_in_window=30 * 60).behind


def test_it_allows_one_month_of_slack():
    # 38.5 h logged: 3.5 h short, less than one month's 4 h — sessions may just be booked for next week.
    assert not status(individual_minutes_in_window=int(38.5 * 60)).behind


def test_it_scales_with_part_time():
    result = status(position_share=50, individual_minutes_in_window=21 * 60)
    assert result.due_hours == 21.0
    assert not result.behind
    # At 50 % the slack is 2 h: 18 h logged is 3 h short.
    assert status(position_share=50, individual_minutes_in_window=18 * 60).behind


def test_it_leaves_leave_out():
    # Six months' leave (1 Jan – 30 Jun 2026, 181 days) out of the year: due 42 × 184/365.
    leave = [Span(date(2026, 1, 1), date(2026, 6, 30))]
    result = status(
        leave=leave, individual_minutes_in_window=21 * 60, months_with_sessions=[(2025, m) for m in range(7, 13)]
    )
    assert result.due_hours == pytest.approx(42 * 184 / 365, abs=0.05)
    assert not result.behind
    assert result.months_without_sessions == 0  # the leave months are not expected to have sessions


def test_it_counts_leave_that_overlaps_once():
    span = Span(date(2026, 1, 1), date(2026, 1, 31))
    assert (
        rules.leave_days(span, [Span(date(2026, 1, 1), date(2026, 1, 20)), Span(date(2026, 1, 10), date(2026, 2, 5))])
        == 31
    )


def test_it_counts_months_without_sessions():
    # Sessions only in the autumn 2025: 5 whole months in 2026 without.
    result = status(months_with_sessions=[(2025, m) for m in range(7, 13)], individual_minutes_in_window=20 * 60)
    assert result.months_without_sessions == 5
    assert result.behind


def test_it_measures_a_young_training_from_its_start():
    # Started 1 April 2026: 91 days, due 42 × 91/365 ≈ 10.5 h; April and May should have had sessions.
    result = status(start=date(2026, 4, 1), individual_minutes_in_window=0, months_with_sessions=[])
    assert result.window_start == date(2026, 4, 1)
    assert result.due_hours == pytest.approx(10.5, abs=0.05)
    assert result.months_without_sessions == 2
    assert result.behind


def test_it_forgets_what_happened_more_than_a_year_ago():
    # The window is the last 12 months: what was logged before is not passed in and does not help.
    assert status(start=date(2020, 1, 1), individual_minutes_in_window=0).behind


def test_it_tracks_group_supervision_against_the_time_left():
    # 60 h of 120 done, 60 h left at 60 h a year = 1 year: fine with 2.5 years left, behind with half a year.
    assert not status(group_minutes=60 * 60).group_behind
    assert status(group_minutes=60 * 60, expected_end=date(2027, 1, 1)).group_behind
    done = status(group_minutes=120 * 60, expected_end=date(2026, 7, 1))
    assert (done.group_hours, done.group_required, done.group_behind) == (120.0, 120.0, False)


def test_it_uses_90_group_hours_in_community_medicine():
    # 45 of 90 h, 45 h left at 30 h a year = 1.5 years: fine with 2.5 years left.
    result = status(rule=COMMUNITY_MEDICINE_NEW.supervision, group_minutes=45 * 60)
    assert result.group_required == 90.0
    assert result.group_behind is False


def test_it_does_not_judge_individual_supervision_in_community_medicine():
    # samlis.no: individual supervision «i hele utdanningsløpet», no hours given: not judged, hours still shown.
    result = status(rule=COMMUNITY_MEDICINE_NEW.supervision, individual_minutes_in_window=0)
    assert (result.due_hours, result.behind, result.shortfall_hours) == (None, None, None)
    assert result.logged_hours == 0.0


def test_it_does_not_judge_the_old_scheme_by_the_new_schemes_hours():
    # alis.no «Gammel spesialistutdanning»: two years in a supervision group, no hours, and no individual supervision.
    # An old-scheme ALIS with no sessions at all is not "behind" on rules that do not apply to them.
    result = status(rule=GENERAL_PRACTICE_OLD.supervision, individual_minutes_in_window=0, group_minutes=0)
    assert (result.behind, result.group_behind, result.group_required, result.judged) == (None, None, None, False)
    assert result.months_without_sessions == 0  # still counted and shown


def test_an_old_scheme_alis_is_judged_by_the_new_rules_after_the_deadline_without_an_application():
    # After 31.12.2026 an old-scheme ALIS who did not apply must meet the new scheme's requirements.
    before = training_rules.rules_for(specialty="general_practice", scheme="old", outcome=None, on=date(2026, 12, 31))
    after = training_rules.rules_for(specialty="general_practice", scheme="old", outcome=None, on=date(2027, 1, 1))
    assert status(rule=before.rule_set.supervision, individual_minutes_in_window=0).behind is None
    assert status(rule=after.rule_set.supervision, individual_minutes_in_window=0).behind is True


def test_it_leaves_out_the_months_without_sessions_when_not_asked_and_judges_the_same():
    # A list counts the months only for the rows it shows; whether someone is behind must not change.
    counted = status(months_with_sessions=[(2025, m) for m in range(7, 13)], individual_minutes_in_window=20 * 60)
    uncounted = status(months_with_sessions=None, individual_minutes_in_window=20 * 60)
    assert uncounted.months_without_sessions is None
    assert uncounted == dataclasses.replace(counted, months_without_sessions=None)
    leave = [Span(date(2026, 1, 1), date(2026, 6, 30))]
    assert rules.months_without_sessions(rules.window(start=date(2024, 1, 1), on=ON), leave, []) == 6
