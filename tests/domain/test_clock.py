"""The one clock: London dates of UTC instants, either side of midnight and the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from casework.domain.clock import FixedClock, RunningClock, from_local, local_today, start_of_local_day

# 23:30 and 00:30 local time either side of both 2026 changes (29 March, 25 October), as UTC instants.
AROUND_THE_CHANGES = [
    (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 28)),  # 23:30 GMT, the night before spring
    (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29)),  # 00:30 GMT, the morning of the change
    (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), date(2026, 3, 29)),  # 23:30 BST on the day of the change
    (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 30)),  # 00:30 BST the next morning
    (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), date(2026, 10, 24)),  # 23:30 BST the night before autumn
    (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # 00:30 BST, the morning of the change
    (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # 23:30 GMT on the day of the change
    (datetime(2026, 10, 26, 0, 30, tzinfo=UTC), date(2026, 10, 26)),  # 00:30 GMT the next morning
]


@pytest.mark.parametrize(("instant", "london_date"), AROUND_THE_CHANGES)
def test_today_is_the_london_date_not_the_utc_date(instant, london_date):
    assert local_today(instant) == london_date


def test_a_typed_local_time_is_stored_as_the_right_utc_instant():
    assert from_local(date(2026, 7, 1), time(0, 30)) == datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert from_local(date(2026, 12, 1), time(0, 30)) == datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
    assert start_of_local_day(date(2026, 3, 30)) == datetime(2026, 3, 29, 23, 0, tzinfo=UTC)


def test_a_fixed_clock_stays_put_until_moved_and_refuses_a_naive_instant():
    clock = FixedClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    clock.advance(timedelta(hours=14, minutes=30))
    assert local_today(clock.now()) == date(2026, 11, 25)
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 11, 24, 10, 0))


def test_a_running_clock_starts_where_it_is_told_and_moves_forward():
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    clock = RunningClock(start)
    first, second = clock.now(), clock.now()
    assert start <= first <= second < start + timedelta(seconds=5)
