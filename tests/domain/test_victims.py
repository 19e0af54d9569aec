"""The Victims' Code deadlines, which steps owe the victim an update, and when a reoffending check falls due."""

from __future__ import annotations

from datetime import date

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.victims import (
    FollowUpBasis,
    UpdateEvent,
    follow_up_due,
    follow_up_start,
    update_due,
    update_event_for,
    update_met,
)

S = CaseState


@pytest.mark.parametrize(
    ("event_on", "enhanced", "due"),
    [
        (date(2026, 11, 24), False, date(2026, 12, 1)),  # Tuesday: five working days on is the next Tuesday
        (date(2026, 11, 24), True, date(2026, 11, 25)),
        (date(2026, 11, 27), True, date(2026, 11, 30)),  # Friday: the weekend is skipped
        (date(2026, 11, 28), False, date(2026, 12, 4)),  # Saturday: counting starts on Monday
        # Christmas 2026: Friday 25th, Boxing Day moved to Monday 28th, New Year's Day on Friday 1st.
        (date(2026, 12, 24), True, date(2026, 12, 29)),
        (date(2026, 12, 24), False, date(2027, 1, 5)),
        (date(2026, 12, 31), True, date(2027, 1, 4)),
    ],
)
def test_the_victims_code_deadline_counts_working_days(event_on, enhanced, due):
    assert update_due(event_on, enhanced=enhanced) == due


def test_an_update_given_on_its_due_date_is_met_and_a_day_later_is_late():
    assert update_met(date(2026, 12, 1), date(2026, 12, 1))
    assert not update_met(date(2026, 12, 1), date(2026, 12, 2))


@pytest.mark.parametrize(
    ("before", "after", "event"),
    [
        (S.CONTRACT_DRAFT, S.ACTIVE, UpdateEvent.CONTRACT_STARTED),
        (S.CONTRACT_AWAITING_APPROVAL, S.ACTIVE, UpdateEvent.CONTRACT_STARTED),
        (S.SUSPENDED, S.ACTIVE, None),  # resuming is not the contract starting
        (S.BREACH_REVIEW, S.ACTIVE, None),
        (S.COMPLETION_REVIEW, S.COMPLETED, UpdateEvent.OUTCOME),
        (S.PROSECUTION_DECISION, S.CLOSED_CHARGED, UpdateEvent.OUTCOME),
        (S.PROSECUTION_DECISION, S.CLOSED_ALTERNATIVE, UpdateEvent.OUTCOME),
        (S.PROSECUTION_DECISION, S.CLOSED_TIME_BARRED, UpdateEvent.OUTCOME),
        (S.PROSECUTION_DECISION, S.CLOSED_EVIDENTIAL, UpdateEvent.OUTCOME),
        (S.ELIGIBILITY_DRAFT, S.DECLINED, None),
        (S.ELIGIBILITY_DRAFT, S.INELIGIBLE, None),
        (S.ACTIVE, S.WITHDRAWN_IN_ERROR, None),
        (S.ACTIVE, S.TERMINATED, None),  # the outcome comes with the prosecution decision
    ],
)
def test_which_steps_owe_the_victim_an_update(before, after, event):
    assert update_event_for(before, after) is event


@pytest.mark.parametrize(
    ("offence_on", "started_on", "start", "basis"),
    [
        (date(2026, 3, 1), date(2026, 4, 10), date(2026, 4, 10), FollowUpBasis.CONTRACT_START),
        (date(2026, 3, 1), None, date(2026, 3, 1), FollowUpBasis.OFFENCE),
        (None, None, date(2026, 11, 24), FollowUpBasis.CLOSURE),
    ],
)
def test_follow_ups_count_from_the_later_of_the_offence_and_the_contract_start(offence_on, started_on, start, basis):
    assert follow_up_start(offence_on, started_on, closed_on=date(2026, 11, 24)) == (start, basis)


def test_a_follow_up_from_29_february_falls_on_28_february():
    assert follow_up_due(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert follow_up_due(date(2028, 2, 29), 24) == date(2030, 2, 28)
    assert follow_up_due(date(2026, 8, 31), 12) == date(2027, 8, 31)
