"""Retention of ALIS in their position: the Kaplan–Meier estimate of the share still in position over time.

A course of training is observed from its start until it ends or until the day of the analysis:
- status "left" (sluttet) is the event: the ALIS left the position before finishing;
- still active or on leave is censored at the day of the analysis: we know only that they stayed so long;
- completed (fullført) is censored at the day of completion. Finishing is not leaving: counting it as an
  event would make the best outcome look like a loss, and every curve fall towards zero after five years.
  The curve therefore answers "how many would still be in position after t months, had nobody finished",
  the usual reading of attrition; completions are shown next to it as their own count.

Kaplan, E. L. and Meier, P. (1958), "Nonparametric estimation from incomplete observations", JASA 53:457–481:
S(t) = ∏_{t_i ≤ t} (1 − d_i / n_i), with d_i events at t_i and n_i at risk just before t_i. Censored at the same
time as an event are counted at risk for that event (the usual convention, and lifelines').
"""

from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

DAYS_PER_MONTH = 365.25 / 12


# Named tuples rather than frozen dataclasses: a national estimate makes thousands of each, and a frozen
# dataclass is several times slower to create.
class Observation(NamedTuple):
    duration: float  # months from start to leaving, completion or the day of the analysis
    event: bool  # True: left the position; False: censored


class Step(NamedTuple):
    time: float
    at_risk: int
    events: int
    censored: int
    survival: float


def months_between(start: date, end: date) -> float:
    return max(0, (end - start).days) / DAYS_PER_MONTH


def observation(*, start: date, status: str, ended_on: date | None, on: date) -> Observation | None:
    """One training as seen on the day `on`; None when it had not started yet.

    What happened after `on` is not known on `on`: a later end counts as still in position (censored at `on`).
    A training that ended without a date is censored at its start, the only day it is known to have been in
    position.
    """
    if start > on:
        return None
    if status in ("left", "completed"):
        if ended_on is None:
            return Observation(0.0, False)
        if ended_on <= on:
            return Observation(months_between(start, ended_on), status == "left")
    return Observation(months_between(start, on), False)


def kaplan_meier(observations: Iterable[Observation]) -> list[Step]:
    """The estimate at each distinct time with an event or a censoring, in time order (no step at 0)."""
    events: Counter[float] = Counter()
    censored: Counter[float] = Counter()
    for o in observations:
        (events if o.event else censored)[o.duration] += 1
    at_risk = sum(events.values()) + sum(censored.values())
    survival = 1.0
    steps = []
    for time in sorted(events.keys() | censored.keys()):
        d, c = events[time], censored[time]
        if d:
            survival *= 1 - d / at_risk
        steps.append(Step(time=time, at_risk=at_risk, events=d, censored=c, survival=survival))
        at_risk -= d + c
    return steps


def survival_at(steps: list[Step], time: float) -> float | None:
    """S(time); None beyond the last observation, where the estimate says nothing."""
    if not steps or time > steps[-1].time:
        return None
    value = 1.0
    for step in steps:
        if step.time > time:
            break
        value = step.survival
    return value


def at_risk_at(steps: list[Step], time: float) -> int:
    """How many were still observed (at risk) at `time`."""
    return sum(step.events + step.censored for step in steps if step.time >= time)


# After completion: is the specialist still a regular GP, in the same municipality or in the region?
#
# The question the offices and the research ask (seed 002, «Rekruttering og stabilitet»; issue 10, item 7). The
# answer comes from the regular-GP lists the office has imported over time (`dataio.GpListSnapshot`), never from
# today's doctor record: for a day, the list of a municipality nearest to it, at most half a year before or after
# and not after the day of the analysis, says who was a regular GP there. Without such a list the answer is
# unknown: it is left out of the share and counted as unknown, never as "no".

LIST_WINDOW_DAYS = 183  # half a year either side: a list taken once a year covers every day


def anniversary(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class RegularGpLists:
    """The regular-GP lists known on the day `on`: per municipality the days of its lists, and who was on each."""

    def __init__(self, lists: Iterable[tuple[int, date]], entries: Iterable[tuple[int, date, int]], on: date) -> None:
        """`lists`: (municipality, day) of every list; `entries`: (municipality, day, doctor) for who was on it."""
        days: dict[int, set[date]] = {}
        for municipality, day in lists:
            if day <= on:
                days.setdefault(municipality, set()).add(day)
        self.days = {municipality: sorted(found) for municipality, found in days.items()}
        self.where: dict[int, set[tuple[int, date]]] = {}
        for municipality, day, doctor in entries:
            if day <= on:
                self.where.setdefault(doctor, set()).add((municipality, day))

    def nearest(self, municipality: int, day: date) -> date | None:
        """The day of the municipality's list nearest to `day` within the window (the earlier one on a tie)."""
        days = self.days.get(municipality, [])
        index = bisect_left(days, day)
        candidates = [d for d in days[max(0, index - 1) : index + 1] if abs((d - day).days) <= LIST_WINDOW_DAYS]
        return min(candidates, key=lambda d: (abs((d - day).days), d)) if candidates else None

    def on_list(self, doctor: int, municipality: int, day: date) -> bool | None:
        """Whether the doctor was a regular GP in the municipality around `day`; None: no list says."""
        nearest = self.nearest(municipality, day)
        return None if nearest is None else (municipality, nearest) in self.where.get(doctor, ())

    def in_any(self, doctor: int, municipalities: Collection[int], day: date) -> bool | None:
        """Whether the doctor was a regular GP in any of the municipalities around `day`.

        Yes when the nearest list of one of them has the doctor; no only when every one of them has a list near
        the day and none has the doctor; otherwise unknown (the doctor may be on a list nobody imported).
        """
        for municipality, listed_on in self.where.get(doctor, ()):
            if municipality in municipalities and self.nearest(municipality, day) == listed_on:
                return True
        if municipalities and all(self.nearest(m, day) is not None for m in municipalities):
            return False
        return None


class Completion(NamedTuple):
    doctor: int
    municipality: int  # the employer: "the same municipality"
    region: int  # the office whose municipalities are "the region"
    completed_on: date


@dataclass
class StayCount:
    """For one time after completion: how many got that far, how many of them are known, how many stayed."""

    years: int
    reached: int = 0
    known_municipality: int = 0
    in_municipality: int = 0
    known_region: int = 0
    in_region: int = 0

    @property
    def share_municipality(self) -> float | None:
        return self.in_municipality / self.known_municipality if self.known_municipality else None

    @property
    def share_region(self) -> float | None:
        return self.in_region / self.known_region if self.known_region else None


def stays_after_completion(
    completions: Iterable[Completion],
    lists: RegularGpLists,
    regions: dict[int, Collection[int]],
    *,
    on: date,
    years: Iterable[int] = (1, 3, 5),
) -> list[StayCount]:
    """For each number of years: the specialists who completed at least that long before `on`, and whether each
    was a regular GP in the municipality they trained in, and in that region, that many years after completing."""
    counts = [StayCount(n) for n in years]
    for completion in completions:
        for count in counts:
            day = anniversary(completion.completed_on, count.years)
            if day > on:
                continue
            count.reached += 1
            same = lists.on_list(completion.doctor, completion.municipality, day)
            if same is not None:
                count.known_municipality += 1
                count.in_municipality += same
            region = True if same else lists.in_any(completion.doctor, regions.get(completion.region, ()), day)
            if region is not None:
                count.known_region += 1
                count.in_region += region
    return counts
