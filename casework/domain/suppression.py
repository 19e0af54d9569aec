"""Small-cell suppression for published tables (DOMAIN.md §8.3). A count of fewer than five people
can point at someone, so it is hidden (primary suppression); and because a table shows row and
column totals, a second cell in the same row or column is hidden too, so the first cannot be worked
out by subtraction (secondary, or complementary, suppression).

Zero is hidden like any other small count by default: "none of the 4 Arab people eligible were
offered" tells a reader something about each of the four. A table whose zeros are structural
(a stage that cannot happen) may pass `hide_zeros=False`.

No hidden count can be worked out exactly from the published numbers, whether by subtraction
within one row or column or by adding and subtracting several. Bounds are another matter: a reader
may still narrow a hidden count to a range (counts are never negative), which is not audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

THRESHOLD = 5

PRIMARY = "fewer than the threshold"
SECONDARY = "would let a hidden count be worked out"

T = TypeVar("T")


@dataclass(frozen=True)
class Cell:
    count: int
    suppressed_because: str | None = None

    @property
    def hidden(self) -> bool:
        return self.suppressed_because is not None

    @property
    def shown(self) -> int | None:
        """The count to publish, or None where the page shows a suppression mark."""
        return None if self.hidden else self.count


@dataclass(frozen=True)
class SuppressedTable:
    """`cells[row][column]`; a margin that is not published is None."""

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    column_totals: tuple[Cell, ...] | None
    grand_total: Cell | None


def suppress(
    counts: Sequence[Sequence[int]],
    *,
    threshold: int = THRESHOLD,
    hide_zeros: bool = True,
    row_totals: bool = True,
    column_totals: bool = True,
) -> SuppressedTable:
    """Suppress a table of counts whose published totals are the sums of its rows and columns.

    A funnel table with one row per ethnic group and one column per stage publishes column totals
    (everyone at a stage) but no row totals (a sum across stages means nothing): pass
    `row_totals=False`, and no cell is hidden to protect a total that is never shown.
    """
    if threshold < 1:
        raise ValueError("The suppression threshold must be at least 1")
    rows, columns = len(counts), len(counts[0]) if counts else 0
    if any(len(row) != columns for row in counts):
        raise ValueError("Every row of the table must have the same number of columns")
    # One grid with the totals in an extra row (index `rows`) and column (index `columns`).
    value = {(r, c): counts[r][c] for r in range(rows) for c in range(columns)}
    if row_totals:
        value.update({(r, columns): sum(counts[r]) for r in range(rows)})
    if column_totals:
        value.update({(rows, c): sum(row[c] for row in counts) for c in range(columns)})
    if row_totals and column_totals:
        value[(rows, columns)] = sum(map(sum, counts))

    reasons = {place: PRIMARY for place, count in value.items() if count < threshold and (count > 0 or hide_zeros)}
    lines = _additive_lines(value, rows, columns)
    while True:
        settled = False
        while not settled:
            settled = True
            for line in lines:
                hidden = [place for place in line if place in reasons]
                if len(hidden) == 1:
                    reasons[_complement(line, reasons, value, rows, columns, hide_zeros)] = SECONDARY
                    settled = False
        # Two hidden counts in every row and column can still leave one that adding some rows and
        # subtracting some columns works out (two blocks of hidden cells joined by a single cell).
        exposed = _worked_out_by_combining(lines, reasons)
        if exposed is None:
            break
        line = next(line for line in lines if exposed in line)
        visible = [place for place in value if place not in reasons]
        around = [place for place in line if place not in reasons] or visible
        reasons[_complement(around, reasons, value, rows, columns, hide_zeros)] = SECONDARY

    def cell(place):
        return Cell(value[place], reasons.get(place))

    return SuppressedTable(
        cells=tuple(tuple(cell((r, c)) for c in range(columns)) for r in range(rows)),
        row_totals=tuple(cell((r, columns)) for r in range(rows)) if row_totals else None,
        column_totals=tuple(cell((rows, c)) for c in range(columns)) if column_totals else None,
        grand_total=cell((rows, columns)) if row_totals and column_totals else None,
    )


def _additive_lines(value, rows, columns) -> list[list[tuple[int, int]]]:
    """Every published row and column with its total: each sums to its last place."""
    lines = []
    for r in range(rows + 1):
        line = [(r, c) for c in range(columns + 1) if (r, c) in value]
        if (r, columns) in value and len(line) > 1:
            lines.append(line)
    for c in range(columns + 1):
        line = [(r, c) for r in range(rows + 1) if (r, c) in value]
        if (rows, c) in value and len(line) > 1:
            lines.append(line)
    return lines


def _complement(line, reasons, value, rows, columns, hide_zeros) -> tuple[int, int]:
    """The smallest visible count in the line, losing as little as possible; a total only when no
    cell is left, since hiding a total hides what a reader most wants. Where zeros are shown as
    telling nothing, readers know where they are, so hiding one would protect nothing."""
    visible = [place for place in line if place not in reasons]
    protecting = [place for place in visible if hide_zeros or value[place] > 0] or visible

    def cost(place):
        is_total = place[0] == rows or place[1] == columns
        return (is_total, value[place], place)

    return min(protecting, key=cost)


def _worked_out_by_combining(lines, reasons) -> tuple[int, int] | None:
    """A hidden place whose count follows from the published rows and columns taken together.

    Each line says: its hidden counts add up to a known number. A hidden count is given away
    exactly when some sum of those equations mentions it alone, which is when a row of their
    reduced echelon form has that one entry and no other.
    """
    hidden = sorted(reasons)
    index = {place: i for i, place in enumerate(hidden)}
    equations = []
    for line in lines:
        row = [Fraction(0)] * len(hidden)
        for place in line:
            if place in index:
                row[index[place]] = Fraction(-1 if place == line[-1] else 1)
        if any(row):
            equations.append(row)
    for row in _reduced_echelon_form(equations):
        entries = [i for i, coefficient in enumerate(row) if coefficient]
        if len(entries) == 1:
            return hidden[entries[0]]
    return None


def _reduced_echelon_form(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    matrix = [row[:] for row in matrix]
    pivot_row = 0
    for column in range(len(matrix[0]) if matrix else 0):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [entry / lead for entry in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)]
        pivot_row += 1
    return matrix[:pivot_row]


@dataclass(frozen=True)
class Difference:
    """People a row of stage counts gives away without showing them: those counted in column
    `whole` less those in `parts` (eligible less offered: the eligible people not offered).

    `hide_zero` as for a count: a stage's complement of zero says that everyone in the group reached
    it, which tells a reader about each of them as "none did" would. A difference no table reads as
    a rate (accepted but never signed) is hidden only when it is a handful of people."""

    whole: int
    parts: tuple[int, ...]
    hide_zero: bool = True

    @property
    def columns(self) -> tuple[int, ...]:
        return (self.whole, *self.parts)

    def of(self, row: Sequence[int]) -> int:
        return row[self.whole] - sum(row[part] for part in self.parts)


def suppress_stages(
    counts: Sequence[Sequence[int]], *, differences: Sequence[Difference], threshold: int = THRESHOLD
) -> SuppressedTable:
    """Suppress a table whose rows are groups of people and whose columns are stages they reached
    (eligible, offered, ...), publishing a total row and no row totals.

    Stages nest, so a row's counts give away their differences: 40 eligible and 38 offered says 2
    were not offered. Each difference named is protected as a count is: where it is small, one of
    its counts is hidden, and the columns then hide a second count as usual.

    Only the columns add up, so the rule is exact: a hidden count can be worked out when it is the
    only one hidden in its column, and a difference when none of its counts is hidden (a hidden
    count in a column with another hidden cannot be told apart from it). Zeros are hidden.
    """
    if threshold < 1:
        raise ValueError("The suppression threshold must be at least 1")
    rows, columns = len(counts), len(counts[0]) if counts else 0
    if any(len(row) != columns for row in counts):
        raise ValueError("Every row of the table must have the same number of columns")
    value = {(r, c): counts[r][c] for r in range(rows) for c in range(columns)}
    value.update({(rows, c): sum(row[c] for row in counts) for c in range(columns)})
    reasons = {place: PRIMARY for place, count in value.items() if count < threshold}
    # The total row's differences are left to the table of the whole cohort that publishes them.
    protected = [
        (r, difference)
        for r in range(rows)
        for difference in differences
        if (left := difference.of(counts[r])) < threshold and (left > 0 or difference.hide_zero)
    ]
    lines = [[(r, c) for r in range(rows + 1)] for c in range(columns)]

    def cheapest(places):
        # A total only when nothing else is left; then the smallest count, losing as little as
        # possible; of equal counts the later stage, so a group's base stays readable.
        return min(places, key=lambda place: (place[0] == rows, value[place], -place[1], place[0]))

    while True:
        settled = False
        while not settled:
            settled = True
            for line in lines:
                if len([place for place in line if place in reasons]) == 1:
                    reasons[cheapest([place for place in line if place not in reasons])] = SECONDARY
                    settled = False
        exposed = next(
            ((r, difference) for r, difference in protected if not any((r, c) in reasons for c in difference.columns)),
            None,
        )
        if exposed is None:
            break
        r, difference = exposed
        reasons[cheapest([(r, c) for c in difference.columns])] = SECONDARY

    def cell(place):
        return Cell(value[place], reasons.get(place))

    return SuppressedTable(
        cells=tuple(tuple(cell((r, c)) for c in range(columns)) for r in range(rows)),
        row_totals=None,
        column_totals=tuple(cell((rows, c)) for c in range(columns)),
        grand_total=None,
    )


def suppress_derived(derived: T, *sources: Cell) -> T | None:
    """A rate or rate ratio worked out from a hidden count would give the count away: None then."""
    return None if any(source.hidden for source in sources) else derived
