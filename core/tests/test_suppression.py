"""Small-number suppression on hand-made tables: what is hidden, and that no total reveals a hidden count."""

from itertools import product

from core.suppression import THRESHOLD, Count, Sum, is_small, suppress, suppress_table, unsuppressed


def shown(table: list[list[Count]]) -> list[list[int | None]]:
    return [[cell.value for cell in row] for row in table]


def revealing_lines(table: list[list[Count]], lines: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Lines (cells that add up, the total last) with exactly one hidden cell: subtraction would reveal it."""
    return [line for line in lines if sum(1 for r, c in line if table[r][c].suppressed) == 1]


def test_it_shows_zero_and_counts_from_five():
    assert [is_small(n) for n in (0, 1, 4, 5, 12)] == [False, True, True, False, False]
    assert THRESHOLD == 5


def test_it_hides_small_counts_and_a_second_cell_in_the_same_row_and_column():
    # Two municipalities and their sum; columns new, old and their total.
    rows = [
        [3, 10, 13],
        [7, 9, 16],
        [10, 19, 29],
    ]
    table = suppress_table(rows, total_row=True, row_sums=[(2, [0, 1])])
    # The 3 is hidden; its row would reveal it through 10 (the smaller of 10 and 13), its column through 7.
    assert shown(table) == [
        [None, None, 13],
        [None, None, 16],
        [10, 19, 29],
    ]
    assert str(table[0][0]) == "<5"


def test_it_never_leaves_one_hidden_cell_in_a_line():
    rows = [
        [1, 6, 0, 7],
        [0, 8, 5, 13],
        [6, 2, 9, 17],
        [7, 16, 14, 37],
    ]
    table = suppress_table(rows, total_row=True, row_sums=[(3, [0, 1, 2])])
    lines = [[(r, 0), (r, 1), (r, 2), (r, 3)] for r in range(4)]
    lines += [[(0, c), (1, c), (2, c), (3, c)] for c in range(4)]
    assert revealing_lines(table, lines) == []
    # Every small count is hidden; the zeros stay.
    for r, c in product(range(4), range(4)):
        if is_small(rows[r][c]):
            assert table[r][c].suppressed
    assert table[0][2].value == 0 and table[1][0].value == 0


def test_a_small_total_is_hidden_with_its_only_count():
    # One ALIS in the county: the county's total is small, and its only municipality equal to it.
    values = {"county": 1, "bergen": 1, "os": 0}
    assert suppress(values, [Sum("county", ["bergen", "os"])]) == {"county", "bergen"}


def test_it_hides_the_total_when_no_other_count_can_be():
    values = {"total": 3, "only": 3}
    assert suppress(values, [Sum("total", ["only"])]) == {"total", "only"}
    values = {"total": 9, "a": 2, "b": 7}
    assert suppress(values, [Sum("total", ["a", "b"])]) == {"a", "b"}


def test_secondary_suppression_spreads_across_lines_until_none_reveals():
    # A hierarchy: the country = two offices; each office = its two counties.
    values = {"norge": 40, "vest": 22, "nord": 18, "vestland": 3, "rogaland": 19, "nordland": 10, "troms": 8}
    sums = [
        Sum("norge", ["vest", "nord"]),
        Sum("vest", ["vestland", "rogaland"]),
        Sum("nord", ["nordland", "troms"]),
    ]
    hidden = suppress(values, sums)
    # Vestland (3) is small; within Vest, Rogaland is the only other count, so it goes too.
    assert hidden == {"vestland", "rogaland"}
    for s in sums:
        assert sum(1 for key in [*s.members, s.total] if key in hidden) != 1


def test_hierarchical_groups_in_one_table():
    # Rows: country, office, two counties (one column).
    rows = [[12], [12], [2], [10]]
    table = suppress_table(rows, groups=[(0, [1]), (1, [2, 3])])
    assert shown(table) == [[12], [12], [None], [None]]


def test_it_leaves_a_table_without_small_counts_alone():
    rows = [[5, 6, 11], [0, 9, 9], [5, 15, 20]]
    assert shown(suppress_table(rows, total_row=True, row_sums=[(2, [0, 1])])) == rows


def test_unsuppressed_shows_everything():
    assert shown(unsuppressed([[1, 2]])) == [[1, 2]]
    assert not any(cell.suppressed for cell in unsuppressed([[1, 2]])[0])


def test_the_threshold_can_be_set():
    table = suppress_table([[2, 8, 10]], row_sums=[(2, [0, 1])], threshold=3)
    assert shown(table) == [[None, None, 10]]
    assert str(table[0][0]) == "<3"
