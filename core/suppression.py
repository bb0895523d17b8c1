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

`for_viewer(user, rows, ...)` is the entry point the pages, the reports (every format: they are made from the
same tables) and the API use: exact numbers for those who read personal data, suppressed for the others.
`suppress_grid` does it for a report's table of mixed cells (labels, counts, shares), finding its sums.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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


def hides_small_numbers(user: Any) -> bool:
    """Whether the user sees aggregates only (Helsedirektoratet's reader): then small counts are hidden."""
    return not user.reads_personal_data


def for_viewer(user: Any, rows: Sequence[Sequence[int]], **relations: Any) -> list[list[Count]]:
    """The table as `user` may see it: suppressed (see `suppress_table`) for the aggregate reader, else exact."""
    if hides_small_numbers(user):
        return suppress_table(rows, **relations)
    return unsuppressed(rows)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sums_in(grid: Sequence[Sequence[object]], columns: list[int]) -> list[tuple[int, list[int]]]:
    """(total column, member columns) of a column that is the sum of the counts before it in every row."""
    if len(columns) < 3:
        return []
    last, members = columns[-1], columns[:-1]
    if grid and all(sum(row[c] or 0 for c in members) == (row[last] or 0) for row in grid):
        return [(last, members)]
    return []


def suppress_grid(
    rows: Sequence[Sequence[object]], footer: Sequence[object] | None = None, *, threshold: int = THRESHOLD
) -> tuple[list[list[object]], list[object] | None]:
    """A table as reports hold it (a label first, then counts, shares or text) with small counts hidden.

    Counts (whole numbers) from 1 to 4 become «<5»; the sums the table shows are found in its numbers (a last
    column that adds up the counts before it; a footer that adds up the rows), and a second count is hidden
    wherever one of them would reveal a hidden one. A share (a decimal number) is hidden with any count of its
    row, or with the footer's count of its column (the group it is a share of): else it would tell the count.
    """
    width = max((len(row) for row in [*rows, footer or []]), default=0)
    grid = [[*row, *[None] * (width - len(row))] for row in rows]
    bottom = [*footer, *[None] * (width - len(footer))] if footer is not None else None
    counted = [c for c in range(1, width) if any(_is_count(line[c]) for line in [*grid, bottom or grid[0]])]
    values = [[row[c] if _is_count(row[c]) else 0 for c in counted] for row in grid]
    total_row = False
    if bottom is not None:
        sums = [bottom[c] if _is_count(bottom[c]) else None for c in counted]
        columns = [sum(row[i] for row in values) for i in range(len(counted))]
        total_row = bool(values) and all(s is None or s == t for s, t in zip(sums, columns, strict=True))
        values.append([s if s is not None else 0 for s in sums])
    position = {c: i for i, c in enumerate(counted)}
    row_sums = [(position[t], [position[m] for m in ms]) for t, ms in _sums_in(grid, counted)]
    cells = suppress_table(values, total_row=total_row, row_sums=row_sums, threshold=threshold) if values else []
    hidden_columns = set()
    if footer is not None and cells:
        hidden_columns = {counted[i] for i, cell in enumerate(cells[-1]) if cell.suppressed}

    def shown(line: Sequence[object], line_cells: list[Count], *, is_footer: bool) -> list[object]:
        hidden_here = any(cell.suppressed for cell in line_cells)
        out = list(line)
        for c in range(1, len(out)):
            value = out[c]
            if c in position and _is_count(value):
                cell = line_cells[position[c]]
                out[c] = str(cell) if cell.suppressed else value
            elif isinstance(value, float) and (hidden_here or c in hidden_columns):
                out[c] = f"<{threshold}" if not is_footer else value
        return out

    new_rows = [shown(grid[r], cells[r], is_footer=False)[: len(rows[r])] for r in range(len(grid))]
    new_footer = None
    if bottom is not None:
        new_footer = shown(bottom, cells[-1], is_footer=True)[: len(footer)]
    return new_rows, new_footer
