"""The rules of the field, checked against numbers worked out by hand (see ../shared/reference/RULES.md)."""

from datetime import date, timedelta

import pytest

from training import rules
from training.rules import (
    COMMUNITY_MEDICINE_REQUIREMENTS,
    COMMUNITY_MEDICINE_WORK,
    GENERAL_PRACTICE_REQUIREMENTS,
    HOSPITAL,
    OPEN_PRACTICE,
    OTHER,
    OTHER_MUNICIPAL,
    Period,
)


def _period(kind: str, start: date, end: date, share: int = 100) -> Period:
    return Period(kind=kind, start=start, end=end, share=share)


def _by_kind(statuses: list[rules.RequirementStatus]) -> dict[str | None, rules.RequirementStatus]:
    return {status.requirement.kind: status for status in statuses}


# full_time_years


def test_it_counts_a_calendar_year_full_time_as_one_year() -> None:
    assert rules.full_time_years(_period(OPEN_PRACTICE, date(2023, 1, 1), date(2023, 12, 31))) == 1.0
    assert rules.full_time_years(_period(OPEN_PRACTICE, date(2024, 1, 1), date(2024, 12, 31))) == 1.0  # leap year


def test_it_counts_half_time_as_half() -> None:
    full = rules.full_time_years(_period(OPEN_PRACTICE, date(2021, 1, 1), date(2022, 12, 31), share=100))
    half = rules.full_time_years(_period(OPEN_PRACTICE, date(2021, 1, 1), date(2022, 12, 31), share=50))

    assert (full, half) == (2.0, 1.0)


def test_it_counts_whole_months_from_any_day() -> None:
    # 15 March 2023 to 14 September 2023 is six calendar months: half a year.
    assert rules.full_time_years(_period(HOSPITAL, date(2023, 3, 15), date(2023, 9, 14))) == 0.5
    # 80 % for three months (1 Feb – 30 Apr): 3 / 12 × 0.8 = 0.2 years.
    assert rules.full_time_years(_period(OTHER_MUNICIPAL, date(2023, 2, 1), date(2023, 4, 30), share=80)) == (
        pytest.approx(0.2)
    )


def test_it_counts_a_part_month_by_its_days() -> None:
    years = rules.full_time_years(_period(OTHER, date(2023, 1, 1), date(2023, 1, 15)))

    assert years == pytest.approx(15 / rules.DAYS_PER_MONTH / 12)


def test_it_counts_nothing_for_a_period_ending_before_it_starts() -> None:
    assert rules.full_time_years(_period(OTHER, date(2023, 5, 2), date(2023, 5, 1))) == 0


# counted_service against the requirements of allmennmedisin


def test_it_meets_all_requirements_with_a_textbook_course() -> None:
    periods = [
        _period(OPEN_PRACTICE, date(2019, 1, 1), date(2021, 12, 31)),  # 3 years
        _period(OTHER_MUNICIPAL, date(2022, 1, 1), date(2022, 12, 31)),  # 1 year
        _period(HOSPITAL, date(2023, 1, 1), date(2023, 12, 31)),  # 1 year
    ]

    statuses = _by_kind(rules.counted_service(periods, GENERAL_PRACTICE_REQUIREMENTS))

    assert {kind: s.counted_years for kind, s in statuses.items()} == {
        None: 5.0,
        OPEN_PRACTICE: 3.0,
        OTHER_MUNICIPAL: 1.0,
        HOSPITAL: 1.0,
    }
    assert all(s.met for s in statuses.values())


def test_it_caps_open_practice_at_four_and_a_half_years_in_the_total() -> None:
    periods = [
        _period(OPEN_PRACTICE, date(2018, 1, 1), date(2023, 12, 31)),  # 6 years, 4.5 count
        _period(HOSPITAL, date(2024, 1, 1), date(2024, 3, 31)),  # 3 months
    ]

    statuses = _by_kind(rules.counted_service(periods, GENERAL_PRACTICE_REQUIREMENTS))

    assert statuses[OPEN_PRACTICE].counted_years == 4.5
    assert statuses[None].counted_years == 4.75
    assert not statuses[None].met
    assert statuses[None].missing_years == pytest.approx(0.25)


def test_it_caps_other_municipal_work_at_two_and_a_half_years() -> None:
    periods = [
        _period(OTHER_MUNICIPAL, date(2018, 1, 1), date(2020, 12, 31)),  # 3 years, 2.5 count
        _period(OPEN_PRACTICE, date(2021, 1, 1), date(2022, 12, 31)),  # 2 years
    ]

    statuses = _by_kind(rules.counted_service(periods, GENERAL_PRACTICE_REQUIREMENTS))

    assert statuses[OTHER_MUNICIPAL].counted_years == 2.5
    assert statuses[None].counted_years == 4.5


def test_it_needs_two_years_of_open_practice() -> None:
    periods = [_period(OPEN_PRACTICE, date(2021, 1, 1), date(2022, 6, 30))]  # 1.5 years

    statuses = _by_kind(rules.counted_service(periods, GENERAL_PRACTICE_REQUIREMENTS))

    assert not statuses[OPEN_PRACTICE].met
    assert statuses[OPEN_PRACTICE].missing_years == 0.5


def test_it_counts_part_time_open_practice_pro_rata() -> None:
    periods = [_period(OPEN_PRACTICE, date(2019, 1, 1), date(2022, 12, 31), share=50)]  # 4 years at 50 %

    statuses = _by_kind(rules.counted_service(periods, GENERAL_PRACTICE_REQUIREMENTS))

    assert statuses[OPEN_PRACTICE].counted_years == 2.0
    assert statuses[OPEN_PRACTICE].met
    assert statuses[None].missing_years == 3.0


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 1, 1), date(2024, 6, 30)),  # 182 days, shorter than half of 365.25
        (date(2023, 1, 1), date(2023, 6, 30)),  # 181 days
        (date(2023, 9, 1), date(2024, 2, 29)),
        (date(2023, 7, 1), date(2023, 12, 31)),  # 184 days
    ],
)
def test_six_months_of_hospital_service_is_enough(start: date, end: date) -> None:
    statuses = _by_kind(rules.counted_service([_period(HOSPITAL, start, end)], GENERAL_PRACTICE_REQUIREMENTS))

    assert statuses[HOSPITAL].counted_years == 0.5
    assert statuses[HOSPITAL].met


def test_five_months_of_hospital_service_is_not_enough() -> None:
    periods = [_period(HOSPITAL, date(2024, 1, 1), date(2024, 5, 31))]

    statuses = _by_kind(rules.counted_service(periods, GENERAL_PRACTICE_REQUIREMENTS))

    assert not statuses[HOSPITAL].met
    assert statuses[HOSPITAL].missing_years == pytest.approx(1 / 12)


def test_six_months_of_half_time_hospital_service_is_not_enough() -> None:
    periods = [_period(HOSPITAL, date(2024, 1, 1), date(2024, 6, 30), share=50)]

    statuses = _by_kind(rules.counted_service(periods, GENERAL_PRACTICE_REQUIREMENTS))

    assert statuses[HOSPITAL].counted_years == 0.25
    assert not statuses[HOSPITAL].met


def test_it_reports_nothing_counted_without_periods() -> None:
    statuses = rules.counted_service([], GENERAL_PRACTICE_REQUIREMENTS)

    assert [s.counted_years for s in statuses] == [0.0, 0.0, 0.0, 0.0]
    assert [s.met for s in statuses] == [False, False, True, False]  # no minimum for other municipal work
    assert statuses[0].missing_years == 5.0


# community medicine (samfunnsmedisin)


def test_it_meets_community_medicine_with_four_years_of_community_work_and_one_clinical() -> None:
    periods = [
        _period(COMMUNITY_MEDICINE_WORK, date(2019, 1, 1), date(2022, 12, 31)),
        _period(HOSPITAL, date(2023, 1, 1), date(2023, 12, 31)),
    ]

    statuses = _by_kind(rules.counted_service(periods, COMMUNITY_MEDICINE_REQUIREMENTS))

    assert (statuses[None].counted_years, statuses[COMMUNITY_MEDICINE_WORK].counted_years) == (5.0, 4.0)
    assert statuses[None].met and statuses[COMMUNITY_MEDICINE_WORK].met


def test_it_needs_four_years_of_community_medicine_work() -> None:
    periods = [
        _period(COMMUNITY_MEDICINE_WORK, date(2019, 1, 1), date(2021, 12, 31)),  # 3 years
        _period(OPEN_PRACTICE, date(2022, 1, 1), date(2023, 12, 31)),  # 2 years
    ]

    statuses = _by_kind(rules.counted_service(periods, COMMUNITY_MEDICINE_REQUIREMENTS))

    assert statuses[None].met
    assert not statuses[COMMUNITY_MEDICINE_WORK].met
    assert statuses[COMMUNITY_MEDICINE_WORK].missing_years == 1.0
    assert set(statuses) == {None, COMMUNITY_MEDICINE_WORK}  # no open-practice cap in community medicine


# expected_end


def test_it_expects_five_years_at_full_time() -> None:
    assert rules.expected_end(start=date(2022, 8, 1), position_share=100) == date(2027, 7, 31)
    assert rules.expected_end(start=date(2023, 3, 1), position_share=100) == date(2028, 2, 29)


def test_it_expects_six_and_a_quarter_years_at_80_percent() -> None:
    # 5 years / 0.8 = 75 months.
    assert rules.expected_end(start=date(2023, 1, 1), position_share=80) == date(2029, 3, 31)


def test_it_expects_ten_years_at_half_time() -> None:
    assert rules.expected_end(start=date(2020, 1, 1), position_share=50) == date(2029, 12, 31)


def test_it_adds_leave_to_the_expected_end() -> None:
    without = rules.expected_end(start=date(2022, 8, 1), position_share=100)
    with_leave = rules.expected_end(start=date(2022, 8, 1), position_share=100, leave_days=92)

    assert with_leave == date(2027, 10, 31)
    assert with_leave - without == timedelta(days=92)


def test_it_adds_leave_at_part_time_too() -> None:
    assert rules.expected_end(start=date(2023, 1, 1), position_share=80, leave_days=30) == date(2029, 4, 30)


@pytest.mark.parametrize("share", [100, 80, 75, 70, 60, 50, 33])
@pytest.mark.parametrize("start", [date(2022, 8, 1), date(2023, 3, 1), date(2024, 1, 31), date(2019, 12, 15)])
def test_the_expected_end_is_the_first_day_with_five_years_counted(start: date, share: int) -> None:
    end = rules.expected_end(start=start, position_share=share)

    def total(last_day: date) -> rules.RequirementStatus:
        return rules.counted_service([_period(OTHER, start, last_day, share)], GENERAL_PRACTICE_REQUIREMENTS)[0]

    assert total(end).met
    assert not total(end - timedelta(days=1)).met


def test_it_treats_an_impossible_share_as_its_nearest_possible_value() -> None:
    start = date(2022, 8, 1)

    assert rules.expected_end(start=start, position_share=150) == rules.expected_end(start=start, position_share=100)
    assert rules.expected_end(start=start, position_share=0) == rules.expected_end(start=start, position_share=1)


# the old scheme


def test_the_old_scheme_is_allowed_only_before_1_march_2019() -> None:
    assert rules.is_old_scheme_allowed(date(2015, 6, 1))
    assert rules.is_old_scheme_allowed(date(2019, 2, 28))
    assert not rules.is_old_scheme_allowed(date(2019, 3, 1))
    assert not rules.is_old_scheme_allowed(date(2020, 1, 1))


def test_it_counts_the_days_to_the_old_scheme_deadline() -> None:
    assert rules.old_scheme_deadline_days(date(2026, 12, 1)) == 30
    assert rules.old_scheme_deadline_days(date(2026, 12, 31)) == 0
    assert rules.old_scheme_deadline_days(date(2027, 1, 2)) == -2


# half-years


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


def test_six_half_years_cover_three_years_without_gaps() -> None:
    halves = rules.half_years(date(2025, 8, 20), 6)

    assert len(halves) == 6
    assert halves[0][0] == date(2025, 7, 1) and halves[-1][1] == date(2028, 6, 30)
    assert all(halves[i][1] + timedelta(days=1) == halves[i + 1][0] for i in range(5))
