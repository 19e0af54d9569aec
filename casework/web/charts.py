"""Charts drawn on the server as SVG (issue 12): they need no JavaScript, print as they look, and
carry a text alternative. Each chart is drawn from a report `Table` the page also shows, so the
table is the chart's long description and the chart never says something the table does not.

Only geometry is worked out here; templates/reports/_chart.html writes the SVG."""

from __future__ import annotations

from dataclasses import dataclass

from casework.domain.report_tables import Cell, Days, Share, Table, display

WIDTH = 640
BAR_HEIGHT = 28
BAR_GAP = 10
LABEL_WIDTH = 200
VALUE_WIDTH = 80
TREND_HEIGHT = 240
TREND_MARGIN = 40
# GOV.UK colours that keep 3:1 contrast against white and each other's neighbours (WCAG 1.4.11).
SERIES_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#505a5f")


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as the table shows it, "[c]" when hidden
    y: float
    width: float  # 0 when hidden or nothing


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: tuple[Bar, ...]
    height: float
    label_width: int = LABEL_WIDTH
    plot_width: int = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    kind: str = "bars"


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    dash: str  # a line style as well as a colour, so the series differ without colour (WCAG 1.4.1)
    points: tuple[tuple[float, float], ...]  # shown values only; a hidden month breaks nothing


@dataclass(frozen=True)
class TrendChart:
    title: str
    description: str
    series: tuple[Series, ...]
    ticks: tuple[tuple[float, str], ...]  # x position and the period's label
    axis: tuple[tuple[float, str], ...]  # y position and the value's label
    height: int = TREND_HEIGHT + 2 * TREND_MARGIN
    width: int = WIDTH
    kind: str = "trend"


def chart_for(table: Table) -> BarChart | TrendChart | None:
    if table.chart == "bars" and table.rows:
        return _bars(table)
    if table.chart == "trend" and table.rows:
        return _trend(table)
    return None


def _value(cell: Cell) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    if isinstance(cell, Share) and cell.value is not None:
        return cell.value * 100
    if isinstance(cell, Days):
        return cell.value
    return None


def _bars(table: Table) -> BarChart:
    column = 1
    values = [_value(row[column]) for row in table.rows]
    largest = max((value for value in values if value is not None), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = tuple(
        Bar(
            label=str(row[0]),
            text=display(row[column]),
            y=index * (BAR_HEIGHT + BAR_GAP),
            width=0 if value is None else plot * value / largest,
        )
        for index, (row, value) in enumerate(zip(table.rows, values, strict=True))
    )
    summary = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return BarChart(
        title=table.caption,
        description=f"Bar chart of {table.headers[column].lower()} by {table.headers[0].lower()}. {summary}.",
        bars=bars,
        height=len(bars) * (BAR_HEIGHT + BAR_GAP),
    )


def _trend(table: Table) -> TrendChart:
    shown = range(1, len(table.headers))
    columns = [index for index in shown if any(_value(row[index]) is not None for row in table.rows)]
    largest = max((_value(row[index]) or 0 for row in table.rows for index in columns), default=0) or 1
    periods = len(table.rows)
    step = (WIDTH - 2 * TREND_MARGIN) / max(periods - 1, 1)

    def x(position: int) -> float:
        return TREND_MARGIN + position * step

    def y(value: float) -> float:
        return TREND_MARGIN + TREND_HEIGHT * (1 - value / largest)

    series = []
    for number, index in enumerate(columns):
        points = tuple(
            (x(position), y(value))
            for position, row in enumerate(table.rows)
            if (value := _value(row[index])) is not None
        )
        series.append(
            Series(
                label=table.headers[index],
                colour=SERIES_COLOURS[number % len(SERIES_COLOURS)],
                dash=("none", "6 4", "2 3", "10 3 2 3")[number % 4],
                points=points,
            )
        )
    # Label at most about eight periods so the labels never overlap.
    every = max(1, -(-periods // 8))
    ticks = tuple((x(position), str(row[0])) for position, row in enumerate(table.rows) if position % every == 0)
    axis = tuple((y(largest * share), _axis_label(largest * share)) for share in (0, 0.5, 1))
    first, last = str(table.rows[0][0]), str(table.rows[-1][0])
    return TrendChart(
        title=table.caption,
        description=(
            f"Line chart of {', '.join(s.label.lower() for s in series)} for each "
            f"{table.headers[0].lower()} from {first} to {last}. The table gives every figure."
        ),
        series=tuple(series),
        ticks=ticks,
        axis=axis,
    )


def _axis_label(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or float(value).is_integer() else f"{value:.1f}"
