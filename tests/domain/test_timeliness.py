"""Days between the steps of a case, counted on London dates, in working days where the target is."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from casework.domain.clock import from_local
from casework.domain.timeliness import (
    days_between,
    first_contact_on_time,
    month_of,
    nearest_rank,
    working_days_between,
)


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return from_local(day, time(hour, minute))


@pytest.mark.parametrize(
    ("start", "end", "working_days"),
    [
        # Friday 28 August 2026 to Tuesday 1 September: the weekend and the bank holiday on Monday
        # 31 August do not count, so one working day (four calendar days).
        (date(2026, 8, 28), date(2026, 9, 1), 1),
        (date(2026, 8, 28), date(2026, 8, 31), 0),
        (date(2026, 9, 7), date(2026, 9, 7), 0),
        (date(2026, 9, 7), date(2026, 9, 14), 5),
        # Christmas Day and the Boxing Day substitute on Monday 28 December 2026.
        (date(2026, 12, 23), date(2026, 12, 29), 2),
    ],
)
def test_working_days_leave_out_weekends_and_bank_holidays(start, end, working_days):
    assert working_days_between(london(start, 10), london(end, 10)) == working_days


def test_days_run_between_london_dates_not_utc_ones():
    # 23:30 UTC on Monday 5 October 2026 is 00:30 on Tuesday in London (British Summer Time).
    late_at_night = datetime(2026, 10, 5, 23, 30, tzinfo=UTC)
    assert days_between(london(date(2026, 10, 5), 20), late_at_night) == 1
    assert working_days_between(late_at_night, london(date(2026, 10, 13), 14)) == 5
    assert month_of(datetime(2026, 9, 30, 23, 30, tzinfo=UTC)) == "2026-10"
    # In winter London is on UTC.
    assert month_of(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "2026-11"


def test_first_contact_is_on_time_by_the_flags_rule():
    offered = london(date(2026, 9, 7), 15)  # a Monday
    assert first_contact_on_time(offered, london(date(2026, 9, 14), 17), 5)  # the fifth working day
    assert not first_contact_on_time(offered, london(date(2026, 9, 15), 9), 5)
    # Friday 11 September is the last day of a 4-day target: the Saturday after is late, though no
    # working day has passed since.
    assert not first_contact_on_time(offered, london(date(2026, 9, 12), 10), 4)
    # Offered at 00:30 on Tuesday in London: due the following Tuesday, not Monday.
    assert first_contact_on_time(datetime(2026, 10, 5, 23, 30, tzinfo=UTC), london(date(2026, 10, 13), 14), 5)


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [
        ([3], 90, 3),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, 1),
        ([5, 1, 4, 2, 3], 50, 3),
        (list(range(1, 71)), 10, 7),  # 10% of 70 is exactly 7: the 7th value, not the 8th
        ([0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 4], 90, 2),
    ],
)
def test_the_nearest_rank_percentile_is_a_value_someone_had(values, percent, expected):
    assert nearest_rank(values, percent) == expected


def test_a_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError):
        nearest_rank([], 90)
