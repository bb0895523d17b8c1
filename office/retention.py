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

from collections import Counter
from collections.abc import Iterable
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
