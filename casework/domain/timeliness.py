"""How long the steps of a case took (DOMAIN.md §3.3, §8.2), counted in the days people count.

Days run between London dates: a step recorded at 00:30 in London in summer belongs to that day,
though it is still the day before in UTC. Working days leave out weekends and bank holidays in England
and Wales (domain.time_limits), and first contact is on time by the same rule as the overdue flag
(domain.flags), so the report and the flags a supervisor sees agree about any one case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from casework.domain import flags, time_limits
from casework.domain.clock import local_today


def days_between(start: datetime, end: datetime) -> int:
    """Calendar days from the London date of one instant to the London date of another."""
    return (local_today(end) - local_today(start)).days


def days_from(start: datetime, end: date) -> int:
    """Calendar days from the London date of an instant to a date (a charge date, a deadline)."""
    return (end - local_today(start)).days


def working_days_between(start: datetime, end: datetime) -> int:
    """Working days after the London date of `start`, up to and including that of `end`."""
    return time_limits.working_days_between(local_today(start), local_today(end))


def first_contact_on_time(offered: datetime, contacted: datetime, target_working_days: int) -> bool:
    """Contact on or before the last day of the target, counted from the day the offer was accepted.

    A contact on a Saturday after a target that ended on the Friday is late, as the flag says, even
    though no working day has passed since."""
    return local_today(contacted) <= flags.first_contact_due_on(local_today(offered), target_working_days)


def nearest_rank(values: Sequence[float], percent: int) -> float:
    """The smallest value that `percent`% of the values are at or below (the nearest-rank
    percentile): a wait someone actually had, so "9 in 10 waited this long or less" says what it
    means. Worked in whole numbers: 10% of 70 must be the 7th value, not the 8th by a rounding error."""
    if not values:
        raise ValueError("no values")
    if not 0 < percent <= 100:
        raise ValueError("a percentile is above 0 and at most 100")
    ordered = sorted(values)
    rank = -(-percent * len(ordered) // 100)
    return ordered[rank - 1]


def month_of(instant: datetime) -> str:
    """The London month of an instant, as the report's trend rows name it ("2026-10")."""
    day = local_today(instant)
    return f"{day.year:04d}-{day.month:02d}"
