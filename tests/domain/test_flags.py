"""The dates the flag sweeps ask the database for agree with the rules the caseload shows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casework.domain import flags, time_limits
from casework.domain.flags import DEADLINE_THRESHOLDS

DAYS = [date(2026, 12, 10) + timedelta(days=n) for n in range(40)]  # across Christmas and New Year


@pytest.mark.parametrize("working_days", [1, 3, 5, 10])
@pytest.mark.parametrize("today", DAYS)
def test_the_latest_overdue_referral_day_divides_overdue_referrals_from_the_rest(today, working_days):
    latest = flags.latest_overdue_referral_day(today, working_days)
    for back in range(0, 30):
        referred = today - timedelta(days=back)
        overdue = today > time_limits.add_working_days(referred, working_days)
        assert overdue == (referred <= latest), (referred, latest)


def test_first_contact_is_due_five_working_days_after_referral_skipping_bank_holidays():
    # Referred Wednesday 23 December 2026: Christmas Day and the Boxing Day substitute do not count.
    assert flags.first_contact_due_on(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert not flags.first_contact_overdue(date(2026, 12, 23), date(2027, 1, 4), 5)
    assert flags.first_contact_overdue(date(2026, 12, 23), date(2027, 1, 5), 5)


BANDS = {
    time_limits.DeadlineBand.WITHIN_28: "28",
    time_limits.DeadlineBand.WITHIN_14: "14",
    time_limits.DeadlineBand.WITHIN_7: "7",
    time_limits.DeadlineBand.PASSED: "7",
}


@pytest.mark.parametrize("remaining", range(-5, 35))
def test_each_deadline_is_in_the_band_the_caseload_shows(remaining):
    today = date(2026, 11, 24)
    deadline = today + timedelta(days=remaining)
    inside = []
    for threshold in DEADLINE_THRESHOLDS:
        after, until = flags.deadline_band(threshold, today)
        if deadline <= until and (after is None or deadline > after):
            inside.append(str(threshold))
    shown = time_limits.deadline_band(deadline, today)
    assert inside == ([BANDS[shown]] if shown in BANDS else [])


def test_flags_read_in_plain_words():
    assert flags.describe("completion_review", "2026-12-04") == (
        "The contract ended on 4 December 2026: start the completion review"
    )
    assert flags.describe("deadline", "14") == "14 days or fewer to the decision deadline"
    assert flags.describe("first_contact_overdue", "") == "First contact is overdue"
