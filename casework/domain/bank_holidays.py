"""Bank holidays in England and Wales, from the GOV.UK list bundled with `govuk-bank-holidays`.

The bundled copy is read offline: police networks often block outbound calls, and a schedule must
not change because a download failed. Upgrading the package brings the new years; `known_until`
says how far the list runs, so the status page can warn before it runs out.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays


@cache
def _england_and_wales() -> frozenset[date]:
    source = BankHolidays(use_cached_holidays=True)
    return frozenset(entry["date"] for entry in source.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_bank_holiday(day: date) -> bool:
    return day in _england_and_wales()


def known_until() -> date:
    """The last day the list covers: the end of the year of its last bank holiday."""
    return date(max(_england_and_wales()).year, 12, 31)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """The day itself if people work on it, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
