"""A suspension pauses the term: the days paused extend the contract's end, never the latest charge
date or the decision deadline, and the signed contract itself is not changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from casework.domain.breaches import Decision
from casework.domain.clock import local
from casework.domain.errors import FieldError, IllegalTransition, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Suspension
from casework.services import breach_decisions, check_ins, contract_signing, contracts, flags, suspensions, variations
from casework.services.breach_decisions import Choice
from tests.check_ins import make_check_in
from tests.conftest import make_user
from tests.services.breach_decision_world import RATIONALE, breach_case, make_breach
from tests.services.test_contract_signing import _signing

SUSPENDED_AT = datetime(2028, 2, 10, 11, 0, tzinfo=UTC)
RESUMED_AT = datetime(2028, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture
def people(session, team):
    return {
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
    }


def _case(session, team, people, *, latest_charge_on=date(2028, 9, 30)):
    case = breach_case(
        session,
        team=team,
        navigator=people["navigator"],
        deadline_in=None,
        starts_on=date(2028, 1, 5),
        ends_on=date(2028, 6, 10),
        latest_charge_on=latest_charge_on,
        decision_deadline_on=date(2028, 9, 9) if latest_charge_on == date(2028, 9, 30) else date(2028, 6, 19),
    )
    return case


def _suspend(session, people, case, *, starts_on=date(2028, 2, 10), now=SUSPENDED_AT, breach=None):
    breach = breach or make_breach(session, case=case, raised_at=datetime(2028, 2, 9, 9, 0, tzinfo=UTC))
    return breach_decisions.decide(
        session,
        actor=people["supervisor"],
        breach=breach,
        choice=Choice(decision=Decision.SUSPEND.value, rationale=RATIONALE, suspended_from=starts_on),
        seen_version=breach.version,
        now=now,
    )


def _resume(session, actor, case, resumed_on=date(2028, 3, 2), now=RESUMED_AT):
    return suspensions.resume(
        session, actor=actor, case=case, resumed_on=resumed_on, seen_version=case.version, now=now
    )


def test_a_suspension_over_a_leap_day_extends_the_term_by_the_days_paused_and_nothing_else(session, team, people):
    case = _case(session, team, people)
    coming = [
        make_check_in(session, case=case, at=datetime(2028, 2, 17, 10, 0, tzinfo=UTC)),
        make_check_in(session, case=case, at=datetime(2028, 3, 16, 10, 0, tzinfo=UTC)),
    ]
    _suspend(session, people, case)
    assert case.case_state is CaseState.SUSPENDED
    [suspension] = suspensions.for_case(session, case=case)
    assert suspension.starts_on == date(2028, 2, 10) and suspension.reason == RATIONALE and suspension.is_open
    assert all(c.cancelled_at is not None for c in coming)

    _resume(session, people["supervisor"], case)
    # 10 February to 2 March 2028: 19 days of February (a leap year) and 2 of March.
    assert suspension.paused_days == 21 and case.case_state is CaseState.ACTIVE
    assert suspensions.term_end(session, case=case) == date(2028, 7, 1)  # over the end of June
    signed = contracts.in_force(session, case=case)
    assert signed.ends_on == date(2028, 6, 10)  # the signed version is untouched
    assert (case.latest_charge_on, case.decision_deadline_on) == (date(2028, 9, 30), date(2028, 9, 9))
    # The cancelled check-ins come back, moved on by the days paused.
    planned = [local(c.scheduled_at) for c in check_ins.for_case(session, case=case) if c.cancelled_at is None]
    assert [(p.date(), p.hour) for p in planned] == [(date(2028, 3, 9), 10), (date(2028, 4, 6), 10)]
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert {"case.suspend", "case.resume", "check_in.schedule_resumed"} <= set(actions)


def test_a_second_suspension_adds_its_days_to_the_first(session, team, people):
    case = _case(session, team, people)
    _suspend(session, people, case)
    _resume(session, people["supervisor"], case)
    case.state = CaseState.BREACH_REVIEW.value  # a new breach in review
    _suspend(session, people, case, starts_on=date(2028, 3, 30), now=datetime(2028, 3, 31, 9, tzinfo=UTC))
    _resume(session, people["supervisor"], case, resumed_on=date(2028, 4, 2), now=datetime(2028, 4, 3, 9, tzinfo=UTC))
    assert suspensions.extension_days(session, case=case) == 24
    assert suspensions.term_end(session, case=case) == date(2028, 7, 4)


def test_a_resume_that_would_pass_the_latest_charge_date_is_refused_with_the_dates(session, team, people):
    case = _case(session, team, people, latest_charge_on=date(2028, 7, 10))
    _suspend(session, people, case)
    with pytest.raises(IllegalTransition) as refused:
        _resume(session, people["supervisor"], case)
    message = refused.value.message
    assert "end of the contract to 1 July 2028" in message and "latest charge date, 10 July 2028" in message
    assert "21 days" in message
    assert case.case_state is CaseState.SUSPENDED
    assert session.scalars(select(Suspension).where(Suspension.case_id == case.id)).one().is_open


def test_the_suspension_dates_are_checked(session, team, people):
    case = _case(session, team, people)
    breach = make_breach(session, case=case, raised_at=datetime(2028, 2, 9, 9, 0, tzinfo=UTC))
    with pytest.raises(FieldError, match="today or earlier") as refused:
        _suspend(session, people, case, starts_on=date(2028, 2, 11), breach=breach)
    assert refused.value.field == "suspended_from"
    with pytest.raises(FieldError, match="before the contract started on 5 January 2028"):
        _suspend(session, people, case, starts_on=date(2028, 1, 1), breach=breach)
    _suspend(session, people, case, breach=breach)
    with pytest.raises(FieldError, match="before the suspension began on 10 February 2028"):
        _resume(session, people["supervisor"], case, resumed_on=date(2028, 2, 9))
    with pytest.raises(FieldError, match="not in the future"):
        _resume(session, people["supervisor"], case, resumed_on=date(2028, 3, 3))


def test_only_a_supervisor_resumes_and_only_a_suspended_case(session, team, people):
    case = _case(session, team, people)
    with pytest.raises(IllegalTransition, match="not suspended"):
        _resume(session, people["supervisor"], case)
    _suspend(session, people, case)
    with pytest.raises(NotPermitted):
        _resume(session, people["navigator"], case)


def test_the_completion_review_waits_for_the_extended_end(session, team, people):
    case = _case(session, team, people)
    _suspend(session, people, case)
    _resume(session, people["supervisor"], case)
    at_signed_end = datetime(2028, 6, 12, 9, 0, tzinfo=UTC)
    assert flags.raise_completion_reviews(session, now=at_signed_end) == 0
    assert flags.raise_completion_reviews(session, now=datetime(2028, 7, 1, 9, 0, tzinfo=UTC)) == 1


def test_a_variation_signed_after_a_suspension_keeps_the_check_ins_of_the_extended_term(session, team, people):
    case = _case(session, team, people)
    _suspend(session, people, case)
    _resume(session, people["supervisor"], case)  # the term now ends on 1 July 2028
    signed_at = datetime(2028, 3, 6, 11, 0, tzinfo=UTC)
    in_extension = make_check_in(session, case=case, at=datetime(2028, 6, 22, 9, 0, tzinfo=UTC))
    signed = contracts.in_force(session, case=case)
    variation = variations.start_variation(
        session,
        actor=people["navigator"],
        case=case,
        reason="A course is added after the stay in hospital.",
        consent=True,
        extend_weeks=0,
        seen_version=signed.version,
        now=signed_at,
    )
    contract_signing.record_agreement(
        session,
        actor=people["navigator"],
        case=case,
        agreement="agrees",
        reason="",
        seen_version=variation.version,
        now=signed_at,
    )
    variations.approve_variation(
        session, actor=people["supervisor"], case=case, seen_version=variation.version, now=signed_at
    )
    contract_signing.sign(
        session,
        actor=people["navigator"],
        case=case,
        signing=_signing(signed_at=signed_at - timedelta(minutes=5)),
        seen_version=variation.version,
        now=signed_at,
    )
    assert variation.ends_on == date(2028, 6, 10)
    assert suspensions.term_end(session, case=case) == date(2028, 7, 1)
    assert in_extension.cancelled_at is None


def test_completion_reads_the_extended_end(session, team, people):
    from casework.services import completion

    case = _case(session, team, people)
    _suspend(session, people, case)
    _resume(session, people["supervisor"], case)
    assert completion.end_date(session, case=case) == date(2028, 7, 1)
