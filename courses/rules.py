"""The rules of the courses, as pure functions.

Sources: the offices' mandate ("bistå ved utdanning/kvalifisering av veiledere", issue 4) and the annual
report to Helsedirektoratet, which lists each supervisor course as "Bergen, 02.02 og 30.03.22: 22 deltakere,
14 spesialister" with whom the participants supervise (ALIS, LIS1, none).
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CONFIRMED, WAITING = "confirmed", "waiting"


def signup_status(*, confirmed: int, capacity: int) -> str:
    """A new sign-up gets a place while there is one; otherwise it joins the waiting list (issue 4)."""
    return CONFIRMED if confirmed < capacity else WAITING


def free_places(*, confirmed: int, capacity: int) -> int:
    return max(capacity - confirmed, 0)


def places_to_fill(*, confirmed: int, capacity: int, waiting: int) -> int:
    """How many on the waiting list move up when places become free (a cancellation, a larger room)."""
    return min(free_places(confirmed=confirmed, capacity=capacity), waiting)


def is_held(*, today: date, last_day: date) -> bool:
    """A gathering has been held once its last day has come; only then is attendance at it recorded.

    Attendance and course completion for a gathering in the future are refused (issue 10, item 6): a
    participant was present at a gathering only when it has taken place, so a gathering of several days
    is recorded from its last day.
    """
    return last_day <= today


def is_completed(
    *, attended: Collection[int], gatherings: Collection[int], held: Collection[int] | None = None
) -> bool:
    """A course is completed by attending every one of its gatherings (a course without any can not be).

    With `held` (the gatherings held by today), a gathering not yet held never counts, even where an
    attendance was recorded before its dates were moved.
    """
    done = set(attended) if held is None else set(attended) & set(held)
    return bool(gatherings) and set(gatherings) <= done


def certificate_open(*, today: date, last_day: date | None) -> bool:
    """A course certificate (kursbevis) is issued only after the last gathering: from its last day."""
    return last_day is not None and last_day <= today


def signup_open(*, today: date, deadline: date | None, first_day: date | None) -> bool:
    """Sign-up is open up to and including the deadline, and never once the course has begun."""
    if first_day is not None and today >= first_day:
        return False
    return deadline is None or today <= deadline


def day_span(start: date, end: date) -> str:
    """02.02.2026 or 02.–03.02.2026 or 30.01.–02.02.2026 (Norwegian date ranges)."""
    if start == end:
        return f"{start:%d.%m.%Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%d}.–{end:%d.%m.%Y}"
    if start.year == end.year:
        return f"{start:%d.%m}.–{end:%d.%m.%Y}"
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


def _joined(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s og %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def report_dates(starts: Iterable[date]) -> str:
    """The gatherings' first days as the annual report writes them: "02.02 og 30.03.22".

    The year (two digits) follows the last date of each year, so a course over New Year reads
    "01.12.21 og 12.01.22".
    """
    days = sorted(starts)
    parts = []
    for index, day in enumerate(days):
        last_of_year = index == len(days) - 1 or days[index + 1].year != day.year
        parts.append(f"{day:%d.%m.%y}" if last_of_year else f"{day:%d.%m}")
    return _joined(parts)


@dataclass
class CourseStatistics:
    """One course's line in the annual report."""

    place: str
    starts: list[date]
    participants: int = 0
    specialists: int = 0
    completed: int = 0
    supervises: dict[str, int] = field(default_factory=dict)

    @property
    def where_when(self) -> str:
        dates = report_dates(self.starts)
        return f"{self.place}, {dates}" if dates else self.place

    @property
    def line(self) -> str:
        counts = ngettext("%(n)d deltaker", "%(n)d deltakere", self.participants) % {"n": self.participants}
        specialists = ngettext("%(n)d spesialist", "%(n)d spesialister", self.specialists) % {"n": self.specialists}
        return f"{self.where_when}: {counts}, {specialists}"


def cancel_open(*, today: date, first_day: date | None) -> bool:
    """Participants cancel themselves until the course begins; after that the office decides."""
    return first_day is None or today < first_day
