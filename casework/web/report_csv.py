"""A report table as CSV a spreadsheet opens cleanly: UTF-8 with a byte-order mark (so Excel reads
the names right), plain numbers, a ratio's interval in columns of its own, the table's notes after
a blank row, and text that a spreadsheet would run as a formula made inert."""

from __future__ import annotations

import csv
import io

from casework.domain.report_tables import Ratio, Table, csv_cells
from casework.domain.spreadsheet_cells import inert


def table_csv(table: Table) -> str:
    ratio_columns = {
        index for index in range(len(table.headers)) if any(isinstance(row[index], Ratio) for row in table.rows)
    }
    header: list[str] = []
    for index, name in enumerate(table.headers):
        header.append(name)
        if index in ratio_columns:
            header += [f"{name}: lower 95% limit", f"{name}: upper 95% limit"]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in table.rows:
        fields: list[str] = []
        for index, cell in enumerate(row):
            values = csv_cells(cell)
            if index in ratio_columns and len(values) == 1:
                values += ["", ""]
            fields += values
        writer.writerow([inert(field) for field in fields])
    if table.notes:
        writer.writerow([])
        for note in table.notes:
            writer.writerow([inert(note)])
    return out.getvalue()
