"""The campaign's rules: reminders, lateness and stale data (issue 3, part 5)."""

from datetime import UTC, date, datetime, timedelta

from survey import rules

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
DUE = {
    "sent_at": NOW - timedelta(days=8),
    "answered_at": None,
    "revoked_at": None,
    "expires_at": NOW + timedelta(days=30),
    "last_reminded_at": None,
    "reminders_sent": 0,
    "reminder_after_days": 7,
    "max_reminders": 2,
    "now": NOW,
}


def test_it_reminds_after_the_set_number_of_days():
    assert rules.reminder_due(**DUE)
    assert not rules.reminder_due(**{**DUE, "sent_at": NOW - timedelta(days=6)})


def test_it_counts_from_the_last_reminder():
    assert not rules.reminder_due(**{**DUE, "last_reminded_at": NOW - timedelta(days=2), "reminders_sent": 1})
    assert rules.reminder_due(**{**DUE, "last_reminded_at": NOW - timedelta(days=7), "reminders_sent": 1})


def test_it_stops_at_the_maximum_and_for_answered_revoked_expired_or_unsent():
    assert not rules.reminder_due(**{**DUE, "reminders_sent": 2})
    assert not rules.reminder_due(**{**DUE, "answered_at": NOW})
    assert not rules.reminder_due(**{**DUE, "revoked_at": NOW})
    assert not rules.reminder_due(**{**DUE, "expires_at": NOW})
    assert not rules.reminder_due(**{**DUE, "sent_at": None})


def test_it_calls_an_unanswered_invitation_overdue_after_the_deadline():
    assert rules.is_overdue(deadline=date(2026, 3, 9), answered_at=None, today=date(2026, 3, 10))
    assert not rules.is_overdue(deadline=date(2026, 3, 10), answered_at=None, today=date(2026, 3, 10))
    assert not rules.is_overdue(deadline=date(2026, 3, 9), answered_at=NOW, today=date(2026, 3, 10))


def test_it_calls_data_stale_when_never_or_not_confirmed_for_a_year():
    assert rules.is_stale(None, NOW)
    assert rules.is_stale(NOW - timedelta(days=366), NOW)
    assert not rules.is_stale(NOW - timedelta(days=300), NOW)
