"""Forgiving date entry: caseworkers type 1/1/26, 01.01.2026, 2026-01-01 or 1 Jan 2026."""

from __future__ import annotations

import re
from datetime import date, time

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{2}|\d{4})$")


# No date the service records falls outside these years. Beyond them a typing slip (or a hostile
# 31/12/9999) would reach date arithmetic that overflows at the end of year 9999.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199


class DateProblem(ValueError):
    """The message says what to type instead."""


def parse_date(text: str) -> date:
    """Day first, as written in England and Wales; two-digit years are 20xx."""
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    if not cleaned:
        raise DateProblem("Enter a date")
    if match := _ISO.match(cleaned):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NUMERIC.match(cleaned):
        day, month, year = (int(part) for part in match.groups())
    elif (match := _WORDS.match(cleaned)) and match.group(2) in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    else:
        raise DateProblem("Enter a real date, for example 27/3/2026")
    if year < 100:
        year += 2000
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateProblem("Enter a real date, for example 27/3/2026")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem("Enter a real date, for example 27/3/2026") from None


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str) -> time:
    """9am, 9.30am, 14:30, 1430 and noon/midday/midnight are all accepted."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in {"noon", "midday"}:
        return time(12, 0)
    if cleaned == "midnight":
        return time(0, 0)
    if re.fullmatch(r"\d{4}", cleaned):
        cleaned = f"{cleaned[:2]}:{cleaned[2:]}"
    match = _TIME.match(cleaned)
    if not match:
        raise DateProblem("Enter a real time, for example 9:30am or 14:30")
    hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if meridiem:
        if not 1 <= hour <= 12:
            raise DateProblem("Enter a real time, for example 9:30am or 14:30")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DateProblem("Enter a real time, for example 9:30am or 14:30")
    return time(hour, minute)
