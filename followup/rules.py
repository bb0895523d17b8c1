"""When the office is reminded of something: the task rules' timing, the retries of e-mail, the weekly digest.

Pure functions on plain values, so that the nightly run, the scheduler, the pages and the tests agree.

A rule watches an event with a date (a hospital period's start, a grant deadline, an answer received) and fires
a task at each of its configured days: before the event (12, 8 and 4 weeks before a hospital period starts) or
after it (a mapping answer received). Only the latest day that has come fires, so a rule first switched on three
weeks before an event makes one task (4 weeks), not three; and a later day replaces the task of an earlier one.
The days are data per office (followup.models.TaskRule); `DEFAULTS` are what a new office starts with.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    HOSPITAL = "hospital", _("Sykehustjeneste som ikke er avtalt")
    SUPERVISION = "supervision", _("Ligger etter med veiledning")
    GRANT_DEADLINE = "grant_deadline", _("Søknadsfrist for tilskudd")
    AUDITOR = "auditor", _("Revisorerklæring for tilskudd")
    OLD_SCHEME = "old_scheme", _("Frist for gammel ordning")
    MAPPING_ANSWER = "mapping_answer", _("Svar i kartleggingen")
    STALE_DATA = "stale_data", _("Utdaterte opplysninger om kommunen")


BEFORE, AFTER = "before", "after"


@dataclass(frozen=True)
class RuleDefault:
    direction: str  # the days count BEFORE or AFTER the event
    days: tuple[int, ...]
    respite_days: int  # how long the office has to act once a task is made
    explanation: str
    source: str


# Issue 12 («The adviser's day») names each rule and its days; the sources of the events are cited per rule.
DEFAULTS: dict[str, RuleDefault] = {
    RuleKind.HOSPITAL: RuleDefault(
        BEFORE,
        (84, 56, 28),
        14,
        _("Sykehustjeneste som er ønsket, men ikke avtalt med helseforetaket, 12, 8 og 4 uker før den starter."),
        _("Kontorene avtaler plassene med helseforetakene i god tid; påminnelser 12, 8 og 4 uker før, som NHS' TIS."),
    ),
    RuleKind.SUPERVISION: RuleDefault(
        AFTER,
        (60,),
        14,
        _("ALIS som ligger etter med individuell veiledning og ikke har hatt veiledning på 2 måneder."),
        _("alis.no «Individuell veiledning»: 4 timer i måneden i 10,5 måneder i året."),
    ),
    RuleKind.GRANT_DEADLINE: RuleDefault(
        BEFORE,
        (30, 14, 7),
        7,
        _("Søknadsfristen for tilskudd nærmer seg, 30, 14 og 7 dager før, når kommuner ikke har søkt."),
        _("helsedirektoratet.no/tilskudd/nasjonal-alis-og-veiledning: fristen står i satsperioden."),
    ),
    RuleKind.AUDITOR: RuleDefault(
        BEFORE,
        (30, 7),
        7,
        _("Revisorerklæringen for innvilget tilskudd mangler, 30 og 7 dager før fristen (1. april året etter)."),
        _("helsedirektoratet.no/tilskudd/nasjonal-alis-og-veiledning: revisorerklæring innen 1. april året etter."),
    ),
    RuleKind.OLD_SCHEME: RuleDefault(
        BEFORE,
        (90, 30, 7),
        14,
        _("ALIS i gammel ordning uten registrert søknad om godkjenning, 90, 30 og 7 dager før fristen."),
        _("alis.no «Gammel spesialistutdanning»: søknadsfristen er utsatt til 31.12.2026."),
    ),
    RuleKind.MAPPING_ANSWER: RuleDefault(
        AFTER,
        (0,),
        7,
        _("En kommune har svart i kartleggingen, og forslagene venter på vurdering."),
        _("Kartleggingen: svarene er forslag kontoret godtar eller avviser."),
    ),
    RuleKind.STALE_DATA: RuleDefault(
        AFTER,
        (0,),
        30,
        _("En kommune har ikke bekreftet opplysningene sine på et år."),
        _("Kontorene kartlegger kommunene én gang i året (årsrapporten teller ALIS per kommune hvert år)."),
    ),
}

MAX_DAYS = 730


def fired_day(*, event: date, days: list[int] | tuple[int, ...], direction: str, today: date) -> int | None:
    """The day (of `days`) whose reminder is due today: the latest that has come, or None.

    Before an event nothing fires after the event itself; after an event the days count on from it.
    """
    if direction == BEFORE:
        if today > event:
            return None
        come = [d for d in days if event - timedelta(days=d) <= today]
        return min(come) if come else None
    come = [d for d in days if event + timedelta(days=d) <= today]
    return max(come) if come else None


def due_date(*, event: date, day: int, direction: str, today: date, respite_days: int) -> date:
    """When the task made today is due: `respite_days` from when its day came (or from today, for a rule that
    fires late), never after the event it is about."""
    came = event - timedelta(days=day) if direction == BEFORE else event + timedelta(days=day)
    due = max(came, today) + timedelta(days=respite_days)
    return min(due, event) if direction == BEFORE else due


def rule_key(kind: str, subject: str, event: date, day: int) -> str:
    """What makes a rule's task unique: running the rules twice makes no second one."""
    return f"{kind}:{subject}:{event.isoformat()}:{day}"


def rule_subject(kind: str, subject: str, event: date) -> str:
    """The tasks of one event, whichever day fired them (a later one replaces an earlier one)."""
    return f"{kind}:{subject}:{event.isoformat()}"


def parse_days(text: str) -> list[int]:
    """«84, 56, 28» → [84, 56, 28]; ValueError for anything but whole days from 0 to MAX_DAYS."""
    days = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > MAX_DAYS:
            raise ValueError(part)
        days.append(int(part))
    if not days:
        raise ValueError(text)
    return sorted(set(days), reverse=True)


# E-mail retries: the wait after each failed attempt; after the last the message is failed for good. Temporary
# SMTP errors (a full queue, a server restarting) mostly pass within minutes; a wrong address never does.
RETRY_DELAYS = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4), timedelta(hours=12))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def next_attempt(*, attempts: int, failed_at: datetime) -> datetime | None:
    """When to try again after `attempts` failed attempts; None when there are no more tries."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return failed_at + RETRY_DELAYS[attempts - 1]


# A message about a task due today is sent that day or, if the scheduler did not run, in the next days; an older
# due date is left to the digest.
DUE_MESSAGE_LATE_DAYS = 2
DIGEST_WEEKDAY = 0  # Monday


def digest_week(today: date) -> str:
    """The ISO week a digest is for, as «2026-W48»: one digest per adviser and week."""
    year, week, _weekday = today.isocalendar()
    return f"{year}-W{week:02d}"


def digest_due(today: date, weekday: int = DIGEST_WEEKDAY) -> bool:
    """The week's digest goes out on its weekday, or later in the week if the scheduler missed it."""
    return today.weekday() >= weekday
