"""Breaches the service raises: an absence classified as unacceptable, and a condition not met by
its due date. Each exactly once, and counted towards the supervisor's review by the scheme's rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.domain.breaches import BreachStatus, ReviewReason
from casework.domain.check_ins import Outcome
from casework.domain.lifecycle import CaseState
from casework.models import AuditEvent, Breach, BreachWarning, CheckIn, Reminder
from casework.services import breach_raising, check_in_outcomes
from casework.services.check_in_outcomes import OutcomeRecord
from tests.breaches import TODAY, running_case, warnings_before_review
from tests.check_ins import make_check_in, marked_missed
from tests.conftest import NOW


@pytest.fixture
def world(session, team):
    return running_case(session, team=team)


def _missed(session, world, days_ago: int):
    at = NOW - timedelta(days=days_ago)
    check_in = marked_missed(make_check_in(session, case=world.case, at=at, by=world.navigator), due=TODAY)
    session.flush()
    return check_in


def _unacceptable(session, world, days_ago: int = 3):
    check_in = _missed(session, world, days_ago)
    check_in_outcomes.classify_absence(
        session,
        actor=world.navigator,
        case=world.case,
        check_in=check_in,
        record=OutcomeRecord(outcome=Outcome.UNACCEPTABLE_ABSENCE.value, absence_detail="Overslept, no evidence."),
        seen_version=check_in.version,
        now=NOW,
    )
    return breach_raising.raised_for(session, check_in=check_in)


def _breaches(session, case) -> list[Breach]:
    return session.scalars(select(Breach).where(Breach.case_id == case.id).order_by(Breach.id)).all()


# ---- unacceptable absence -----------------------------------------------------------------------


def test_an_unacceptable_absence_raises_a_breach_with_the_check_in_and_its_reminders(session, world):
    check_in = _missed(session, world, 3)
    session.add(
        Reminder(
            check_in_id=check_in.id,
            scheduled_for=check_in.scheduled_at,
            hours_before=24,
            channel="sms",
            due_at=check_in.scheduled_at - timedelta(hours=24),
            status="skipped",
            note="No mobile number recorded",
            created_at=NOW - timedelta(days=4),
        )
    )
    session.flush()
    check_in_outcomes.classify_absence(
        session,
        actor=world.navigator,
        case=world.case,
        check_in=check_in,
        record=OutcomeRecord(outcome=Outcome.UNACCEPTABLE_ABSENCE.value, absence_detail="Overslept, no evidence."),
        seen_version=check_in.version,
        now=NOW,
    )
    [breach] = _breaches(session, world.case)
    assert breach.check_in_id == check_in.id and breach.raised_by_id is None
    assert breach.breach_status is BreachStatus.OPEN  # a first failure stays with the navigator
    assert world.case.case_state is CaseState.ACTIVE
    evidence = breach.evidence
    assert evidence["check_in"]["outcome"] == "unacceptable_absence"
    assert evidence["check_in"]["reminders"][0]["note"] == "No mobile number recorded"
    assert evidence["explanation"] == "Overslept, no evidence."
    assert evidence["days_to_decision_deadline"] == 100


def test_an_acceptable_absence_is_not_a_breach(session, world):
    check_in = _missed(session, world, 3)
    check_in_outcomes.classify_absence(
        session,
        actor=world.navigator,
        case=world.case,
        check_in=check_in,
        record=OutcomeRecord(outcome=Outcome.ACCEPTABLE_ABSENCE.value, absence_reason="medical"),
        seen_version=check_in.version,
        now=NOW,
    )
    assert _breaches(session, world.case) == []


def test_a_repeat_and_a_lost_race_give_back_the_one_breach_for_the_check_in(session, world, monkeypatch):
    first = _unacceptable(session, world)
    check_in = session.get(CheckIn, first.check_in_id)
    assert breach_raising.raise_for_absence(session, case=world.case, check_in=check_in, now=NOW) is first
    # Another request raised it between this one's look and its insert: the insert gives way.
    looks = iter([None, first])
    monkeypatch.setattr(breach_raising, "raised_for", lambda session, check_in: next(looks))
    assert breach_raising.raise_for_absence(session, case=world.case, check_in=check_in, now=NOW) is first
    assert len(_breaches(session, world.case)) == 1


def test_the_second_unacceptable_failure_goes_to_review_automatically_once(session, world):
    first = _unacceptable(session, world, 10)
    second = _unacceptable(session, world, 3)
    assert first.breach_status is BreachStatus.OPEN
    assert second.breach_status is BreachStatus.REVIEW and second.review_reason == ReviewReason.REPEATED_FAILURE
    assert world.case.case_state is CaseState.BREACH_REVIEW
    assert second.evidence["earlier_breaches"][0]["id"] == first.id
    moves = session.scalar(
        select(func.count()).where(AuditEvent.case_id == world.case.id, AuditEvent.action == "case.report_breach")
    )
    assert moves == 1


def test_a_failure_reclassified_by_a_supervisor_is_not_counted(session, world):
    first = _unacceptable(session, world, 10)
    first.status, first.decision, first.decision_rationale = "decided", "no_action", "Evidence of a hospital stay."
    first.decided_by_id, first.decided_at = world.supervisor.id, NOW
    session.flush()
    assert _unacceptable(session, world, 3).breach_status is BreachStatus.OPEN


def test_any_failure_after_a_final_warning_goes_to_review(session, world):
    first = _unacceptable(session, world, 10)
    session.add(
        BreachWarning(
            case_id=world.case.id,
            breach_id=first.id,
            level="final",
            reason="Final warning after review.",
            issued_by_id=world.supervisor.id,
            issued_at=NOW,
            language="en",
        )
    )
    warnings_before_review(session, 5)
    second = _unacceptable(session, world, 3)
    assert second.review_reason == ReviewReason.AFTER_FINAL_WARNING


def test_a_scheme_with_no_warnings_sends_the_first_failure_to_review(session, world):
    warnings_before_review(session, 0)
    assert _unacceptable(session, world).review_reason == ReviewReason.REPEATED_FAILURE
    assert world.case.case_state is CaseState.BREACH_REVIEW


def test_a_scheme_allowing_two_warnings_reviews_the_third_failure(session, world):
    warnings_before_review(session, 2)
    statuses = [_unacceptable(session, world, days).breach_status for days in (20, 10, 3)]
    assert statuses == [BreachStatus.OPEN, BreachStatus.OPEN, BreachStatus.REVIEW]


# ---- conditions past their due date -------------------------------------------------------------


def _due(world, days_ago: int, status: str = "in_progress"):
    condition = world.contract.conditions[1]
    condition.due_on, condition.status = TODAY - timedelta(days=days_ago), status
    return condition


def test_a_condition_past_its_due_date_raises_one_breach_however_often_the_sweep_runs(session, world):
    condition = _due(world, 1)
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 1
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW + timedelta(hours=1)) == 0
    [breach] = _breaches(session, world.case)
    assert breach.condition_id == condition.id and breach.occurred_on == condition.due_on
    assert breach.evidence["condition"]["wording"] == "Attend the drugs awareness course."
    assert breach.evidence["condition"]["status"] == "in_progress"


@pytest.mark.parametrize("days_ago, status", [(0, "in_progress"), (1, "met"), (1, "waived")])
def test_a_condition_due_today_met_or_waived_is_not_a_breach(session, world, days_ago, status):
    _due(world, days_ago, status)
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 0


@pytest.mark.parametrize("status", ["not_started", "in_progress", "at_risk", "not_met"])
def test_a_condition_neither_met_nor_waived_past_its_due_date_is_a_breach(session, world, status):
    condition = _due(world, 1, status)
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 1
    assert [breach.condition_id for breach in _breaches(session, world.case)] == [condition.id]


def test_met_and_waived_conditions_long_past_their_due_date_raise_nothing(session, team):
    """The sweep reads only conditions neither met nor waived: settled ones stay settled however old."""
    for status in ("met", "waived"):
        world = running_case(session, team=team)
        _due(world, 400, status)
    session.flush()
    assert breach_raising.due_conditions(session, now=NOW) == []
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 0


def test_the_scheduler_batch_takes_the_earliest_due_first_across_cases(session, team):
    later, earlier = running_case(session, team=team), running_case(session, team=team)
    late_condition, early_condition = _due(later, 2), _due(earlier, 9)
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW, limit=1) == 1
    assert [b.condition_id for b in _breaches(session, earlier.case)] == [early_condition.id]
    assert _breaches(session, later.case) == []
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW, limit=1) == 1
    assert [b.condition_id for b in _breaches(session, later.case)] == [late_condition.id]
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW, limit=1) == 0


@pytest.mark.parametrize("state", [CaseState.COMPLETION_REVIEW, CaseState.PROSECUTION_DECISION, CaseState.COMPLETED])
def test_the_sweep_leaves_cases_not_running_or_in_completion_review(session, team, state):
    world = running_case(session, team=team, state=state)
    _due(world, 1)
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 0


def test_a_varied_contract_does_not_raise_the_same_unmet_condition_again(session, world):
    from tests.conftest import make_contract

    old = _due(world, 5)
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 1
    world.contract.status = "superseded"
    varied = make_contract(
        session, case=world.case, created_by=world.navigator, version_number=2, starts_on=world.contract.starts_on
    )
    copy = varied.conditions[1]
    copy.copied_from_id, copy.due_on, copy.status = old.id, old.due_on, "in_progress"
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 0
    copy.due_on = TODAY - timedelta(days=1)  # a new due date the person has missed too
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 1


def test_a_condition_varied_twice_with_the_same_due_date_is_not_raised_again(session, world):
    from tests.conftest import make_contract

    earlier = _due(world, 5)
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 1
    contract = world.contract
    for version in (2, 3):
        contract.status = "superseded"
        contract = make_contract(
            session, case=world.case, created_by=world.navigator, version_number=version, starts_on=contract.starts_on
        )
        copy = contract.conditions[1]
        copy.copied_from_id, copy.due_on, copy.status = earlier.id, earlier.due_on, "in_progress"
        earlier = copy
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 0
    copy.due_on = TODAY - timedelta(days=1)
    session.flush()
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 1


def test_the_sweep_counts_a_missed_condition_with_the_absences(session, world):
    _unacceptable(session, world, 10)
    _due(world, 1)
    session.flush()
    breach_raising.raise_for_unmet_conditions(session, now=NOW)
    unmet = _breaches(session, world.case)[-1]
    assert unmet.review_reason == ReviewReason.REPEATED_FAILURE and unmet.review_requested_by_id is None
    assert world.case.case_state is CaseState.BREACH_REVIEW
