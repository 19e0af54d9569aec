"""Small counts are hidden, and so is whatever would let a reader work them out by subtraction."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from casework.domain.rate_ratios import Rate, rate_ratio
from casework.domain.suppression import (
    PRIMARY,
    SECONDARY,
    Cell,
    Difference,
    suppress,
    suppress_derived,
    suppress_stages,
)


def shown(table):
    return [[cell.shown for cell in row] for row in table.cells]


def margins(table):
    rows = [cell.shown for cell in table.row_totals] if table.row_totals else None
    columns = [cell.shown for cell in table.column_totals] if table.column_totals else None
    return rows, columns, table.grand_total.shown if table.grand_total else None


def test_one_small_count_hides_a_complement_in_its_row_which_hides_one_in_its_column():
    #           A    B    C  | total
    #   row 0   3   12   30  |  45     3 is fewer than 5: hidden (primary).
    #   row 1  40   50   60  | 150     Row 0 could then give 3 as 45 - 12 - 30, so its smallest
    #   row 2   9   10   45  |  64       other count, 12, is hidden too.
    #   ------------------------------ Column A could give 3 as 52 - 40 - 9: its smallest other,
    #   total  52   72  135  | 259       9, is hidden. Column B could give 12 as 72 - 50 - 10:
    #                                    10 is hidden. Row 2 now has two hidden counts: stable.
    table = suppress([[3, 12, 30], [40, 50, 60], [9, 10, 45]])
    assert shown(table) == [[None, None, 30], [40, 50, 60], [None, None, 45]]
    assert margins(table) == ([45, 150, 64], [52, 72, 135], 259)
    assert table.cells[0][0].suppressed_because == PRIMARY
    assert {table.cells[r][c].suppressed_because for r, c in [(0, 1), (2, 0), (2, 1)]} == {SECONDARY}


def test_a_count_alone_in_its_row_hides_its_row_total_and_another_row_to_protect_it():
    # One column: row 0's total is its one count (3), so the total is hidden too; the row totals
    # add up to the grand total (3 + 40 + 50 = 93), so the smallest other row total, 40, is
    # hidden, and with it the 40 in its row.
    table = suppress([[3], [40], [50]])
    assert shown(table) == [[None], [None], [50]]
    assert margins(table) == ([None, None, 50], [93], 93)


def test_a_count_given_away_by_adding_rows_and_subtracting_columns_is_protected_too():
    #           A   B   C   D   E
    #   row 0   1   1  22  23  24     Small counts (1 and 2) form two squares joined by row 1's 2
    #   row 1   1   1   2  28  29     at C: every row and column holds two of them, yet rows 0-1
    #   row 2  30  31   1   1  34     less columns A-B leaves that 2 alone:
    #   row 3  35  36   1   1  39       (71 + 61 - 22-23-24-28-29) - (107 + 110 - 30-31-35-36-40-41)
    #   row 4  40  41  42  43  44       = 6 - 4 = 2.
    #   So one more count beside it in row 1 (28, the smallest) is hidden, closing a loop.
    counts = [
        [1, 1, 22, 23, 24],
        [1, 1, 2, 28, 29],
        [30, 31, 1, 1, 34],
        [35, 36, 1, 1, 39],
        [40, 41, 42, 43, 44],
    ]
    table = suppress(counts)
    assert shown(table)[1] == [None, None, None, None, 29]
    assert table.cells[1][3].suppressed_because == SECONDARY
    assert margins(table) == ([71, 61, 97, 112, 210], [107, 110, 68, 96, 170], 551)


def test_without_row_totals_a_count_alone_in_its_row_needs_only_a_complement_in_its_column():
    table = suppress([[3], [40], [50]], row_totals=False)
    assert shown(table) == [[None], [None], [50]]
    assert margins(table) == (None, [93], None)


def test_a_funnel_without_row_totals_hides_nothing_to_protect_a_row_sum():
    # Stages eligible / offered per group: the column totals are published, the row sums are not.
    table = suppress([[3, 2], [40, 30], [50, 45]], row_totals=False)
    assert shown(table) == [[None, None], [None, None], [50, 45]]
    assert margins(table) == (None, [93, 77], None)


def test_small_totals_are_hidden_like_any_small_count():
    #           A   B | total
    #   row 0   2   1 |   3    all three fewer than 5
    #   row 1  30  40 |  70    column A would give 2 as 32 - 30: hide 30; column B likewise 40;
    #   total  32  41 |  73    and 3 = 73 - 70, so the row 1 total is hidden too.
    table = suppress([[2, 1], [30, 40]])
    assert shown(table) == [[None, None], [None, None]]
    assert margins(table) == ([None, None], [32, 41], 73)
    assert table.row_totals[0].suppressed_because == PRIMARY
    assert table.row_totals[1].suppressed_because == SECONDARY


@pytest.mark.parametrize(
    ("threshold", "hidden"),
    [
        (1, set()),  # only zero would be hidden; nothing is zero
        (3, set()),  # 3 is not fewer than 3
        (4, {(0, 0), (0, 1), (1, 0), (1, 1)}),  # 3 hidden: complements 7, then 20 and 25
        (8, {(0, 0), (0, 1), (1, 0), (1, 1)}),  # 3 and 7 hidden: 20 and 25 complete the square
        (21, {(0, 0), (0, 1), (1, 0), (1, 1)}),  # 3, 7 and 20 hidden: 25 completes the square
        (41, {(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)}),  # 40 hidden too: 45 beside it
    ],
)
def test_the_threshold_is_the_schemes_to_choose(threshold, hidden):
    table = suppress([[3, 7, 60], [20, 25, 80], [40, 45, 90]], threshold=threshold)
    assert {(r, c) for r, row in enumerate(table.cells) for c, cell in enumerate(row) if cell.hidden} == hidden


def test_the_default_threshold_is_five():
    table = suppress([[4, 50, 60], [5, 70, 80], [50, 60, 70]])
    assert table.cells[0][0].suppressed_because == PRIMARY
    assert table.cells[1][0].suppressed_because == SECONDARY  # the smallest complement in column A


def test_zero_is_hidden_unless_the_table_says_its_zeros_tell_nothing():
    counts = [[0, 50, 60], [30, 70, 80], [40, 60, 70]]
    assert suppress(counts).cells[0][0].hidden
    assert not any(cell.hidden for row in suppress(counts, hide_zeros=False).cells for cell in row)


def test_where_zeros_are_shown_a_zero_is_never_chosen_to_protect_a_small_count():
    # Row 0 is 3 + 0 + 50 = 53. Hiding the 0 beside the 3 would protect nothing, since readers
    # know where the zeros are; the 50 is hidden instead.
    table = suppress([[3, 0, 50], [30, 20, 80], [40, 60, 70]], hide_zeros=False)
    assert shown(table)[0] == [None, 0, None]


def test_a_table_of_large_counts_hides_nothing():
    table = suppress([[5, 50, 60], [30, 70, 80], [40, 60, 700]])
    assert shown(table) == [[5, 50, 60], [30, 70, 80], [40, 60, 700]]
    assert margins(table) == ([115, 180, 800], [75, 180, 840], 1095)


def test_a_threshold_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        suppress([[1]], threshold=0)


def test_a_rate_from_a_hidden_count_is_hidden_too():
    offered, eligible = Cell(3, PRIMARY), Cell(40)
    assert suppress_derived(3 / 40, offered, eligible) is None
    assert suppress_derived(30 / 40, Cell(30), eligible) == pytest.approx(0.75)
    assert suppress_derived(0.6, Cell(12), Cell(40, SECONDARY)) is None


def test_a_rate_ratio_from_a_hidden_count_is_hidden_too():
    # Offered out of eligible: the group's 3 offered is hidden, so its ratio to the reference is.
    table = suppress([[3, 40], [30, 60]], row_totals=False)
    (group_offered, group_eligible), (reference_offered, reference_eligible) = table.cells
    ratio = rate_ratio(Rate(3, 40), Rate(30, 60))
    cells = (group_offered, group_eligible, reference_offered, reference_eligible)
    assert suppress_derived(ratio, *cells) is None
    assert suppress_derived(ratio, *suppress([[12, 40], [30, 60]], row_totals=False).cells[0]) == ratio


def _additive_lines(table):
    """Each published row and column with its total last."""
    lines = []
    if table.row_totals:
        lines += [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    if table.column_totals:
        columns = zip(*table.cells, strict=True)
        lines += [[*column, total] for column, total in zip(columns, table.column_totals, strict=True)]
    if table.grand_total:
        lines.append([*table.row_totals, table.grand_total])
        lines.append([*table.column_totals, table.grand_total])
    return lines


def _rank(matrix):
    matrix, rank = [[Fraction(x) for x in row] for row in matrix], 0
    for column in range(len(matrix[0]) if matrix else 0):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column]:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def _worked_out(table):
    """Hidden counts the published rows and columns pin down when combined: a hidden count is
    pinned down when adding "it alone" to the equations the lines give does not raise their rank."""
    lines = _additive_lines(table)
    hidden = list({id(cell): cell for line in lines for cell in line if cell.hidden}.values())
    equations = [
        [(-1 if cell is line[-1] else 1) if any(cell is other for other in line) else 0 for cell in hidden]
        for line in lines
    ]
    equations = [row for row in equations if any(row)]
    rank = _rank(equations)
    alone = [[1 if j == i else 0 for j in range(len(hidden))] for i in range(len(hidden))]
    return [cell for cell, unit in zip(hidden, alone, strict=True) if _rank([*equations, unit]) == rank]


@pytest.mark.parametrize("seed", range(300))
def test_no_hidden_count_can_be_worked_out_by_subtraction_in_random_small_tables(seed):
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 5), rng.randint(1, 5)
    counts = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _ in range(columns)] for _ in range(rows)]
    threshold = rng.choice([3, 5, 10])
    row_totals, column_totals = rng.choice([(True, True), (False, True), (True, False)])
    table = suppress(counts, threshold=threshold, row_totals=row_totals, column_totals=column_totals)

    for line in _additive_lines(table):
        *cells, total = line
        hidden = [cell for cell in line if cell.hidden]
        # With the total visible and one cell hidden, total - visible cells gives that cell away;
        # with only the total hidden, the visible cells add up to it.
        assert len(hidden) != 1, (counts, threshold, [c.shown for c in cells], total.shown)
        assert sum(cell.count for cell in cells) == total.count
    assert not _worked_out(table), counts
    every = [cell for row in table.cells for cell in row]
    every += list(table.row_totals or ()) + list(table.column_totals or ())
    for cell in every:
        if cell.count < threshold:
            assert cell.suppressed_because == PRIMARY
        else:
            assert cell.suppressed_because in (None, SECONDARY)


@pytest.mark.parametrize("seed", range(300))
def test_no_hidden_count_can_be_worked_out_in_larger_tables_with_scattered_small_counts(seed):
    # Up to 8 x 8 with a third of the counts small: the shape (one block of hidden cells joined
    # to another by a single cell) that subtraction within one row or column misses.
    rng = random.Random(seed)
    rows, columns = rng.randint(2, 8), rng.randint(2, 8)
    counts = [[rng.choice([1, 2, 20, 30, 40, 50]) for _ in range(columns)] for _ in range(rows)]
    table = suppress(counts)
    assert not _worked_out(table), counts
    assert all(len([cell for cell in line if cell.hidden]) != 1 for line in _additive_lines(table))


# ---- stages: rows of nested counts, whose differences are counts of people too ----------------

NOT_OFFERED = Difference(0, (1,))  # eligible less offered


def test_a_small_difference_hides_a_count_in_its_row_and_the_column_then_hides_another():
    #            eligible  offered   not offered (never shown)
    #   group A     40        38        2  fewer than 5: 40 and 38 would give it away, so the
    #   group B     50        30       20    smaller, 38, is hidden; the offered column could then
    #   group C     60        45       15    give 38 as 113 - 30 - 45, so its smallest other, 30,
    #   all        150       113             is hidden too. Group B's 20 not offered is not small.
    table = suppress_stages([[40, 38], [50, 30], [60, 45]], differences=[NOT_OFFERED])
    assert shown(table) == [[40, None], [50, None], [60, 45]]
    assert margins(table) == (None, [150, 113], None)
    assert table.cells[0][1].suppressed_because == SECONDARY
    # Now A's offered is one of two unknowns adding up to 68 (113 - 45): A's 2 cannot be worked out.


def test_a_stage_everyone_in_a_group_reached_is_hidden_as_one_no_one_reached_would_be():
    # Group A: all 20 eligible were offered (a difference of 0), which says so of each of them.
    counts = [[20, 20], [40, 30], [50, 45]]
    assert shown(suppress_stages(counts, differences=[NOT_OFFERED])) == [[20, None], [40, None], [50, 45]]
    # A difference that no table reads as a rate may say "none" without pointing at anyone.
    assert shown(suppress_stages(counts, differences=[Difference(0, (1,), hide_zero=False)])) == counts


def test_one_hidden_count_serves_every_stage_table_it_appears_in():
    #            gate  eligible  offered
    #   group A   30      28       20     2 not eligible: 28 is hidden (smaller than 30), so the
    #   group B   45      40       35       eligibility table's "reached" and the offer table's
    #   group C   50      44       30       "base" both show [c] for group A; the column then hides
    #                                       B's 40. 28 - 20 = 8 not offered needs nothing more.
    differences = [Difference(0, (1,)), Difference(1, (2,))]
    table = suppress_stages([[30, 28, 20], [45, 40, 35], [50, 44, 30]], differences=differences)
    assert shown(table) == [[30, None, 20], [45, None, 35], [50, 44, 30]]


def test_small_stage_counts_and_small_totals_are_hidden_like_any_small_count():
    table = suppress_stages([[3, 2], [40, 30], [50, 45]], differences=[NOT_OFFERED])
    assert shown(table) == [[None, None], [None, None], [50, 45]]
    assert table.cells[0][0].suppressed_because == PRIMARY
    assert margins(table) == (None, [93, 77], None)
    # Three people in the whole cohort: the total row's 3 is hidden, and so the one group's too.
    assert margins(suppress_stages([[3, 3]], differences=[NOT_OFFERED])) == (None, [None, None], None)


def test_a_stage_table_refuses_what_suppress_refuses():
    with pytest.raises(ValueError):
        suppress_stages([[1, 2]], differences=[], threshold=0)
    with pytest.raises(ValueError):
        suppress_stages([[1, 2], [3]], differences=[])
    assert suppress_stages([], differences=[NOT_OFFERED]).cells == ()


def _pinned_in_stages(table, differences, threshold):
    """Hidden counts, and small differences, that the published columns pin down: each column says
    its hidden counts add up to a known number; a sum of counts is pinned when adding it to those
    equations does not raise their rank."""
    rows = [*table.cells, table.column_totals]
    hidden = [(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if cell.hidden]
    equations = []
    for c in range(len(table.column_totals)):
        equation = [(-1 if r == len(rows) - 1 else 1) if place[1] == c else 0 for place in hidden for r in [place[0]]]
        if any(equation):
            equations.append(equation)
    rank = _rank(equations)
    pinned = [place for place in hidden if _rank([*equations, [int(p == place) for p in hidden]]) == rank]
    for r, row in enumerate(table.cells):
        counts = [cell.count for cell in row]
        for difference in differences:
            left = difference.of(counts)
            if left >= threshold or (left == 0 and not difference.hide_zero):
                continue
            sign = {difference.whole: 1, **{part: -1 for part in difference.parts}}
            unknown = [sign.get(c, 0) if p[0] == r else 0 for p in hidden for c in [p[1]]]
            if not any(unknown) or _rank([*equations, unknown]) == rank:
                pinned.append((r, difference))
    return pinned


@pytest.mark.parametrize("seed", range(300))
def test_no_hidden_count_or_small_difference_can_be_worked_out_in_random_funnels(seed):
    # Groups counted at four nested stages (gate, eligible, offered, accepted), each table's
    # complement protected, and one difference across tables (gate less offered) only when small.
    rng = random.Random(seed)
    threshold = rng.choice([3, 5, 10])
    counts = []
    for _ in range(rng.randint(1, 6)):
        row = [rng.choice([0, 1, 3, 6, 12, 30, 60])]
        for _ in range(3):
            row.append(max(0, row[-1] - rng.choice([0, 0, 1, 2, 4, 8, 20])))
        counts.append(row)
    differences = [Difference(0, (1,)), Difference(1, (2,)), Difference(2, (3,)), Difference(0, (2,), hide_zero=False)]
    table = suppress_stages(counts, differences=differences, threshold=threshold)
    assert not _pinned_in_stages(table, differences, threshold), (counts, threshold)
    for row in [*table.cells, table.column_totals]:
        for cell in row:
            assert cell.hidden if cell.count < threshold else cell.suppressed_because in (None, SECONDARY)
