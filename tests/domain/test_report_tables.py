"""Report tables: suppression applied before anyone sees a figure, and each kind of cell written as
the page and the CSV need it."""

from __future__ import annotations

from datetime import date

import pytest

from casework.domain.report_tables import (
    SUPPRESSED,
    Days,
    Ratio,
    Share,
    Table,
    counts_table,
    csv_cells,
    display,
    median_days,
    months_in,
    share_or_suppressed,
)


def test_a_small_count_and_the_one_that_would_give_it_away_are_both_hidden():
    table = counts_table(
        "t",
        "Offered by group",
        label_header="Group",
        labels=("A", "B", "C"),
        headers=("Offered",),
        counts=((40,), (3,), (25,)),
        threshold=5,
        column_totals=True,
    )
    # 3 is under 5; with the total shown, one other row must go too, or 68 - 40 - 25 gives it back.
    assert table.rows[1] == ("B", SUPPRESSED)
    assert [row[1] for row in table.rows].count(SUPPRESSED) == 2
    assert table.rows[-1] == ("All", 68)
    assert any("[c] means" in note for note in table.notes)


def test_nothing_hidden_means_no_note():
    table = counts_table("t", "c", label_header="Group", labels=("A",), headers=("N",), counts=((7,),), threshold=5)
    assert table.rows == (("A", 7),) and table.notes == ()


def test_row_totals_are_a_column_and_are_suppressed_with_the_rest():
    table = counts_table(
        "t",
        "c",
        label_header="Group",
        labels=("A", "B"),
        headers=("Yes", "No"),
        counts=((10, 2), (12, 20)),
        threshold=5,
        row_totals=True,
    )
    assert table.headers == ("Group", "Yes", "No", "Total")
    assert table.rows[0][2] is SUPPRESSED and table.rows[0][1] is SUPPRESSED  # 12 - 10 would give 2
    assert table.rows[1] == ("B", 12, 20, 32)


def test_a_share_of_a_hidden_count_is_hidden():
    assert share_or_suppressed(SUPPRESSED, 40) is SUPPRESSED
    assert share_or_suppressed(4, SUPPRESSED) is SUPPRESSED
    assert share_or_suppressed(10, 40) == Share(10, 40)


def test_a_median_of_fewer_people_than_the_threshold_is_hidden():
    assert median_days([3, 9, 1, 4, 10], threshold=5) == Days(4)
    assert median_days([3, 9, 1, 4, 10, 12], threshold=5) == Days(6.5)
    assert median_days([3, 9], threshold=5) is SUPPRESSED
    assert median_days([], threshold=5) == Days(None)


@pytest.mark.parametrize(
    ("cell", "page", "csv"),
    [
        (1234, "1,234", ["1234"]),
        (Share(1, 3), "33.3%", ["33.3"]),
        (Share(0, 0), "\N{EN DASH}", [""]),
        (Days(4.0), "4", ["4"]),
        (Days(6.5), "6.5", ["6.5"]),
        (Ratio(1.5, 0.9, 2.5), "1.50 (0.90 to 2.50)", ["1.500", "0.900", "2.500"]),
        (Ratio(2.0), "2.00 (no interval)", ["2.000", "", ""]),
        (SUPPRESSED, "[c]", ["[c]"]),
        (None, "\N{EN DASH}", [""]),
        ("White", "White", ["White"]),
    ],
)
def test_each_cell_on_the_page_and_in_the_csv(cell, page, csv):
    assert display(cell) == page
    assert csv_cells(cell) == csv


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        Table("t", "c", ("A", "B"), (("x",),))


def test_months_in_a_range_include_empty_ones_and_cross_the_year():
    assert months_in(date(2025, 11, 15), date(2026, 2, 1)) == ("2025-11", "2025-12", "2026-01", "2026-02")


def test_numeric_columns_ignore_dashes_and_hidden_figures():
    table = Table("t", "c", ("Group", "N", "Note"), (("A", 3, "x"), ("B", SUPPRESSED, None), ("C", None, "y")))
    assert table.numeric_columns == frozenset({1})


def test_a_table_may_show_its_zeros_when_none_is_the_figure_wanted():
    table = counts_table(
        "t",
        "c",
        label_header="Cases",
        labels=("Time-barred",),
        headers=("N",),
        counts=((0,),),
        threshold=1,
        hide_zeros=False,
    )
    assert table.rows == (("Time-barred", 0),)
