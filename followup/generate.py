"""The task rules at work: what each rule watches, found for the whole country in a few queries, and the tasks
made, replaced and closed in bulk — never a query per ALIS.

Each finder returns the events a rule watches today (a hospital period not agreed, an answer waiting …), each
with its office, the record it is about and the task's text. `run` fires each office's rules on them
(`followup.rules.fired_day`), makes the tasks no earlier run made (a unique key per event and day), closes the
open task of an earlier day of the same event («replaced») and the open tasks whose event no longer calls for
one («no longer relevant»: the period got agreed, the ALIS caught up, the deadline passed).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from followup.attention import SYSTEM_READER
from followup.models import Task, TaskRule
from followup.rules import DEFAULTS, MAX_DAYS, RuleKind, due_date, fired_day, rule_key, rule_subject
from grants import eligibility
from grants.models import GrantApplication, RatePeriod
from grants.periods import GrantYear
from registry.models import Municipality, Office
from supervision import pool
from supervision.models import SupervisionSession
from survey import rules as survey_rules
from survey.models import Invitation
from training.models import HospitalStatus, Scheme, ServicePeriod, Training
from training.rules import OLD_SCHEME_DEADLINE


@dataclass(frozen=True)
class Event:
    """Something a rule watches: where, when, about what, and the task's words."""

    office_id: int
    subject: str  # unique within the rule: "period:12"
    event: date
    title: str
    description: str = ""
    record: dict = field(default_factory=dict)  # the task's record field: {"training_id": 3}


def _name(first: str, last: str) -> str:
    return f"{first} {last}"


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def hospital(today: date, now: datetime) -> list[Event]:
    """Hospital service ahead that is only wanted, not agreed with the health trust."""
    periods = ServicePeriod.objects.filter(
        kind=ServicePeriod.Kind.HOSPITAL,
        hospital_status=HospitalStatus.WANTED,
        start__gte=today,
        start__lte=today + timedelta(days=MAX_DAYS),
        training__status__in=["active", "leave"],
    ).values_list(
        "pk",
        "start",
        "training_id",
        "training__doctor__first_name",
        "training__doctor__last_name",
        "training__employer__county__office_id",
        "health_trust__name",
    )
    return [
        Event(
            office_id=office,
            subject=f"period:{pk}",
            event=start,
            title=_("Sykehustjeneste for %(name)s fra %(day)s er ikke avtalt med %(trust)s")
            % {"name": _name(first, last), "day": _day(start), "trust": trust or _("helseforetaket")},
            description=_("Avtal plassen med helseforetaket, og sett perioden til «Avtalt med helseforetaket»."),
            record={"training_id": training},
        )
        for pk, start, training, first, last, office, trust in periods
    ]


def supervision(today: date, now: datetime) -> list[Event]:
    """ALIS behind on individual supervision (by their scheme's rules), counted from their last session."""
    rows = pool.compliance(Training.objects.ongoing(), today)
    behind = [r.training_id for r in rows if r.status.behind]
    last = dict(
        SupervisionSession.objects.filter(
            training_id__in=behind, kind=SupervisionSession.Kind.INDIVIDUAL, date__lte=today
        )
        .values("training_id")
        .annotate(last=Max("date"))
        .values_list("training_id", "last")
        .order_by()
    )
    trainings = Training.objects.filter(pk__in=behind).values_list(
        "pk", "start", "doctor__first_name", "doctor__last_name", "employer__county__office_id"
    )
    events = []
    for pk, start, first, last_name, office in trainings:
        since = last.get(pk)
        text = (
            _("siste individuelle veiledning %(day)s") % {"day": _day(since)}
            if since
            else _("ingen individuell veiledning registrert")
        )
        events.append(
            Event(
                office_id=office,
                subject=f"training:{pk}",
                event=since or start,
                title=_("%(name)s ligger etter med veiledning (%(since)s)")
                % {"name": _name(first, last_name), "since": text},
                description=_("Følg opp veiledningen med ALIS, veilederen eller kommunen."),
                record={"training_id": pk},
            )
        )
    return events


def grant_deadline(today: date, now: datetime) -> list[Event]:
    """An application deadline ahead, for each office with municipalities that have not sent an application."""
    events = []
    offices = list(Office.objects.all())
    for period in RatePeriod.objects.filter(application_deadline__gte=today).select_related("scheme"):
        year = GrantYear.of(period)
        for office in offices:
            silent = eligibility.sent_nothing(year, user=SYSTEM_READER, office_code=office.code)
            if not silent:
                continue
            events.append(
                Event(
                    office_id=office.pk,
                    subject=f"rateperiod:{period.pk}:office:{office.pk}",
                    event=period.application_deadline,
                    title=_("Søknadsfrist for tilskudd %(year)s er %(day)s: %(n)s kommuner har ikke søkt")
                    % {"year": period.year_label, "day": _day(period.application_deadline), "n": len(silent)},
                    description=", ".join(s.municipality.name for s in silent[:30]),
                )
            )
    return events


def auditor_deadline(period: RatePeriod) -> date:
    """The auditor's statement is due by 1 April the year after the period (RULES.md, Grants), unless the period
    says otherwise."""
    return period.auditor_deadline or date(period.end.year + 1, 4, 1)


def auditor(today: date, now: datetime) -> list[Event]:
    """Granted or paid applications without the auditor's statement."""
    applications = GrantApplication.objects.filter(
        status__in=[GrantApplication.Status.GRANTED, GrantApplication.Status.PAID], auditor_statement_on__isnull=True
    ).select_related("period", "municipality__county")
    return [
        Event(
            office_id=a.municipality.county.office_id,
            subject=f"application:{a.pk}",
            event=auditor_deadline(a.period),
            title=_("Revisorerklæring fra %(name)s for %(year)s mangler (frist %(day)s)")
            % {"name": a.municipality.name, "year": a.period.year_label, "day": _day(auditor_deadline(a.period))},
            record={"grant_application_id": a.pk},
        )
        for a in applications
    ]


def old_scheme(today: date, now: datetime) -> list[Event]:
    """Ongoing old-scheme ALIS with no outcome recorded: no application for approval known before the deadline."""
    trainings = (
        Training.objects.ongoing()
        .filter(scheme=Scheme.OLD, old_scheme_outcome__isnull=True)
        .values_list("pk", "doctor__first_name", "doctor__last_name", "employer__county__office_id")
    )
    return [
        Event(
            office_id=office,
            subject=f"training:{pk}",
            event=OLD_SCHEME_DEADLINE,
            title=_("%(name)s i gammel ordning: ingen søknad om godkjenning registrert (frist %(day)s)")
            % {"name": _name(first, last), "day": _day(OLD_SCHEME_DEADLINE)},
            description=_("Registrer utfallet når ALIS har søkt, er godkjent, går over til ny ordning eller slutter."),
            record={"training_id": pk},
        )
        for pk, first, last, office in trainings
    ]


def mapping_answer(today: date, now: datetime) -> list[Event]:
    """Answers in the mapping whose proposals wait for the office."""
    invitations = Invitation.objects.waiting().values_list(
        "pk", "answered_at", "municipality_id", "municipality__name", "campaign__office_id", "campaign__title"
    )
    return [
        Event(
            office_id=office,
            subject=f"invitation:{pk}",
            event=answered.date(),
            title=_("Svar fra %(name)s i «%(campaign)s» venter på vurdering") % {"name": name, "campaign": campaign},
            record={"municipality_id": municipality},
        )
        for pk, answered, municipality, name, office, campaign in invitations
    ]


def stale_data(today: date, now: datetime) -> list[Event]:
    """Municipalities whose last confirmed answer is more than a year old (never confirmed: no event to count
    from; the start page counts those)."""
    last = (
        Invitation.objects.filter(answered_at__isnull=False)
        .values("municipality_id")
        .annotate(last=Max("answered_at"))
        .filter(last__lt=now - survey_rules.STALE_AFTER)
        .values_list("municipality_id", "last")
        .order_by()
    )
    last = dict(last)
    municipalities = Municipality.objects.filter(pk__in=list(last)).values_list("pk", "name", "county__office_id")
    return [
        Event(
            office_id=office,
            subject=f"municipality:{pk}",
            event=(last[pk] + survey_rules.STALE_AFTER).date(),
            title=_("%(name)s har ikke bekreftet opplysningene siden %(day)s") % {"name": name, "day": _day(last[pk])},
            description=_("Send kommunen en ny kartlegging."),
            record={"municipality_id": pk},
        )
        for pk, name, office in municipalities
    ]


FINDERS: dict[str, Callable[[date, datetime], list[Event]]] = {
    RuleKind.HOSPITAL: hospital,
    RuleKind.SUPERVISION: supervision,
    RuleKind.GRANT_DEADLINE: grant_deadline,
    RuleKind.AUDITOR: auditor,
    RuleKind.OLD_SCHEME: old_scheme,
    RuleKind.MAPPING_ANSWER: mapping_answer,
    RuleKind.STALE_DATA: stale_data,
}


def ensure_rules() -> dict[tuple[int, str], TaskRule]:
    """Every office's setting of every rule, made from the defaults where missing; by (office id, kind)."""
    existing = {(r.office_id, r.kind) for r in TaskRule.objects.only("office_id", "kind")}
    missing = [
        TaskRule(office_id=office, kind=kind, days=list(default.days), respite_days=default.respite_days)
        for office in Office.objects.values_list("pk", flat=True)
        for kind, default in DEFAULTS.items()
        if (office, kind) not in existing
    ]
    if missing:
        TaskRule.objects.bulk_create(missing, ignore_conflicts=True)
    return {(r.office_id, r.kind): r for r in TaskRule.objects.all()}


@dataclass
class RunResult:
    created: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)


REPLACED = "replaced"
NOT_RELEVANT = "not_relevant"


def closed_reason(reason: str) -> str:
    return {
        REPLACED: _("Erstattet av en senere påminnelse"),
        NOT_RELEVANT: _("Ikke lenger aktuelt"),
    }[reason]


def run(*, today: date, now: datetime) -> RunResult:
    """Fire every office's active rules for today. Safe to run as often as wanted: a second run makes nothing."""
    result = RunResult()
    with translation.override(settings.LANGUAGE_CODE):  # the tasks are stored in the office's language
        rules = ensure_rules()
        for kind, finder in FINDERS.items():
            created, closed = _fire(kind, finder(today, now), rules, today=today, now=now)
            result.created[kind] = created
            result.closed[kind] = closed
    return result


def _fire(
    kind: str, events: list[Event], rules: dict[tuple[int, str], TaskRule], *, today: date, now: datetime
) -> tuple[int, int]:
    direction = DEFAULTS[kind].direction
    wanted: dict[str, Task] = {}
    for event in events:
        rule = rules.get((event.office_id, kind))
        if rule is None or not rule.active:
            continue
        day = fired_day(event=event.event, days=rule.days, direction=direction, today=today)
        if day is None:
            continue
        key = rule_key(kind, event.subject, event.event, day)
        due = due_date(event=event.event, day=day, direction=direction, today=today, respite_days=rule.respite_days)
        wanted[key] = Task(
            office_id=event.office_id,
            title=event.title[:300],
            description=event.description,
            due=due,
            assignee_id=rule.assignee_id,
            rule=kind,
            rule_key=key,
            rule_subject=rule_subject(kind, event.subject, event.event),
            **event.record,
        )
    with transaction.atomic():
        known = set(Task.objects.filter(rule_key__in=list(wanted)).values_list("rule_key", flat=True))
        new = [task for key, task in wanted.items() if key not in known]
        Task.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        # An earlier day's task of the same event, still open, gives way to the new one; an open task whose event
        # no longer calls for one (or whose rule is off) is closed.
        still = {task.rule_subject: key for key, task in wanted.items()}
        open_tasks = Task.objects.open().filter(rule=kind).values_list("pk", "rule_key", "rule_subject")
        replaced, gone = [], []
        for pk, key, subject in open_tasks:
            if subject not in still:
                gone.append(pk)
            elif key != still[subject]:
                replaced.append(pk)
        closed = 0
        for pks, reason in ((replaced, REPLACED), (gone, NOT_RELEVANT)):
            if pks:
                closed += Task.objects.filter(pk__in=pks, status=Task.Status.OPEN).update(
                    status=Task.Status.CLOSED, closed_reason=closed_reason(reason), done_at=now
                )
    return len(new), closed
