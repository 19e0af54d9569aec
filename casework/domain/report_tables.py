"""A report's figures as tables. The page, its CSV download and its chart are all drawn from the
same `Table`, so what a panel reads on screen, what an analyst downloads and what the chart shows
cannot disagree. Cells are typed so each form can write them its own way (a share is "45.0%" on the
page and 45.0 in the CSV) and so suppression is a kind of cell, not a string someone must remember."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from casework.domain.suppression import suppress


class _Suppressed(Enum):
    """A count hidden because it is small, or because a small one could be worked out from it."""

    CELL = "[c]"

    def __str__(self) -> str:
        return self.value


SUPPRESSED = _Suppressed.CELL
# Shown where there is nothing to measure (GOV.UK tables use a dash rather than an empty cell).
NOTHING = "\N{EN DASH}"
SUPPRESSED_NOTE = (
    "[c] means the figure is not shown: fewer than {threshold} people, or a figure from which a "
    "number that small could be worked out."
)


@dataclass(frozen=True)
class Share:
    """A proportion, kept with its base so the page can say "12 of 40"."""

    count: int
    of: int

    @property
    def value(self) -> float | None:
        return self.count / self.of if self.of else None


@dataclass(frozen=True)
class Days:
    """A number of days (a median or a margin); None when there is nothing to measure."""

    value: float | None


@dataclass(frozen=True)
class Ratio:
    """A rate ratio with its 95% confidence interval; the interval is None where it cannot be worked out."""

    value: float | None
    low: float | None = None
    high: float | None = None


Cell = int | str | Share | Days | Ratio | _Suppressed | None


@dataclass(frozen=True)
class Table:
    """One table: `rows[i][0]` is the row's header, the rest line up with `headers[1:]`.

    `key` names the CSV download (`<report>-<key>.csv`) and is unique within a report. `chart` says
    how the page may draw the table beside it: "bars" (one bar per row, from the first numeric
    column) or "trend" (one line per column over the rows, which are periods), or None."""

    key: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    chart: str | None = None

    @property
    def numeric_columns(self) -> frozenset[int]:
        """Columns (after the first) whose every figure is a number, right-aligned on the page as
        GOV.UK numeric columns are; a dash for nothing or "[c]" does not make a column text."""
        return frozenset(
            index
            for index in range(1, len(self.headers))
            if all(is_numeric(row[index]) or row[index] is None or row[index] == NOTHING for row in self.rows)
        )

    def widened(self, headers: tuple[str, ...], rows, notes: tuple[str, ...] = ()) -> Table:
        """The same table with more columns: `rows` are whole rows, the new cells at their ends."""
        return Table(self.key, self.caption, (*self.headers, *headers), tuple(rows), (*self.notes, *notes), self.chart)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"table {self.key}: a row has {len(row)} cells for {len(self.headers)} headers")


@dataclass(frozen=True)
class Report:
    """A whole report: its tables in the order the page shows them, and any lines said above them."""

    key: str
    title: str
    tables: tuple[Table, ...]
    summary: tuple[str, ...] = field(default=())

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def display(cell: Cell) -> str:
    """A cell as the page shows it."""
    if cell is None:
        return NOTHING
    if isinstance(cell, _Suppressed):
        return cell.value
    if isinstance(cell, bool):
        return "Yes" if cell else "No"
    if isinstance(cell, int):
        return f"{cell:,}"
    if isinstance(cell, Share):
        return NOTHING if cell.value is None else f"{cell.value * 100:.1f}%"
    if isinstance(cell, Days):
        return NOTHING if cell.value is None else _number(cell.value)
    if isinstance(cell, Ratio):
        if cell.value is None:
            return NOTHING
        if cell.low is None or cell.high is None:
            return f"{cell.value:.2f} (no interval)"
        return f"{cell.value:.2f} ({cell.low:.2f} to {cell.high:.2f})"
    return str(cell)


def csv_cells(cell: Cell) -> list[str]:
    """A cell as one or more CSV fields: plain numbers a spreadsheet can sum (no thousands commas or
    percent signs); a ratio spreads over three fields, its value and interval."""
    if cell is None:
        return [""]
    if isinstance(cell, _Suppressed):
        return [cell.value]
    if isinstance(cell, bool):
        return ["yes" if cell else "no"]
    if isinstance(cell, int):
        return [str(cell)]
    if isinstance(cell, Share):
        return [""] if cell.value is None else [f"{cell.value * 100:.1f}"]
    if isinstance(cell, Days):
        return [""] if cell.value is None else [_number(cell.value)]
    if isinstance(cell, Ratio):
        return [_optional(cell.value), _optional(cell.low), _optional(cell.high)]
    return [str(cell)]


def is_numeric(cell: Cell) -> bool:
    """Right-aligned on the page (GOV.UK numeric cells)."""
    return not isinstance(cell, str) and cell is not None


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _optional(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def counts_table(
    key: str,
    caption: str,
    *,
    label_header: str,
    labels: tuple[str, ...],
    headers: tuple[str, ...],
    counts: tuple[tuple[int, ...], ...],
    threshold: int,
    row_totals: bool = False,
    column_totals: bool = False,
    hide_zeros: bool = True,
    notes: tuple[str, ...] = (),
    chart: str | None = None,
) -> Table:
    """A table of counts of people, suppressed (DOMAIN.md §8.3) before anyone sees it: the page and
    the CSV both get `[c]` where a small count, or one that would give a small count away, was.
    Totals are added as a last column ("Total") and a last row ("All") when asked for, and are
    suppressed with the rest."""
    if not counts:
        return Table(key, caption, (label_header, *headers), (), notes, chart)
    result = suppress(
        counts, threshold=threshold, hide_zeros=hide_zeros, row_totals=row_totals, column_totals=column_totals
    )

    def shown(cell) -> Cell:
        return SUPPRESSED if cell.hidden else cell.count

    rows = []
    for index, label in enumerate(labels):
        row = [label, *(shown(cell) for cell in result.cells[index])]
        if result.row_totals is not None:
            row.append(shown(result.row_totals[index]))
        rows.append(tuple(row))
    if result.column_totals is not None:
        total_row = ["All", *(shown(cell) for cell in result.column_totals)]
        if result.grand_total is not None:
            total_row.append(shown(result.grand_total))
        rows.append(tuple(total_row))
    all_headers = (label_header, *headers, *(("Total",) if row_totals else ()))
    hidden = any(cell is SUPPRESSED for row in rows for cell in row)
    notes = (*notes, SUPPRESSED_NOTE.format(threshold=threshold)) if hidden else notes
    return Table(key, caption, all_headers, tuple(rows), notes, chart)


def share_or_suppressed(count: Cell, of: Cell) -> Cell:
    """A share whose count or base is hidden would give it away: hidden too."""
    if isinstance(count, _Suppressed) or isinstance(of, _Suppressed):
        return SUPPRESSED
    assert isinstance(count, int) and isinstance(of, int)
    return Share(count, of)


def sum_or_suppressed(*cells: Cell) -> Cell:
    """A base made of several shown figures; hidden if any part is, since a share of it would give
    that part away."""
    if any(cell is SUPPRESSED for cell in cells):
        return SUPPRESSED
    return sum(int(cell or 0) for cell in cells)  # type: ignore[arg-type]


def median_days(values: list[float], *, threshold: int) -> Cell:
    """The median of a list of day counts, hidden when fewer people than the threshold make it
    (a median of two is an average of two people's days); no value when there are none."""
    if not values:
        return Days(None)
    if len(values) < threshold:
        return SUPPRESSED
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Days(median)


def months_in(first_day: date, last_day: date) -> tuple[str, ...]:
    """Every month the range touches, as "2026-10", so a month with no cases shows as none."""
    months, year, month = [], first_day.year, first_day.month
    while (year, month) <= (last_day.year, last_day.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)
