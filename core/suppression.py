"""Small-number suppression: counts of persons under 5 are not shown to those who may not see personal data.

Helsedirektoratet's reader sees aggregates only (issue 11: «counts of persons under 5 shown as "<5", with a
second cell suppressed wherever a total would reveal it»). One function decides which cells to hide, for the
pages, the reports and the API alike:

- primary suppression: a count from 1 to 4 is hidden (0 is shown: it says nothing about a person);
- secondary suppression: wherever a total is shown, a line (the total and the counts that add up to it)
  must never have exactly one hidden cell, or subtraction would reveal it. While some line has exactly one,
  its smallest other count is hidden too (above zero first, the total itself last), until none has.

This is the classic heuristic, not an optimal or audited method (such as τ-ARGUS): it stops every line from
revealing a cell on its own, not every combination of lines.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Sum:
    """A total and the cells that add up to it (all keys of the table's values)."""

    total: Hashable
    members: Sequence[Hashable]


@dataclass(frozen=True)
class Count:
    """A count as it may be shown: `value` is None when suppressed."""

    value: int | None
    suppressed: bool = False
    threshold: int = THRESHOLD

    def __str__(self) -> str:
        return f"<{self.threshold}" if self.suppressed else str(self.value)


def is_small(value: int, threshold: int = THRESHOLD) -> bool:
    return 0 < value < threshold


def suppress(values: Mapping[Hashable, int], sums: Iterable[Sum], *, threshold: int = THRESHOLD) -> set[Hashable]:
    """The keys of the cells to hide: the small counts, and those that keep every sum from revealing one."""
    hidden = {key for key, value in values.items() if is_small(value, threshold)}
    lines = [(s.total, list(s.members)) for s in sums]
    changed = True
    while changed:
        changed = False
        for total, members in lines:
            cells = [*members, total]
            if sum(1 for key in cells if key in hidden) != 1:
                continue
            # Members before the total, counts above zero before zeros, then the smallest; first in order on ties.
            shown = [(key not in members, values[key] == 0, values[key], i) for i, key in enumerate(cells)]
            candidates = [c for c in shown if cells[c[3]] not in hidden]
            if candidates:
                hidden.add(cells[min(candidates)[3]])
                changed = True
    return hidden


def suppress_table(
    rows: Sequence[Sequence[int]],
    *,
    total_row: bool = False,
    row_sums: Sequence[tuple[int, Sequence[int]]] = (),
    groups: Sequence[tuple[int, Sequence[int]]] = (),
    threshold: int = THRESHOLD,
) -> list[list[Count]]:
    """A table of counts (rows of equal length) with its totals, as `Count`s with the hidden ones emptied.

    - `total_row`: the last row holds the sums of the rows above it, column by column;
    - `row_sums`: (total column, member columns) that add up in every row, e.g. total = new + old;
    - `groups`: (subtotal row, member rows), column by column, e.g. a county and its municipalities.
    """
    values = {(r, c): value for r, row in enumerate(rows) for c, value in enumerate(row)}
    width = len(rows[0]) if rows else 0
    groups = list(groups)
    if total_row and rows:
        groups.append((len(rows) - 1, range(len(rows) - 1)))
    sums = [Sum((r, total), [(r, c) for c in members]) for r in range(len(rows)) for total, members in row_sums]
    sums += [Sum((total, c), [(r, c) for r in members]) for total, members in groups for c in range(width)]
    hidden = suppress(values, sums, threshold=threshold)
    return [
        [
            Count(None, True, threshold) if (r, c) in hidden else Count(value, False, threshold)
            for c, value in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]


def unsuppressed(rows: Sequence[Sequence[int]], *, threshold: int = THRESHOLD) -> list[list[Count]]:
    """The same table for those who may see the exact numbers."""
    return [[Count(value, False, threshold) for value in row] for row in rows]
