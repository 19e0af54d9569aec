"""The charge deadline, working days and warning bands."""

from __future__ import annotations

from datetime import date

import pytest

from casework.domain.time_limits import (
    DeadlineBand,
    add_working_days,
    contract_end_date,
    deadline_band,
    decision_deadline,
    is_working_day,
    latest_charge_date,
    offence_age_months_exceeded,
    working_days_between,
)


@pytest.mark.parametrize(
    ("offence", "latest"),
    [
        (date(2026, 11, 20), date(2027, 5, 19)),
        (date(2026, 8, 31), date(2027, 2, 27)),  # no 31 February: the 28th, then a day earlier
        (date(2027, 8, 31), date(2028, 2, 28)),  # leap year: the 29th, then a day earlier
        (date(2026, 12, 31), date(2027, 6, 29)),
    ],
)
def test_latest_charge_date_is_six_months_less_a_day(offence, latest):
    assert latest_charge_date(offence, s127_applies=True) == latest


def test_no_clock_when_s127_does_not_apply_and_the_margin_comes_off():
    assert latest_charge_date(date(2026, 11, 20), s127_applies=False) is None
    assert decision_deadline(date(2027, 5, 19), margin_days=21) == date(2027, 4, 28)
    assert decision_deadline(None, margin_days=21) is None


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 25), False),
        (date(2026, 12, 28), False),
        (date(2026, 4, 6), False),
        (date(2027, 3, 26), False),
        (date(2026, 11, 28), False),
        (date(2026, 11, 24), True),
        (date(2026, 12, 29), True),
    ],
)
def test_bank_holidays_and_weekends(day, working):
    assert is_working_day(day) is working


def test_working_days_skip_weekends_and_christmas():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday -> Monday
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 30)) == 2


@pytest.mark.parametrize(
    ("days_left", "band"),
    [
        (None, "none"),
        (29, "none"),
        (28, "within_28"),
        (15, "within_28"),
        (14, "within_14"),
        (8, "within_14"),
        (7, "within_7"),
        (0, "within_7"),
        (-1, "passed"),
    ],
)
def test_deadline_bands(days_left, band):
    today = date(2026, 11, 24)
    deadline = None if days_left is None else date.fromordinal(today.toordinal() + days_left)
    assert deadline_band(deadline, today) == DeadlineBand(band)


def test_offence_age_and_contract_term():
    assert not offence_age_months_exceeded(date(2026, 8, 25), date(2026, 11, 24), 3)
    assert offence_age_months_exceeded(date(2026, 8, 24), date(2026, 11, 24), 3)
    assert contract_end_date(date(2026, 10, 31), months=4) == date(2027, 2, 28)
    assert contract_end_date(date(2026, 11, 24), weeks=16) == date(2027, 3, 16)
