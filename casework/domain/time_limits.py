"""Clocks: the statutory charge deadline, working days, contract terms (DOMAIN.md §3.3, §3.4)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum

from casework.domain.bank_holidays import is_working_day


def add_months(day: date, months: int) -> date:
    """Calendar months, landing on the last day of a shorter month (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_charge_date(last_offence_date: date, *, s127_applies: bool) -> date | None:
    """MCA 1980 s.127: six months from the (last) offence date, one day earlier to be safe
    until legal advice settles the day-counting convention. None when s.127 does not apply."""
    if not s127_applies:
        return None
    return add_months(last_offence_date, 6) - timedelta(days=1)


def decision_deadline(latest_charge: date | None, *, margin_days: int) -> date | None:
    """Leaves the file-preparation margin before the charge deadline."""
    return latest_charge - timedelta(days=margin_days) if latest_charge else None


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


class DeadlineBand(StrEnum):
    NONE = "none"
    WITHIN_28 = "within_28"
    WITHIN_14 = "within_14"
    WITHIN_7 = "within_7"
    PASSED = "passed"


def days_until(deadline: date | None, today: date) -> int | None:
    return (deadline - today).days if deadline else None


def deadline_band(deadline: date | None, today: date) -> DeadlineBand:
    """Warnings at 28, 14 and 7 days before the decision deadline (DOMAIN.md §3.4)."""
    remaining = days_until(deadline, today)
    if remaining is None or remaining > 28:
        return DeadlineBand.NONE
    if remaining < 0:
        return DeadlineBand.PASSED
    if remaining <= 7:
        return DeadlineBand.WITHIN_7
    return DeadlineBand.WITHIN_14 if remaining <= 14 else DeadlineBand.WITHIN_28


def offence_age_months_exceeded(offence_date: date, offer_date: date, max_months: int) -> bool:
    """ "Less than three months before the offer": exactly three calendar months old is too old."""
    return offer_date >= add_months(offence_date, max_months)


def contract_end_date(start: date, *, months: int = 0, weeks: int = 0) -> date:
    return add_months(start, months) + timedelta(weeks=weeks)


def latest_safe_start(latest_charge: date, *, months: int, margin_days: int) -> date:
    """The last day a standard term can start and still end, with the file-preparation margin,
    by the latest charge date. A term that starts later needs a supervisor to accept the risk."""
    start = add_months(latest_charge - timedelta(days=margin_days), -months) + timedelta(days=3)
    while contract_end_date(start, months=months) + timedelta(days=margin_days) > latest_charge:
        start -= timedelta(days=1)
    return start
