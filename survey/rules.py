"""Rules of the mapping campaign: when a reminder is due, when an answer is late, when data is stale.

Pure functions on plain values, so that the command, the task and the pages agree.
"""

import re
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


# The municipality writes its ALIS's supervisor and planned hospital service as text, in the form the
# answer page pre-fills (survey.forms.supervisor_text / hospital_text): "Per Veileder (1234567)" and
# "01.03.2026–31.08.2026, Helse Bergen". HPR numbers have up to nine digits (Helsepersonellregisteret).
_HPR = re.compile(r"\b(\d{4,9})\b")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_supervisor(text: str) -> tuple[str, str]:
    """(name, HPR number) from «Navn (HPR)»; either may be ""."""
    match = _HPR.search(text)
    hpr = match.group(1) if match else ""
    name = _HPR.sub("", text).replace("(", " ").replace(")", " ").replace(",", " ")
    name = re.sub(r"\bHPR(-nummer|-nr\.?|nr\.?)?\b:?", " ", name, flags=re.IGNORECASE)
    return " ".join(name.split()), hpr


def parse_hospital(text: str) -> tuple[date, date | None, str] | None:
    """(from, to or None, health trust as written) from «dd.mm.åååå–dd.mm.åååå, helseforetak»;
    None when there is no valid from-date or no health trust."""
    dates = []
    for day, month, year in _DATE.findall(text):
        try:
            dates.append(date(int(year), int(month), int(day)))
        except ValueError:
            return None
    trust = _DATE.sub("", text).strip(" ,;–-…")
    if not dates or not trust or len(dates) > 2:
        return None
    return dates[0], (dates[1] if len(dates) == 2 else None), trust
