"""Report tables as CSV: what a spreadsheet needs, and nothing it would run."""

from __future__ import annotations

import csv
import io

from casework.domain.report_tables import SUPPRESSED, Ratio, Share, Table
from casework.web.report_csv import table_csv


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # so Excel reads UTF-8 names right
    return list(csv.reader(io.StringIO(text[1:])))


def test_a_ratio_spreads_over_its_interval_columns_and_notes_follow_a_blank_row():
    table = Table(
        "t",
        "Offer by group",
        ("Group", "Offered", "Rate ratio"),
        (("White", 40, Ratio(1.0)), ("Asian", 12, Ratio(0.8, 0.5, 1.3)), ("Mixed", SUPPRESSED, None)),
        notes=("[c] means hidden.",),
    )
    assert _rows(table_csv(table)) == [
        ["Group", "Offered", "Rate ratio", "Rate ratio: lower 95% limit", "Rate ratio: upper 95% limit"],
        ["White", "40", "1.000", "", ""],
        ["Asian", "12", "0.800", "0.500", "1.300"],
        ["Mixed", "[c]", "", "", ""],
        [],
        ["[c] means hidden."],
    ]


def test_text_a_spreadsheet_would_run_as_a_formula_is_made_inert_but_numbers_are_not():
    table = Table(
        "t", "c", ("Case", "Rationale", "Share"), (("=HYPERLINK(1)", "@SUM(A1)", Share(1, 2)), ("-12", "+x", 3))
    )
    rows = _rows(table_csv(table))
    assert rows[1] == ["'=HYPERLINK(1)", "'@SUM(A1)", "50.0"]
    assert rows[2] == ["-12", "'+x", "3"]
