"""The course rules (issue 4: waiting list when full; completion = every gathering; the annual-report line)."""

from datetime import date

from courses import rules


def test_it_gives_a_place_while_there_is_one():
    assert rules.signup_status(confirmed=0, capacity=1) == rules.CONFIRMED
    assert rules.signup_status(confirmed=19, capacity=20) == rules.CONFIRMED


def test_it_puts_the_next_on_the_waiting_list_when_full():
    assert rules.signup_status(confirmed=20, capacity=20) == rules.WAITING
    assert rules.signup_status(confirmed=21, capacity=20) == rules.WAITING  # capacity lowered after sign-up


def test_it_counts_free_places_never_below_zero():
    assert rules.free_places(confirmed=18, capacity=20) == 2
    assert rules.free_places(confirmed=25, capacity=20) == 0


def test_it_moves_up_as_many_as_there_are_free_places_and_waiting():
    assert rules.places_to_fill(confirmed=19, capacity=20, waiting=3) == 1
    assert rules.places_to_fill(confirmed=15, capacity=20, waiting=3) == 3
    assert rules.places_to_fill(confirmed=20, capacity=20, waiting=3) == 0


def test_it_completes_only_with_every_gathering_attended():
    assert rules.is_completed(attended={1, 2}, gatherings=[1, 2])
    assert not rules.is_completed(attended={1}, gatherings=[1, 2])
    assert not rules.is_completed(attended=set(), gatherings=[1, 2])


def test_it_never_completes_a_course_without_gatherings():
    assert not rules.is_completed(attended=set(), gatherings=[])


def test_it_keeps_sign_up_open_to_the_deadline_and_not_once_begun():
    day = date(2026, 3, 1)
    assert rules.signup_open(today=day, deadline=day, first_day=date(2026, 4, 1))
    assert not rules.signup_open(today=day, deadline=date(2026, 2, 28), first_day=date(2026, 4, 1))
    assert rules.signup_open(today=day, deadline=None, first_day=None)
    assert not rules.signup_open(today=day, deadline=None, first_day=day)


def test_it_lets_participants_cancel_until_the_course_begins():
    assert rules.cancel_open(today=date(2026, 3, 1), first_day=date(2026, 3, 2))
    assert not rules.cancel_open(today=date(2026, 3, 2), first_day=date(2026, 3, 2))


def test_it_writes_day_spans_the_norwegian_way():
    assert rules.day_span(date(2026, 2, 2), date(2026, 2, 2)) == "02.02.2026"
    assert rules.day_span(date(2026, 2, 2), date(2026, 2, 3)) == "02.–03.02.2026"
    assert rules.day_span(date(2026, 1, 30), date(2026, 2, 2)) == "30.01.–02.02.2026"
    assert rules.day_span(date(2025, 12, 30), date(2026, 1, 2)) == "30.12.2025–02.01.2026"


def test_it_writes_the_dates_as_the_annual_report_does():
    assert rules.report_dates([date(2022, 3, 30), date(2022, 2, 2)]) == "02.02 og 30.03.22"
    assert rules.report_dates([date(2022, 2, 2)]) == "02.02.22"
    assert rules.report_dates([date(2021, 12, 1), date(2022, 1, 12)]) == "01.12.21 og 12.01.22"
    assert rules.report_dates([date(2022, 2, 2), date(2022, 3, 1), date(2022, 3, 30)]) == "02.02, 01.03 og 30.03.22"
    assert rules.report_dates([]) == ""


def test_it_writes_the_annual_report_line():
    line = rules.CourseStatistics(
        place="Bergen", starts=[date(2022, 2, 2), date(2022, 3, 30)], participants=22, specialists=14
    )
    assert line.line == "Bergen, 02.02 og 30.03.22: 22 deltakere, 14 spesialister"


def test_it_writes_one_participant_in_the_singular():
    line = rules.CourseStatistics(place="Digitalt", starts=[date(2022, 2, 2)], participants=1, specialists=1)
    assert line.line == "Digitalt, 02.02.22: 1 deltaker, 1 spesialist"
