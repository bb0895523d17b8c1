"""The timing rules as pure functions: which reminder fires, when a task is due, retries, the weekly digest."""

from datetime import UTC, date, datetime, timedelta

import pytest

from followup import rules
from followup.rules import AFTER, BEFORE

START = date(2027, 3, 1)  # a hospital period starts


@pytest.mark.parametrize(
    ("today", "fired"),
    [
        (START - timedelta(days=85), None),  # before the first reminder
        (START - timedelta(days=84), 84),  # 12 weeks before
        (START - timedelta(days=60), 84),
        (START - timedelta(days=56), 56),  # 8 weeks
        (START - timedelta(days=28), 28),  # 4 weeks
        (START, 28),  # the day itself: the last reminder still stands
        (START + timedelta(days=1), None),  # after the event nothing fires
    ],
)
def test_it_fires_the_latest_reminder_that_has_come(today, fired) -> None:
    assert rules.fired_day(event=START, days=[84, 56, 28], direction=BEFORE, today=today) == fired


def test_a_rule_switched_on_late_fires_once_not_for_every_missed_day() -> None:
    assert rules.fired_day(event=START, days=[84, 56, 28], direction=BEFORE, today=START - timedelta(days=20)) == 28


def test_after_an_event_the_days_count_on_from_it() -> None:
    answered = date(2026, 11, 2)
    assert rules.fired_day(event=answered, days=[0], direction=AFTER, today=date(2026, 11, 1)) is None
    assert rules.fired_day(event=answered, days=[0], direction=AFTER, today=answered) == 0
    assert rules.fired_day(event=answered, days=[0, 30], direction=AFTER, today=date(2026, 12, 5)) == 30


def test_a_task_is_due_after_its_respite_but_never_after_the_event() -> None:
    # 12 weeks before: two weeks to act.
    today = START - timedelta(days=84)
    assert rules.due_date(event=START, day=84, direction=BEFORE, today=today, respite_days=14) == today + timedelta(14)
    # 4 days before, with 7 days to act: due on the day itself.
    late = START - timedelta(days=4)
    assert rules.due_date(event=START, day=28, direction=BEFORE, today=late, respite_days=7) == START
    # A rule firing late counts the respite from today, not from the day that passed.
    assert rules.due_date(
        event=START, day=84, direction=BEFORE, today=START - timedelta(days=60), respite_days=14
    ) == START - timedelta(days=46)


def test_after_an_event_the_respite_counts_from_the_day() -> None:
    answered = date(2026, 11, 2)
    assert rules.due_date(event=answered, day=0, direction=AFTER, today=answered, respite_days=7) == date(2026, 11, 9)


def test_the_key_names_the_rule_the_event_and_the_day() -> None:
    assert rules.rule_key("hospital", "period:7", START, 56) == "hospital:period:7:2027-03-01:56"
    assert rules.rule_subject("hospital", "period:7", START) == "hospital:period:7:2027-03-01"


@pytest.mark.parametrize(
    ("text", "days"),
    [("84, 56, 28", [84, 56, 28]), ("28;84 ,56", [84, 56, 28]), ("0", [0]), ("7, 7", [7])],
)
def test_it_reads_days(text, days) -> None:
    assert rules.parse_days(text) == days


@pytest.mark.parametrize("text", ["", "tolv", "-3", "1.5", "731", " , "])
def test_it_refuses_what_is_not_whole_days(text) -> None:
    with pytest.raises(ValueError):
        rules.parse_days(text)


def test_it_retries_with_growing_waits_then_gives_up() -> None:
    failed = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    waits = [rules.next_attempt(attempts=n, failed_at=failed) - failed for n in range(1, rules.MAX_ATTEMPTS)]
    assert waits == [timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4), timedelta(hours=12)]
    assert rules.next_attempt(attempts=rules.MAX_ATTEMPTS, failed_at=failed) is None


def test_the_digest_is_weekly_from_monday() -> None:
    monday, sunday = date(2026, 11, 30), date(2026, 11, 29)
    assert rules.digest_week(monday) == "2026-W49"
    assert rules.digest_week(sunday) == "2026-W48"
    assert rules.digest_due(monday) and rules.digest_due(date(2026, 12, 3))  # or later in the week if missed


def test_every_rule_has_its_defaults() -> None:
    assert set(rules.DEFAULTS) == set(rules.RuleKind)
    assert rules.DEFAULTS[rules.RuleKind.HOSPITAL].days == (84, 56, 28)
    assert rules.DEFAULTS[rules.RuleKind.GRANT_DEADLINE].days == (30, 14, 7)
