"""Charts drawn from report tables: the picture agrees with the table, and says so in words."""

from __future__ import annotations

from casework.domain.report_tables import SUPPRESSED, Share, Table
from casework.web.charts import chart_for


def test_bars_are_as_long_as_their_figures_and_a_hidden_figure_draws_no_bar():
    table = Table(
        "t",
        "People at each step",
        ("Step", "People"),
        (("Started", 40), ("Eligible", 20), ("Signed", SUPPRESSED)),
        chart="bars",
    )
    chart = chart_for(table)
    started, eligible, signed = chart.bars
    assert eligible.width == started.width / 2
    assert signed.width == 0 and signed.text == "[c]"
    assert chart.description.endswith("Started: 40; Eligible: 20; Signed: [c].")


def test_a_trend_leaves_out_hidden_months_and_draws_shares_as_percentages():
    table = Table(
        "t",
        "Completion each month",
        ("Month", "Completed"),
        (("2026-09", Share(8, 10)), ("2026-10", SUPPRESSED), ("2026-11", Share(5, 10))),
        chart="trend",
    )
    chart = chart_for(table)
    (series,) = chart.series
    assert len(series.points) == 2  # October is hidden, not drawn as zero
    assert series.points[0][1] < series.points[1][1]  # 80% is higher up the chart than 50%
    assert "from 2026-09 to 2026-11" in chart.description


def test_a_table_without_a_chart_or_without_rows_draws_nothing():
    assert chart_for(Table("t", "c", ("A", "B"), (("x", 1),))) is None
    assert chart_for(Table("t", "c", ("A", "B"), (), chart="bars")) is None
