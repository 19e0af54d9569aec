"""Text a spreadsheet would run as a formula, made inert (CSV injection, LESSONS.md), for every CSV
the product writes: report tables and the evaluators' export."""

from __future__ import annotations

# A cell starting with one of these is a formula to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(field: str) -> str:
    """The field with a leading apostrophe if a spreadsheet would run it; a negative number is data."""
    if field.startswith(FORMULA_STARTS) and not _is_number(field):
        return "'" + field
    return field


def _is_number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True
