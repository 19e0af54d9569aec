"""When a reminder may go, and what the scheme may set as reminder times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from casework.domain.notifications import MAX_ATTEMPTS, retry_after
from casework.domain.reminders import parse_hours, sendable

AT = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "hours"),
    [("48,2", (48, 2)), ("2, 48", (48, 2)), ("24h", (24,)), (" 72 , 24, 2 ", (72, 24, 2))],
)
def test_reminder_times_are_read_forgivingly(text, hours):
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the hours"),
        ("two", "whole numbers"),
        ("0", "from 1 to 168"),
        ("200", "from 1 to 168"),
        ("2,2", "once"),
        ("1,2,3,4,5", "at most 4"),
    ],
)
def test_impossible_reminder_times_are_refused_with_a_reason(text, message):
    with pytest.raises(ValueError, match=message):
        parse_hours(text)


@pytest.mark.parametrize(
    ("hours_before", "now", "expected"),
    [
        (48, AT - timedelta(hours=48, seconds=1), False),  # not yet due
        (48, AT - timedelta(hours=48), True),
        (48, AT - timedelta(hours=36), True),  # 12 hours late: the most allowed
        (48, AT - timedelta(hours=35, minutes=59), False),
        (48, AT - timedelta(hours=3), False),  # a check-in booked 3 hours ahead
        (2, AT - timedelta(hours=1), True),
        (2, AT - timedelta(minutes=59), False),  # more than half its lead time late
        (2, AT, False),  # the check-in has started
    ],
)
def test_a_reminder_goes_when_due_and_never_uselessly_late(hours_before, now, expected):
    assert sendable(AT, hours_before, now) is expected


def test_retries_wait_longer_each_time_then_stop():
    waits = [retry_after(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits[:-1] == sorted(waits[:-1]) and waits[-1] is None
    minutes = [int(wait.total_seconds() // 60) for wait in waits[:-1]]
    assert (minutes, MAX_ATTEMPTS) == ([1, 5, 15, 60, 240], 6)
