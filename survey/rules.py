"""Rules of the mapping campaign: when a reminder is due, when an answer is late, when data is stale.

Pure functions on plain values, so that the command, the task and the pages agree.
"""

from datetime import date, datetime, timedelta

# The offices map their municipalities once a year (the annual report to Helsedirektoratet counts
# ALIS per municipality each year, issue 3): data not confirmed for more than a year is stale.
STALE_AFTER = timedelta(days=365)
# A link keeps working this long after the deadline, so a late answer is still welcome.
LINK_GRACE = timedelta(days=30)


def is_stale(confirmed_at: datetime | None, now: datetime) -> bool:
    """Never confirmed, or confirmed more than a year ago."""
    return confirmed_at is None or now - confirmed_at > STALE_AFTER


def is_overdue(*, deadline: date, answered_at: datetime | None, today: date) -> bool:
    return answered_at is None and today > deadline


def reminder_due(
    *,
    sent_at: datetime | None,
    answered_at: datetime | None,
    revoked_at: datetime | None,
    expires_at: datetime,
    last_reminded_at: datetime | None,
    reminders_sent: int,
    reminder_after_days: int,
    max_reminders: int,
    now: datetime,
) -> bool:
    """A reminder goes out `reminder_after_days` after the invitation or the last reminder, at most
    `max_reminders` times, and never to an invitation that is answered, revoked, expired or not yet sent."""
    if sent_at is None or answered_at is not None or revoked_at is not None or now >= expires_at:
        return False
    if reminders_sent >= max_reminders:
        return False
    return now - (last_reminded_at or sent_at) >= timedelta(days=reminder_after_days)
