"""The rules of the field, checked against timelines worked out by hand (see ../shared/reference/RULES.md).

Counting is in days, each day worth 1/28–1/31 of its month, so a calendar month is a month: 1 January – 30 June is
exactly half a year. The arithmetic behind each expected number is in the comment next to it.
"""

from datetime import date, timedelta
from fractions import Fraction

import pytest

from training import rules, schemes
from training.rules import Period
from training.schemes import (
    COMMUNITY_MEDICINE_NEW,
    COMMUNITY_MEDICINE_WORK,
    GENERAL_PRACTICE_NEW,
    GENERAL_PRACTICE_OLD,
    HOSPITAL,
    LEAVE,
    OPEN_PRACTICE,
    OTHER,
    OTHER_MUNICIPAL,
)

ON = date(2030, 1, 1)


def _p(kind: str, start: date, end: date | None, share: int = 100, *, planned: bool = False, key=None) -> Period:
    return Period(kind=kind, start=start, end=end, share=share, planned=planned, key=key, label=str(key or kind))


def _years(periods: list[Period], rule_set=GENERAL_PRACTICE_NEW, on: date = ON) -> dict[str, Fraction]:
    count = rules.count_service(periods, rule_set, on=on)
    return {line.requirement.key: line.counted_years for line in count.lines}


def _shown(periods: list[Period], rule_set=GENERAL_PRACTICE_NEW, on: date = ON) -> dict[str, int]:
    count = rules.count_service(periods, rule_set, on=on)
    return {line.requirement.key: line.shown_tenths for line in count.lines}


# Time in days, a calendar month at a time


def test_a_calendar_month_is_a_month_whatever_its_length() -> None:
    assert rules.span_ticks(date(2023, 2, 1), date(2023, 2, 28)) == rules.MONTH_TICKS
    assert rules.span_ticks(date(2024, 2, 1), date(2024, 2, 29)) == rules.MONTH_TICKS  # leap year
    assert rules.span_ticks(date(2023, 1, 1), date(2023, 1, 31)) == rules.MONTH_TICKS
    assert rules.span_ticks(date(2023, 1, 1), date(2023, 12, 31)) == rules.YEAR_TICKS


def test_six_calendar_months_of_hospital_are_half_a_year() -> None:
    # 1 January – 30 June 2023 is 181 days, 2024 has 182: both are six months, half a year.
    for year in (2023, 2024):
        counted = _years([_p(HOSPITAL, date(year, 1, 1), date(year, 6, 30))])
        assert counted["hospital"] == Fraction(1, 2)


def test_a_part_month_counts_by_its_days() -> None:
    # 15 March – 14 September 2023: 17/31 of March + April–August (5) + 14/30 of September
    # = 0.548 + 5 + 0.467 = 6.015 months: more than the six months asked for.
    counted = _years([_p(HOSPITAL, date(2023, 3, 15), date(2023, 9, 14))])
    assert counted["hospital"] == (Fraction(17, 31) + 5 + Fraction(14, 30)) / 12
    # 1 January – 31 May 2024 is five months: one month (1/12 year) short of the six.
    line = rules.count_service([_p(HOSPITAL, date(2024, 1, 1), date(2024, 5, 31))], GENERAL_PRACTICE_NEW, on=ON)
    assert line.line("hospital").met is False
    assert line.line("hospital").missing == rules.of_years(Fraction(1, 12))


def test_the_day_reached_is_the_last_day_needed() -> None:
    start = date(2022, 8, 1)
    assert rules.day_reaching(rules.ticks_before(start) + 60 * rules.MONTH_TICKS) == date(2027, 7, 31)
    assert rules.day_reaching(rules.ticks_before(start) + 1) == start


# Part time and leave (new scheme)


def test_part_time_and_leave() -> None:
    periods = [
        _p(OPEN_PRACTICE, date(2023, 1, 1), date(2023, 12, 31), 80),  # 12 months × 0.8 = 0.8 year
        _p(LEAVE, date(2024, 1, 1), date(2024, 6, 30)),  # leave: 0
        _p(OPEN_PRACTICE, date(2024, 7, 1), date(2025, 6, 30)),  # 1 year
        _p(HOSPITAL, date(2025, 7, 1), date(2025, 12, 31)),  # 0.5 year
    ]

    counted = _years(periods, on=date(2026, 6, 1))

    # open 0.8 + 1 = 1.8; total 1.8 + 0.5 = 2.3
    assert counted == {
        "total": Fraction(23, 10),
        "open_practice": Fraction(18, 10),
        "other_municipal": 0,
        "hospital": Fraction(1, 2),
    }
    count = rules.count_service(periods, GENERAL_PRACTICE_NEW, on=date(2026, 6, 1))
    assert count.line("open_practice").missing_tenths == 2  # 2.0 − 1.8
    assert count.line("total").missing_tenths == 27  # 5.0 − 2.3
    assert count.line("hospital").met is True


def test_leave_overlapping_service_takes_the_day() -> None:
    # Open practice all of 2023 at 100 %, and leave 1 March – 31 May inside it (registered on top):
    # the leave days count nothing, so 12 − 3 = 9 months = 0.75 year; the overlap is a data problem.
    periods = [
        _p(OPEN_PRACTICE, date(2023, 1, 1), date(2023, 12, 31), key="open"),
        _p(LEAVE, date(2023, 3, 1), date(2023, 5, 31), key="leave"),
    ]

    count = rules.count_service(periods, GENERAL_PRACTICE_NEW, on=ON)

    assert count.line("open_practice").counted_years == Fraction(3, 4)
    (overlap,) = count.overlaps
    assert (overlap.start, overlap.end, overlap.total_share) == (date(2023, 3, 1), date(2023, 5, 31), 200)


def test_half_leave_halves_the_day() -> None:
    # 100 % open practice in 2023 with 50 % leave for the first half: 6 × 0.5 + 6 × 1 = 9 months = 0.75 year.
    periods = [
        _p(OPEN_PRACTICE, date(2023, 1, 1), date(2023, 6, 30), 50),
        _p(LEAVE, date(2023, 1, 1), date(2023, 6, 30), 50),
        _p(OPEN_PRACTICE, date(2023, 7, 1), date(2023, 12, 31)),
    ]

    count = rules.count_service(periods, GENERAL_PRACTICE_NEW, on=ON)

    assert count.line("open_practice").counted_years == Fraction(3, 4)
    assert count.overlaps == ()  # 50 % + 50 % is a full day, not more


def test_only_service_done_up_to_the_day_counts() -> None:
    periods = [
        _p(OPEN_PRACTICE, date(2025, 1, 1), None),  # still going on: counts up to 30 June 2026 = 1.5 years
        _p(HOSPITAL, date(2026, 7, 1), date(2026, 12, 31), planned=True),  # planned: nothing yet
    ]

    assert _years(periods, on=date(2026, 6, 30)) == {
        "total": Fraction(3, 2),
        "open_practice": Fraction(3, 2),
        "other_municipal": 0,
        "hospital": 0,
    }


# Caps per kind, and kinds that do not count


def test_the_caps_apply_per_kind() -> None:
    periods = [
        _p(OPEN_PRACTICE, date(2018, 1, 1), date(2023, 12, 31)),  # 6 years, at most 4.5 count
        _p(OTHER_MUNICIPAL, date(2024, 1, 1), date(2026, 12, 31)),  # 3 years, at most 2.5 count
    ]

    count = rules.count_service(periods, GENERAL_PRACTICE_NEW, on=ON)

    # total 4.5 + 2.5 = 7.0: the caps are per kind, the total is their sum; hospital still missing.
    assert _years(periods) == {
        "total": 7,
        "open_practice": Fraction(9, 2),
        "other_municipal": Fraction(5, 2),
        "hospital": 0,
    }
    assert count.line("total").met is True
    assert count.line("hospital").met is False
    over = {(n.kind, n.reason): rules.years(n.amount) for n in count.not_counted}
    assert over == {(OPEN_PRACTICE, "cap"): Fraction(3, 2), (OTHER_MUNICIPAL, "cap"): Fraction(1, 2)}


def test_other_service_and_community_medicine_do_not_count_towards_allmennmedisin() -> None:
    periods = [
        _p(OTHER, date(2020, 1, 1), date(2020, 12, 31)),  # 1 year of «annen tjeneste»
        _p(COMMUNITY_MEDICINE_WORK, date(2021, 1, 1), date(2022, 12, 31)),  # 2 years of community medicine
        _p(OPEN_PRACTICE, date(2023, 1, 1), date(2023, 12, 31)),  # 1 year
    ]

    count = rules.count_service(periods, GENERAL_PRACTICE_NEW, on=ON)

    assert count.line("total").counted_years == 1
    assert {n.kind: rules.years(n.amount) for n in count.not_counted} == {OTHER: 1, COMMUNITY_MEDICINE_WORK: 2}
    # In community medicine the same timeline counts 2 + 1 = 3 years; «annen tjeneste» still does not.
    assert _years(periods, COMMUNITY_MEDICINE_NEW) == {"total": 3, "community_medicine": 2, "clinical": 1}


def test_community_medicine_needs_four_years_of_community_work() -> None:
    periods = [
        _p(COMMUNITY_MEDICINE_WORK, date(2019, 1, 1), date(2022, 12, 31)),  # 4 years
        _p(HOSPITAL, date(2023, 1, 1), date(2023, 12, 31)),  # 1 year
    ]

    count = rules.count_service(periods, COMMUNITY_MEDICINE_NEW, on=ON)

    assert [(line.requirement.key, line.counted_years, line.met) for line in count.lines] == [
        ("total", 5, True),
        ("community_medicine", 4, True),
        ("clinical", 1, None),  # «ca. 1 år»: guidance, not judged
    ]


# Overlapping periods: nothing counts twice


def test_an_overlap_over_100_percent_counts_each_day_at_most_once() -> None:
    # Open practice 1 Aug 2023 – 31 Jul 2024 at 100 %, other GP work 1 Feb – 31 Jul 2024 at 50 % (legacy data):
    # the day is full with the period that started first, so open practice 12 months = 1.0, other work 0.
    periods = [
        _p(OPEN_PRACTICE, date(2023, 8, 1), date(2024, 7, 31), key="open"),
        _p(OTHER_MUNICIPAL, date(2024, 2, 1), date(2024, 7, 31), 50, key="other"),
    ]

    count = rules.count_service(periods, GENERAL_PRACTICE_NEW, on=ON)

    assert (count.line("total").counted_years, count.line("other_municipal").counted_years) == (1, 0)
    (overlap,) = count.overlaps
    assert (overlap.start, overlap.end, overlap.total_share) == (date(2024, 2, 1), date(2024, 7, 31), 150)
    assert [p.key for p in overlap.periods] == ["open", "other"]


def test_an_overlap_gets_what_is_left_of_the_day() -> None:
    # 60 % open practice and 50 % other GP work for all of 2024: 60 % + the 40 % left = one full year,
    # 0.6 of open practice and 0.4 of other work (not 0.5).
    periods = [
        _p(OPEN_PRACTICE, date(2024, 1, 1), date(2024, 12, 31), 60),
        _p(OTHER_MUNICIPAL, date(2024, 1, 1), date(2024, 12, 31), 50),
    ]

    assert _years(periods) == {
        "total": 1,
        "open_practice": Fraction(3, 5),
        "other_municipal": Fraction(2, 5),
        "hospital": 0,
    }


def test_the_same_service_entered_twice_counts_once() -> None:
    periods = [_p(OPEN_PRACTICE, date(2024, 1, 1), date(2024, 12, 31), key=n) for n in (1, 2)]

    assert _years(periods)["total"] == 1


def test_overlaps_within_100_percent_are_fine() -> None:
    periods = [
        _p(OPEN_PRACTICE, date(2024, 1, 1), date(2024, 12, 31), 50),
        _p(OTHER_MUNICIPAL, date(2024, 7, 1), date(2025, 6, 30), 50),
    ]

    assert rules.overlaps(periods, ON) == []
    # 0.5 + 0.5 = 1 year, in 18 months
    assert _years(periods)["total"] == 1


def test_the_first_overlap_names_the_other_period_and_the_day() -> None:
    existing = [
        _p(OPEN_PRACTICE, date(2023, 8, 1), date(2024, 7, 31), key="open"),
        _p(HOSPITAL, date(2025, 1, 1), date(2025, 6, 30), key="hospital"),
    ]
    candidate = _p(OTHER_MUNICIPAL, date(2024, 2, 1), date(2024, 3, 31), 50, key="new")

    overlap = rules.first_overlap(candidate, existing, on=ON)

    assert (overlap.start, overlap.total_share) == (date(2024, 2, 1), 150)
    assert [p.key for p in overlap.periods if p is not candidate] == ["open"]
    assert rules.first_overlap(_p(OTHER_MUNICIPAL, date(2024, 8, 1), date(2024, 12, 31)), existing, on=ON) is None


def test_a_period_without_an_end_runs_until_today_when_checking_overlaps() -> None:
    ongoing = _p(OPEN_PRACTICE, date(2024, 8, 1), None)
    planned_hospital = _p(HOSPITAL, date(2027, 1, 1), date(2027, 12, 31), planned=True)
    hospital_now = _p(HOSPITAL, date(2026, 1, 1), date(2026, 12, 31))

    assert rules.first_overlap(planned_hospital, [ongoing], on=date(2026, 11, 29)) is None
    found = rules.first_overlap(hospital_now, [ongoing], on=date(2026, 11, 29))
    assert (found.start, found.end, found.total_share) == (date(2026, 1, 1), date(2026, 11, 29), 200)


# Old scheme and new scheme on the same timeline


OLD_TIMELINE = [
    _p(OPEN_PRACTICE, date(2015, 1, 1), date(2016, 12, 31)),  # 2 years
    _p(OTHER_MUNICIPAL, date(2017, 1, 1), date(2019, 6, 30)),  # 2.5 years
    _p(HOSPITAL, date(2019, 7, 1), date(2019, 12, 31)),  # 0.5 year
    _p(OTHER, date(2020, 1, 1), date(2020, 12, 31)),  # 1 year, counts nowhere
]


def test_the_new_scheme_is_met_by_the_timeline() -> None:
    count = rules.count_service(OLD_TIMELINE, GENERAL_PRACTICE_NEW, on=ON)

    # total 2 + 2.5 + 0.5 = 5: every line met (institution service needs only six months)
    assert [(line.requirement.key, line.shown_tenths, line.met) for line in count.lines] == [
        ("total", 50, True),
        ("open_practice", 20, True),
        ("other_municipal", 25, None),
        ("hospital", 5, True),
    ]


def test_the_old_scheme_asks_for_a_whole_hospital_year() -> None:
    count = rules.count_service(OLD_TIMELINE, GENERAL_PRACTICE_OLD, on=ON)

    # general practice 2 + 2.5 = 4.5 ≥ 4, open practice 2 ≥ 2, but hospital 0.5 < 1: half a year missing
    assert [(line.requirement.key, line.shown_tenths, line.met) for line in count.lines] == [
        ("total", 50, True),
        ("general_practice", 45, True),
        ("open_practice", 20, True),
        ("hospital", 5, False),
    ]
    assert count.line("hospital").missing_tenths == 5


def test_the_old_scheme_has_no_cap_on_other_general_practice() -> None:
    # 3 years of other GP work: 2.5 count in the new scheme, all 3 towards the old scheme's four years.
    periods = [_p(OTHER_MUNICIPAL, date(2015, 1, 1), date(2017, 12, 31))]

    assert _years(periods, GENERAL_PRACTICE_NEW)["other_municipal"] == Fraction(5, 2)
    assert _years(periods, GENERAL_PRACTICE_OLD)["general_practice"] == 3


def test_the_old_scheme_counts_part_time_only_from_half_time() -> None:
    # Helsedirektoratet: «Deltidspraksis godkjennes ned til halv tid». 4 years at 40 % = 1.6 years in the
    # new scheme, nothing in the old; 40 % + 20 % at the same time is 60 % general practice, which counts.
    part_time = [_p(OPEN_PRACTICE, date(2015, 1, 1), date(2018, 12, 31), 40)]
    combined = [
        _p(OPEN_PRACTICE, date(2015, 1, 1), date(2015, 12, 31), 40),
        _p(OTHER_MUNICIPAL, date(2015, 1, 1), date(2015, 12, 31), 20),
    ]

    assert _years(part_time, GENERAL_PRACTICE_NEW)["open_practice"] == Fraction(8, 5)
    old = rules.count_service(part_time, GENERAL_PRACTICE_OLD, on=ON)
    assert old.line("general_practice").counted == 0
    assert [(n.kind, n.reason, rules.years(n.amount)) for n in old.not_counted] == [
        (OPEN_PRACTICE, "part_time", Fraction(8, 5))
    ]
    # 1 year × (0.4 + 0.2) = 0.6
    assert _years(combined, GENERAL_PRACTICE_OLD)["general_practice"] == Fraction(3, 5)


def test_the_old_scheme_of_community_medicine_is_not_judged() -> None:
    count = rules.count_service(OLD_TIMELINE, schemes.COMMUNITY_MEDICINE_OLD, on=ON)

    assert count.lines == ()
    assert schemes.COMMUNITY_MEDICINE_OLD.known is False


# Shown parts add up (largest remainder)


def test_the_parts_shown_add_up_to_the_total_shown() -> None:
    # open practice 1.26 and other work 3.64 years: rounded one by one 1.3 + 3.6 = 4.9, and the total 4.90 is 4.9.
    assert rules.largest_remainder([rules.of_years(Fraction(126, 100)), rules.of_years(Fraction(364, 100))]) == [
        13,
        36,
    ]
    # 1.25 + 3.75 = 5.00: rounding each half up would show 1.3 + 3.8 = 5.1; the largest remainders (equal here,
    # the first wins) get the one tenth missing: 1.3 + 3.7 = 5.0.
    assert rules.largest_remainder([rules.of_years(Fraction(5, 4)), rules.of_years(Fraction(15, 4))]) == [13, 37]
    # Three thirds of a year each (1/3 + 1/3 + 1/3 = 1.0): 0.4 + 0.3 + 0.3.
    third = rules.of_years(Fraction(1, 3))
    assert rules.largest_remainder([third, third, third]) == [4, 3, 3]


def test_the_lines_on_the_training_page_add_up() -> None:
    # All of 2023 at 35 % open practice, 35 % other GP work and 30 % hospital: 0.35 + 0.35 + 0.30 = 1.0 year.
    # Rounded one by one the parts would read 0.4 + 0.4 + 0.3 = 1.1; shown by largest remainder they read
    # 0.4 + 0.3 + 0.3 = 1.0, the total shown.
    periods = [
        _p(OPEN_PRACTICE, date(2023, 1, 1), date(2023, 12, 31), 35),
        _p(OTHER_MUNICIPAL, date(2023, 1, 1), date(2023, 12, 31), 35),
        _p(HOSPITAL, date(2023, 1, 1), date(2023, 12, 31), 30),
    ]

    shown = _shown(periods)

    assert shown == {"total": 10, "open_practice": 4, "other_municipal": 3, "hospital": 3}


# The expected end


def test_it_expects_five_years_at_full_time() -> None:
    assert rules.expected_end(start=date(2022, 8, 1), position_share=100) == date(2027, 7, 31)
    assert rules.expected_end(start=date(2023, 3, 1), position_share=100) == date(2028, 2, 29)


def test_it_expects_six_and_a_quarter_years_at_80_percent() -> None:
    # 5 years / 0.8 = 75 months from 1 January 2023: 31 March 2029.
    assert rules.expected_end(start=date(2023, 1, 1), position_share=80) == date(2029, 3, 31)


def test_it_expects_ten_years_at_half_time() -> None:
    assert rules.expected_end(start=date(2020, 1, 1), position_share=50) == date(2029, 12, 31)


def test_leave_moves_the_expected_end() -> None:
    start = date(2022, 8, 1)
    three_months = [_p(LEAVE, date(2024, 1, 1), date(2024, 3, 31))]
    half = [_p(LEAVE, date(2024, 1, 1), date(2024, 3, 31), 50)]

    # three months on leave: 31 July 2027 + 3 months = 31 October 2027
    assert rules.expected_end(start=start, position_share=100, leave=three_months) == date(2027, 10, 31)
    # three months at half leave lose 1.5 months: 31 July + August + 15/30 of September = 15 September 2027
    assert rules.expected_end(start=start, position_share=100, leave=half) == date(2027, 9, 15)
    # at 80 % a full leave month loses 0.8 month of service, which takes one month to make up again
    assert rules.expected_end(
        start=date(2023, 1, 1), position_share=80, leave=[_p(LEAVE, date(2024, 1, 1), date(2024, 1, 31))]
    ) == date(2029, 4, 30)


def test_leave_before_the_start_or_without_an_end_does_not_move_it() -> None:
    leave = [_p(LEAVE, date(2021, 1, 1), date(2021, 12, 31)), _p(LEAVE, date(2024, 1, 1), None)]

    assert rules.expected_end(start=date(2022, 8, 1), position_share=100, leave=leave) == date(2027, 7, 31)


def test_service_in_an_earlier_training_brings_it_forward() -> None:
    # 2 years served elsewhere: 3 years from 1 January 2021 at full time = 31 December 2023.
    served = rules.of_years(2)

    assert rules.expected_end(start=date(2021, 1, 1), position_share=100, served_before=served) == date(2023, 12, 31)
    assert rules.expected_end(start=date(2021, 1, 1), position_share=100, served_before=rules.of_years(6)) == date(
        2021, 1, 1
    )


@pytest.mark.parametrize("share", [100, 80, 75, 70, 60, 50, 33])
@pytest.mark.parametrize("start", [date(2022, 8, 1), date(2023, 3, 1), date(2024, 1, 31), date(2019, 12, 15)])
def test_the_expected_end_is_the_first_day_with_five_years_counted(start: date, share: int) -> None:
    end = rules.expected_end(start=start, position_share=share)

    def met(last_day: date) -> bool:
        periods = [_p(COMMUNITY_MEDICINE_WORK, start, last_day, share)]
        return rules.count_service(periods, COMMUNITY_MEDICINE_NEW, on=last_day).line("total").met

    assert met(end)
    assert not met(end - timedelta(days=1))


def test_it_treats_an_impossible_share_as_its_nearest_possible_value() -> None:
    start = date(2022, 8, 1)

    assert rules.expected_end(start=start, position_share=150) == rules.expected_end(start=start, position_share=100)
    assert rules.expected_end(start=start, position_share=0) == rules.expected_end(start=start, position_share=1)


# Which rules apply


def test_the_old_scheme_is_allowed_only_before_1_march_2019() -> None:
    assert rules.is_old_scheme_allowed(date(2015, 6, 1))
    assert rules.is_old_scheme_allowed(date(2019, 2, 28))
    assert not rules.is_old_scheme_allowed(date(2019, 3, 1))
    assert not rules.is_old_scheme_allowed(date(2020, 1, 1))


def test_a_doctor_who_moved_keeps_the_date_they_first_started() -> None:
    assert rules.first_start(date(2018, 5, 1), date(2021, 3, 1)) == date(2018, 5, 1)
    assert rules.first_start(None, date(2021, 3, 1)) == date(2021, 3, 1)
    assert rules.is_old_scheme_allowed(rules.first_start(date(2018, 5, 1), date(2021, 3, 1)))


@pytest.mark.parametrize(
    ("specialty", "scheme", "outcome", "on", "expected"),
    [
        ("general_practice", "new", None, date(2026, 11, 29), "general_practice_new"),
        ("general_practice", "old", None, date(2026, 11, 29), "general_practice_old"),
        ("general_practice", "old", None, date(2026, 12, 31), "general_practice_old"),
        ("general_practice", "old", None, date(2027, 1, 1), "general_practice_new"),  # did not apply in time
        ("general_practice", "old", "applied", date(2027, 1, 1), "general_practice_old"),
        ("general_practice", "old", "approved", date(2027, 6, 1), "general_practice_old"),
        ("general_practice", "old", "continues_new", date(2026, 11, 29), "general_practice_new"),
        ("general_practice", "old", "left", date(2027, 1, 1), "general_practice_old"),
        ("community_medicine", "new", None, date(2026, 11, 29), "community_medicine_new"),
        ("community_medicine", "old", None, date(2026, 11, 29), "community_medicine_old"),
        ("community_medicine", "old", None, date(2027, 1, 1), "community_medicine_new"),
    ],
)
def test_it_judges_each_training_by_the_rules_that_apply(specialty, scheme, outcome, on, expected) -> None:
    choice = rules.rules_for(specialty=specialty, scheme=scheme, outcome=outcome, on=on)

    assert choice.rule_set.key == expected
    assert bool(choice.why) == (scheme == "old" and expected.endswith("_new"))


def test_every_rule_has_a_source() -> None:
    for rule_set in schemes.RULE_SETS.values():
        assert rule_set.sources
        for requirement in rule_set.service:
            assert requirement.source.citation
        for other in rule_set.other:
            assert other.source.url.startswith("https://")
        assert rule_set.supervision.group_source.citation


def test_it_counts_the_days_to_the_old_scheme_deadline() -> None:
    assert rules.old_scheme_deadline_days(date(2026, 12, 1)) == 30
    assert rules.old_scheme_deadline_days(date(2026, 12, 31)) == 0
    assert rules.old_scheme_deadline_days(date(2027, 1, 2)) == -2


# Risks before the deadline


HALF = Fraction(1, 2)


def _facts(**changes) -> rules.DeadlineFacts:
    values = {
        "expected_end": date(2026, 6, 30),
        "last_service_day": date(2026, 6, 30),
        "hospital_counted": rules.of_years(1),
        "hospital_planned_in_time": 0,
        "hospital_required": rules.of_years(1),
        "shifts": 40,
        "shifts_required": 40,
    }
    return rules.DeadlineFacts(**(values | changes))


@pytest.mark.parametrize(
    ("changes", "risks"),
    [
        ({}, []),
        ({"expected_end": date(2027, 1, 1)}, ["late_end"]),
        ({"last_service_day": date(2027, 3, 31)}, ["service_after"]),
        ({"hospital_counted": rules.of_years(Fraction(1, 2))}, ["hospital"]),
        (
            {"hospital_counted": rules.of_years(Fraction(1, 2)), "hospital_planned_in_time": rules.of_years(HALF)},
            [],
        ),
        ({"shifts": 39}, ["shifts"]),
        ({"shifts": None}, ["shifts_unknown"]),
        ({"shifts_required": None, "shifts": None, "hospital_required": None}, []),
    ],
)
def test_it_flags_the_risks_before_the_deadline(changes: dict, risks: list[str]) -> None:
    assert [risk.key for risk in rules.deadline_risks(_facts(**changes))] == risks


def test_planned_hospital_service_counts_for_the_deadline_only_until_it() -> None:
    # Planned 1 July 2026 – 30 June 2027, seen on 29 November 2026: what is still to come before the deadline is
    # 30 November (1/30 of November) and December, 1 1/30 months.
    planned = [_p(HOSPITAL, date(2026, 7, 1), date(2027, 6, 30), planned=True)]

    amount = rules.planned_before(planned, HOSPITAL, after=date(2026, 11, 29), until=date(2026, 12, 31))

    assert rules.years(amount) == (Fraction(1, 30) + 1) / 12


# Half-years


def test_it_lists_half_years_across_a_year_boundary() -> None:
    halves = rules.half_years(date(2025, 11, 15), 3)

    assert halves == [
        (date(2025, 7, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 12, 31)),
    ]
    assert [rules.half_year_label(start) for start, _end in halves] == [
        "2. halvår 2025",
        "1. halvår 2026",
        "2. halvår 2026",
    ]


def test_it_starts_with_the_half_year_that_holds_the_day() -> None:
    assert rules.half_years(date(2026, 6, 30), 1) == [(date(2026, 1, 1), date(2026, 6, 30))]
    assert rules.half_years(date(2026, 7, 1), 1) == [(date(2026, 7, 1), date(2026, 12, 31))]
    assert rules.half_year_start(date(2026, 1, 1)) == date(2026, 1, 1)
    assert rules.half_years(date(2026, 3, 3), 0) == []
