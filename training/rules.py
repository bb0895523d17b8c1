"""Rules of the field for a course of specialist training, as pure functions on plain values.

What each scheme requires is data in `training.schemes` (with the sources); this module applies it: which rules
apply to a training on a day, how much service counts, when the training should end, and what puts an
old-scheme ALIS at risk before the deadline.

Time is counted in days. The rules are written in years and months, and a calendar month is a month whether it
has 28 or 31 days (1 January – 30 June is the six months an institution service asks for), so each day is worth
1/28 to 1/31 of its month. To add such days up exactly, with no rounding drift, a month is MONTH_TICKS
"ticks" (divisible by 28, 29, 30 and 31) and a day is MONTH_TICKS // its month's length of them; service is
ticks × position share (percent). Only what is shown is rounded, by largest remainder, so that the parts on
screen add up to the total on screen.
"""

import calendar
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from training import schemes
from training.schemes import (
    APPLIED,
    APPROVED,
    CONTINUES_NEW,
    LEAVE,
    LEFT,
    NEW,
    NEW_SCHEME_START,
    OLD,
    OLD_SCHEME_DEADLINE,
    RuleSet,
    ServiceRequirement,
)

DAYS_PER_YEAR = 365.25  # only for rough spans in the demo data, never for counting
REQUIRED_YEARS = int(schemes.GENERAL_PRACTICE_NEW.total_years)

MONTH_TICKS = 377_580  # lcm(28, 29, 30, 31)
YEAR_TICKS = 12 * MONTH_TICKS
FULL_TIME = 100  # percent
FULL_YEAR = FULL_TIME * YEAR_TICKS  # one year of full-time service, in share-ticks


# Time


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_length(year: int, month: int) -> int:
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month - 1]


def ticks_before(day: date) -> int:
    """Ticks from the calendar's start to the start of `day`."""
    return (day.year * 12 + day.month - 1) * MONTH_TICKS + (day.day - 1) * (
        MONTH_TICKS // month_length(day.year, day.month)
    )


def ticks_through(day: date) -> int:
    """Ticks from the calendar's start to the end of `day`."""
    return ticks_before(day) + MONTH_TICKS // month_length(day.year, day.month)


def span_ticks(start: date, end: date) -> int:
    """Ticks from `start` to `end`, both days included; 0 when `end` is before `start`."""
    return max(0, ticks_through(end) - ticks_before(start))


def day_reaching(position: int) -> date:
    """The first day whose end reaches `position` (in ticks from the calendar's start)."""
    month_index, rest = divmod(position, MONTH_TICKS)
    if rest == 0:
        year, month0 = divmod(month_index - 1, 12)
        return date(year, month0 + 1, month_length(year, month0 + 1))
    year, month0 = divmod(month_index, 12)
    per_day = MONTH_TICKS // month_length(year, month0 + 1)
    return date(year, month0 + 1, -(-rest // per_day))


def years(amount: int) -> Fraction:
    """Share-ticks as full-time years."""
    return Fraction(amount, FULL_YEAR)


def of_years(value: Fraction | int) -> int:
    """Full-time years as share-ticks."""
    return int(Fraction(value) * FULL_YEAR)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, month_length(year, month + 1)))


# Which rules apply


@dataclass(frozen=True)
class RuleChoice:
    rule_set: RuleSet
    why: str | Promise = ""  # why not the registered scheme's own rules; empty when they are


def rules_for(*, specialty: str, scheme: str, outcome: str | None, on: date) -> RuleChoice:
    """The rules a training is judged by on `on`.

    The registered scheme's own rules, except for an old-scheme ALIS who continues under the new scheme
    (alis.no «Overgangsregler»: «Tjenestetiden fra gammel ordning teller med i ny ordning»), and after the
    deadline for one who has not applied for approval under the old rules (Legeforeningen «Gammel ordning»:
    «Øvrige LIS skal følge ny spesialistutdanning»).
    """
    own = schemes.RULE_SETS.get((specialty, scheme)) or schemes.RULE_SETS[(specialty, NEW)]
    if scheme != OLD:
        return RuleChoice(own)
    new = schemes.RULE_SETS[(specialty, NEW)]
    if outcome == CONTINUES_NEW:
        return RuleChoice(new, gettext_lazy("fortsetter i ny ordning etter overgangsreglene"))
    if on > OLD_SCHEME_DEADLINE and outcome not in (APPLIED, APPROVED, LEFT):
        return RuleChoice(
            new, gettext_lazy("ikke søkt godkjenning etter gammel ordning innen fristen 31.12.2026: ny ordning gjelder")
        )
    return RuleChoice(own)


def is_old_scheme_allowed(start: date) -> bool:
    """Only doctors who started in the specialty before 1 March 2019 can be in the old scheme."""
    return start < NEW_SCHEME_START


def first_start(*starts: date | None) -> date | None:
    """When the doctor first started in the specialty: the earliest of the dates known.

    alis.no «Overgangsregler»: the old scheme is for doctors who started specialty-specific service (or agreed to)
    before 1 March 2019 — the doctor's start, not this employer's: one who moved municipality keeps the old scheme.
    """
    known = [start for start in starts if start is not None]
    return min(known) if known else None


def old_scheme_deadline_days(today: date) -> int:
    """Days left until the old scheme's deadline (negative when passed)."""
    return (OLD_SCHEME_DEADLINE - today).days


# Counting service


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date | None  # inclusive; None: still going on
    share: int  # percent of full time
    planned: bool = False
    key: object = None  # what identifies the period (its pk)
    label: str = ""  # how the period is named in messages

    def last_day(self, on: date) -> date:
        """The last day the period runs, counting one without an end as running to `on` (or its start if later)."""
        return self.end if self.end is not None else max(self.start, on)


@dataclass(frozen=True)
class Slice:
    """Days on which the same periods run."""

    start: date
    end: date
    periods: tuple[Period, ...]


def slices(periods: Sequence[Period], on: date) -> list[Slice]:
    """The days covered by the periods, cut where any period starts or ends."""
    bounds = sorted(
        {p.start for p in periods} | {p.last_day(on) + timedelta(days=1) for p in periods if p.last_day(on) >= p.start}
    )
    result = []
    for first, after in itertools.pairwise(bounds):
        running = tuple(p for p in periods if p.start <= first <= p.last_day(on))
        if running:
            result.append(Slice(first, after - timedelta(days=1), running))
    return result


@dataclass(frozen=True)
class Overlap:
    """Days on which periods add up to more than 100 %."""

    start: date
    end: date
    total_share: int
    periods: tuple[Period, ...]


def allot(running: Iterable[Period]) -> list[tuple[Period, int]]:
    """The share each period counts on a day, so that the day never counts more than 100 %.

    Leave comes first (a day on leave is not served); then the periods in the order they started: a period that
    overlaps an earlier one gets what is left of the day.
    """
    room = FULL_TIME
    allotted = []
    ordered = sorted(running, key=lambda p: (p.kind != LEAVE, p.start, str(p.key)))
    for period in ordered:
        share = min(period.share, room)
        room -= share
        allotted.append((period, share))
    return allotted


def overlaps(periods: Sequence[Period], on: date) -> list[Overlap]:
    """Where the periods add up to more than 100 % (leave included), merged over consecutive days."""
    return _overlaps_in(slices(periods, on))


def _overlaps_in(parts: Iterable[Slice]) -> list[Overlap]:
    found: list[Overlap] = []
    for part in parts:
        total = sum(p.share for p in part.periods)
        if total <= FULL_TIME:
            continue
        last = found[-1] if found else None
        if last and last.end + timedelta(days=1) == part.start and last.periods == part.periods:
            found[-1] = Overlap(last.start, part.end, total, part.periods)
        else:
            found.append(Overlap(part.start, part.end, total, part.periods))
    return found


def first_overlap(candidate: Period, others: Sequence[Period], *, on: date) -> Overlap | None:
    """The first days on which `candidate` and the other periods add up to more than 100 %, if any."""
    return next((o for o in overlaps([candidate, *others], on) if candidate in o.periods), None)


@dataclass(frozen=True)
class Line:
    """One requirement and what counts towards it."""

    requirement: ServiceRequirement
    counted: int  # share-ticks
    shown_tenths: int  # tenths of a year as shown; the lines' parts add up on screen

    @property
    def counted_years(self) -> Fraction:
        return years(self.counted)

    @property
    def shown_years(self) -> Fraction:
        return Fraction(self.shown_tenths, 10)

    @property
    def met(self) -> bool | None:
        """None when the requirement has no minimum (a cap or guidance only)."""
        if self.requirement.min_years is None:
            return None
        return self.counted >= of_years(self.requirement.min_years)

    @property
    def missing(self) -> int:
        if self.requirement.min_years is None:
            return 0
        return max(0, of_years(self.requirement.min_years) - self.counted)

    @property
    def missing_tenths(self) -> int | None:
        """What is missing as shown, so that shown + missing = the minimum; None when under a tenth of a year."""
        if not self.missing:
            return 0
        rest = int(self.requirement.min_years * 10) - self.shown_tenths
        return rest if rest > 0 else None


@dataclass(frozen=True)
class NotCounted:
    kind: str
    reason: str  # "kind": does not count in this specialty; "cap": beyond the most that counts; "part_time"
    amount: int  # share-ticks


@dataclass(frozen=True)
class ServiceCount:
    rule_set: RuleSet
    lines: tuple[Line, ...]
    per_kind: dict[str, int]  # counted, after caps
    not_counted: tuple[NotCounted, ...]
    overlaps: tuple[Overlap, ...]

    @property
    def total(self) -> int:
        return sum(self.per_kind.values())

    def line(self, key: str) -> Line | None:
        return next((line for line in self.lines if line.requirement.key == key), None)


def round_half_up_tenths(amount: int) -> int:
    return (amount * 10 * 2 + FULL_YEAR) // (2 * FULL_YEAR)


def largest_remainder(amounts: Sequence[int]) -> list[int]:
    """Each amount (share-ticks) in tenths of a year, rounded so that the parts add up to the rounded sum.

    Each part is rounded down, and the tenths still missing go to the parts with the largest remainders (the
    earlier part first when remainders are equal): 1.26 + 3.64 is shown as 1.3 + 3.6 = 4.9 and 1.25 + 3.75 as
    1.3 + 3.7 = 5.0, never as parts that do not add up to the total shown.
    """
    floors = [amount * 10 // FULL_YEAR for amount in amounts]
    remainders = [amount * 10 % FULL_YEAR for amount in amounts]
    short = round_half_up_tenths(sum(amounts)) - sum(floors)
    for index in sorted(range(len(amounts)), key=lambda i: (-remainders[i], i))[:short]:
        floors[index] += 1
    return floors


def count_service(periods: Iterable[Period], rule_set: RuleSet, *, on: date) -> ServiceCount:
    """Counted service against the rule set's requirements, up to and including `on`.

    Only service done counts (not planned periods, nothing after `on`); a day counts at most 100 % whatever the
    periods add up to (see `allot`); leave never counts; kinds the specialty does not count (e.g. «annen
    tjeneste», or community-medicine work towards allmennmedisin) are set aside; then each kind is capped at the
    most of it that counts (alis.no: open practice up to 4.5 years, other general-practice work up to 2.5).
    """
    served = [
        p if p.end is not None and p.end <= on else replace(p, end=on)
        for p in periods
        if not p.planned and p.start <= on
    ]
    raw: dict[str, int] = {}
    floored: dict[str, int] = {}
    counted_kinds = set(rule_set.counted_kinds)
    floor = rule_set.part_time_floor
    parts = slices(served, on)
    for part in parts:
        ticks = span_ticks(part.start, part.end)
        shares: dict[str, int] = {}
        for period, share in allot(part.periods):
            if period.kind != LEAVE and share:
                shares[period.kind] = shares.get(period.kind, 0) + share
        if floor is not None and 0 < sum(shares.get(k, 0) for k in floor.kinds) < floor.min_share:
            for kind in floor.kinds:
                floored[kind] = floored.get(kind, 0) + shares.pop(kind, 0) * ticks
        for kind, share in shares.items():
            raw[kind] = raw.get(kind, 0) + share * ticks
    not_counted = [NotCounted(kind, "part_time", amount) for kind, amount in floored.items() if amount]
    per_kind: dict[str, int] = {}
    for kind, amount in raw.items():
        if kind not in counted_kinds:
            not_counted.append(NotCounted(kind, "kind", amount))
            continue
        cap = rule_set.cap_of(kind)
        per_kind[kind] = min(amount, of_years(cap)) if cap is not None else amount
        if per_kind[kind] < amount:
            not_counted.append(NotCounted(kind, "cap", amount - per_kind[kind]))
    kinds = list(rule_set.counted_kinds)
    shown = dict(zip(kinds, largest_remainder([per_kind.get(kind, 0) for kind in kinds]), strict=True))
    lines = tuple(
        Line(
            requirement=requirement,
            counted=sum(per_kind.get(kind, 0) for kind in requirement.kinds),
            shown_tenths=sum(shown[kind] for kind in requirement.kinds),
        )
        for requirement in rule_set.service
    )
    return ServiceCount(
        rule_set=rule_set,
        lines=lines,
        per_kind=per_kind,
        not_counted=tuple(not_counted),
        overlaps=tuple(_overlaps_in(parts)),
    )


def planned_before(periods: Iterable[Period], kind: str, *, after: date, until: date) -> int:
    """Planned service of one kind from the day after `after` to `until`, in share-ticks."""
    return sum(
        span_ticks(max(p.start, after + timedelta(days=1)), min(p.last_day(until), until)) * p.share
        for p in periods
        if p.planned and p.kind == kind
    )


# The expected end


def expected_end(
    *,
    start: date,
    position_share: int,
    leave: Iterable[Period] = (),
    total_years: Fraction | int = REQUIRED_YEARS,
    served_before: int = 0,
) -> date:
    """The first day on which the training has its total service, at its position share from its start.

    Leave (with an end) holds the clock: a day on leave at L % serves at most 100 − L %. `served_before` is the
    service counted from the doctor's earlier courses of training in the specialty (share-ticks).
    """
    share = max(1, min(FULL_TIME, position_share))
    need = of_years(total_years) - served_before
    if need <= 0:
        return start
    leave = [p for p in leave if p.end is not None and p.end >= start]
    cursor, done = start, 0
    for part in slices([Period(p.kind, max(p.start, start), p.end, p.share) for p in leave], start):
        if part.start > cursor:
            reached = _reach(cursor, part.start - timedelta(days=1), share, need - done)
            if reached:
                return reached
            done += share * span_ticks(cursor, part.start - timedelta(days=1))
        rate = min(share, FULL_TIME - min(FULL_TIME, sum(p.share for p in part.periods)))
        reached = _reach(part.start, part.end, rate, need - done)
        if reached:
            return reached
        done += rate * span_ticks(part.start, part.end)
        cursor = part.end + timedelta(days=1)
    return day_reaching(ticks_before(cursor) + -(-(need - done) // share))


def _reach(first: date, last: date, rate: int, need: int) -> date | None:
    """The day between `first` and `last` on which `need` share-ticks are served at `rate`, if any."""
    if rate <= 0 or rate * span_ticks(first, last) < need:
        return None
    return day_reaching(ticks_before(first) + -(-need // rate))


# The old scheme's deadline


RISKS = {
    "late_end": gettext_lazy("Forventet ferdig etter fristen"),
    "service_after": gettext_lazy("Tjeneste planlagt etter fristen"),
    "hospital": gettext_lazy("Mangler sykehusåret"),
    "shifts": gettext_lazy("For få vakter"),
    "shifts_unknown": gettext_lazy("Vakter ikke registrert"),
}


@dataclass(frozen=True)
class Risk:
    key: str

    @property
    def label(self) -> str:
        return str(RISKS[self.key])


@dataclass(frozen=True)
class DeadlineFacts:
    expected_end: date
    last_service_day: date | None  # the latest end of any period that is not leave (planned or not)
    hospital_counted: int | None  # share-ticks; None when the rules ask for no hospital service
    hospital_planned_in_time: int  # planned hospital service up to the deadline
    hospital_required: int | None
    shifts: int | None  # latest recorded number of on-call shifts; None: none recorded
    shifts_required: int | None


def deadline_risks(facts: DeadlineFacts, *, deadline: date = OLD_SCHEME_DEADLINE) -> list[Risk]:
    """What puts an old-scheme ALIS at risk of not applying under the old rules by the deadline."""
    risks = []
    if facts.expected_end > deadline:
        risks.append(Risk("late_end"))
    if facts.last_service_day is not None and facts.last_service_day > deadline:
        risks.append(Risk("service_after"))
    required, done = facts.hospital_required, facts.hospital_counted
    if required is not None and done is not None and done + facts.hospital_planned_in_time < required:
        risks.append(Risk("hospital"))
    if facts.shifts_required is not None:
        if facts.shifts is None:
            risks.append(Risk("shifts_unknown"))
        elif facts.shifts < facts.shifts_required:
            risks.append(Risk("shifts"))
    return risks


# Half-years (the overview's hospital demand)


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def half_years(first: date, count: int) -> list[tuple[date, date]]:
    """`count` consecutive half-years starting with the one that holds `first`: (first day, last day)."""
    result = []
    start = half_year_start(first)
    for _ in range(count):
        if start.month == 1:
            end, next_start = date(start.year, 6, 30), date(start.year, 7, 1)
        else:
            end, next_start = date(start.year, 12, 31), date(start.year + 1, 1, 1)
        result.append((start, end))
        start = next_start
    return result


def half_year_label(start: date) -> str:
    label = gettext("1. halvår %(year)s") if start.month == 1 else gettext("2. halvår %(year)s")
    return label % {"year": start.year}
