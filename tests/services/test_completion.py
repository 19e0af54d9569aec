"""Completion (DOMAIN.md §3.2): into review at the end date, waivers, sign-off by a supervisor other
than the navigator and the requester, the outcome code, and a condition found not met."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import (
    DomainError,
    FieldError,
    FieldErrors,
    IllegalTransition,
    NotFound,
    NotPermitted,
    StaleRecord,
)
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Breach, CaseOutcome, OutcomeCode, VictimUpdate
from casework.services import completion, completion_sign_off, condition_waivers, progress, schemes, victim_updates
from tests.conftest import NOW, make_assessment, make_case, make_contract, make_user

TODAY = date(2026, 11, 24)


@pytest.fixture
def world(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    other = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    contract = make_contract(
        session,
        case=case,
        created_by=navigator,
        starts_on=TODAY - timedelta(days=120),
        ends_on=TODAY - timedelta(days=1),
    )
    return dict(navigator=navigator, supervisor=supervisor, other=other, case=case, contract=contract)


def _meet_course(session, world):
    course = world["contract"].conditions[1]
    progress.record_progress(
        session,
        actor=world["navigator"],
        case=world["case"],
        condition_id=course.id,
        happened_on=TODAY - timedelta(days=30),
        amount=3,
        evidence="letter",
        note="",
        at_risk=False,
        now=NOW,
    )
    assert course.status == "met"


def _messages(problem) -> str:
    problems = problem.problems if isinstance(problem, FieldErrors) else [problem]
    return " ".join(p.message for p in problems)


def _request(session, world, actor=None):
    case = world["case"]
    return completion.request_review(
        session, actor=actor or world["navigator"], case=case, seen_version=case.version, now=NOW
    )


def _actions(session, case) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)))


def test_request_is_refused_with_every_unmet_reason_listed(session, world, team):
    breach = Breach(
        case_id=world["case"].id,
        kind="conduct",
        status="review",
        occurred_on=TODAY,
        summary="Contact with the victim",
        raised_at=NOW,
        review_requested_at=NOW,
    )
    session.add(breach)
    world["contract"].ends_on = TODAY + timedelta(days=10)
    session.flush()
    with pytest.raises(FieldErrors) as refused:
        _request(session, world)
    text = _messages(refused.value)
    assert "ends on 4 December 2026" in text
    assert "Condition 2 is not started" in text
    assert "A breach is open (conduct" in text
    assert world["case"].case_state is CaseState.ACTIVE


def test_navigator_moves_a_case_that_meets_every_condition(session, world):
    _meet_course(session, world)
    review = _request(session, world)
    assert world["case"].case_state is CaseState.COMPLETION_REVIEW
    assert review.requested_by_id == world["navigator"].id
    assert "case.begin_completion_review" in _actions(session, world["case"])


def test_a_waived_condition_counts_and_a_waiver_needs_a_supervisor_and_a_reason(session, world, other_team):
    course = world["contract"].conditions[1]
    case = world["case"]
    with pytest.raises(NotPermitted):
        condition_waivers.waive_condition(
            session, actor=world["navigator"], case=case, condition_id=course.id, reason="Course withdrawn", now=NOW
        )
    stranger = make_user(session, roles=[Role.SUPERVISOR], team=other_team)
    with pytest.raises(NotFound):
        condition_waivers.waive_condition(
            session, actor=stranger, case=case, condition_id=course.id, reason="Course withdrawn", now=NOW
        )
    with pytest.raises(FieldError, match="reason"):
        condition_waivers.waive_condition(
            session, actor=world["supervisor"], case=case, condition_id=course.id, reason=" ", now=NOW
        )
    assert course.status == "not_started"
    condition_waivers.waive_condition(
        session, actor=world["supervisor"], case=case, condition_id=course.id, reason="Course withdrawn", now=NOW
    )
    assert (course.status, course.waived_by_id, course.waived_at, course.waiver_reason) == (
        "waived",
        world["supervisor"].id,
        NOW,
        "Course withdrawn",
    )
    assert "contract.condition_waived" in _actions(session, case)
    _request(session, world)
    assert case.case_state is CaseState.COMPLETION_REVIEW


def test_a_met_condition_and_a_closed_case_cannot_be_waived(session, world, team):
    _meet_course(session, world)
    course = world["contract"].conditions[1]
    with pytest.raises(IllegalTransition, match="met"):
        condition_waivers.waive_condition(
            session, actor=world["supervisor"], case=world["case"], condition_id=course.id, reason="No need", now=NOW
        )
    closed = make_case(session, team=team, state=CaseState.COMPLETED)
    signed = make_contract(session, case=closed, created_by=world["navigator"])
    with pytest.raises(IllegalTransition, match="completed"):
        condition_waivers.waive_condition(
            session,
            actor=world["supervisor"],
            case=closed,
            condition_id=signed.conditions[1].id,
            reason="Course withdrawn",
            now=NOW,
        )


def _in_review(session, world):
    _meet_course(session, world)
    _request(session, world)
    return world["case"]


def _sign(session, world, actor, **overrides):
    case = world["case"]
    values = dict(rationale="All conditions met, no breaches.", exit_not_done_reason="", seen_version=case.version)
    values.update(overrides)
    return completion_sign_off.sign_off(session, actor=actor, case=case, now=NOW, **values)


def test_the_navigator_and_the_requester_may_not_sign_off(session, world, team):
    case = _in_review(session, world)
    navigating_supervisor = make_user(session, roles=[Role.SUPERVISOR, Role.NAVIGATOR], team=team)
    case.navigator_id = navigating_supervisor.id
    session.flush()
    with pytest.raises(NotPermitted, match="navigator"):
        _sign(session, world, navigating_supervisor, exit_not_done_reason="The person declined it")
    with pytest.raises(NotPermitted):
        _sign(session, world, world["navigator"], exit_not_done_reason="The person declined it")
    assert case.case_state is CaseState.COMPLETION_REVIEW


def test_a_supervisor_who_asked_for_the_review_may_not_sign_it_off(session, world):
    _meet_course(session, world)
    _request(session, world, actor=world["supervisor"])
    with pytest.raises(NotPermitted, match="asked for this completion review"):
        _sign(session, world, world["supervisor"], exit_not_done_reason="The person declined it")
    _sign(session, world, world["other"], exit_not_done_reason="The person declined it")
    assert world["case"].case_state is CaseState.COMPLETED


def test_other_team_may_not_sign_off(session, world, other_team):
    _in_review(session, world)
    stranger = make_user(session, roles=[Role.SUPERVISOR], team=other_team)
    with pytest.raises(NotFound):
        _sign(session, world, stranger, exit_not_done_reason="The person declined it")


def test_sign_off_waits_for_each_update_owed_to_the_victim(session, world):
    case = _in_review(session, world)
    started = world["contract"].starts_on
    owed = VictimUpdate(case_id=case.id, event="contract_started", event_on=started, created_at=NOW, due_on=started)
    session.add(owed)
    session.flush()
    with pytest.raises(DomainError) as refused:
        _sign(session, world, world["supervisor"], exit_not_done_reason="The person declined it")
    assert "An update owed to the victim is not recorded as given" in _messages(refused.value)
    assert case.case_state is CaseState.COMPLETION_REVIEW
    victim_updates.record_given(
        session,
        actor=world["supervisor"],
        update=owed,
        given_on=started,
        method="phone",
        summary="Told them the contract had started.",
        seen_version=owed.version,
        now=NOW,
    )
    _sign(session, world, world["supervisor"], exit_not_done_reason="The person declined it")
    assert case.case_state is CaseState.COMPLETED


def test_sign_off_needs_the_exit_assessment_or_a_reason(session, world):
    case = _in_review(session, world)
    with pytest.raises(FieldError, match="exit needs assessment") as refused:
        _sign(session, world, world["supervisor"])
    assert refused.value.field == "exit_not_done_reason"
    make_assessment(session, case=case, stage="exit", by=world["navigator"])
    outcome = _sign(session, world, world["supervisor"])
    assert outcome.code == 22 and case.case_state is CaseState.COMPLETED


def test_sign_off_records_outcome_22_and_the_london_date(session, world):
    case = _in_review(session, world)
    outcome = _sign(session, world, world["supervisor"], exit_not_done_reason="The person declined it")
    stored = session.scalar(select(CaseOutcome).where(CaseOutcome.case_id == case.id))
    assert stored is outcome
    assert (outcome.route, outcome.code, outcome.effective_on) == ("completion", 22, TODAY)
    assert outcome.decided_by_id == world["supervisor"].id
    assert completion.current_review(session, case=case).exit_not_done_reason == "The person declined it"
    actions = _actions(session, case)
    assert "case.complete" in actions and "case.outcome_recorded" in actions


def test_sign_off_uses_outcome_8_where_the_scheme_says_so(session, world):
    _in_review(session, world)
    schemes.settings_on(session, TODAY).completion_outcome_code = 8
    session.flush()
    outcome = _sign(session, world, world["supervisor"], exit_not_done_reason="The person declined it")
    assert outcome.code == 8


def test_a_code_not_in_force_is_refused(session, world):
    case = _in_review(session, world)
    session.get(OutcomeCode, 22).effective_to = TODAY - timedelta(days=1)
    session.flush()
    with pytest.raises(FieldError, match="not in force"):
        _sign(session, world, world["supervisor"], exit_not_done_reason="The person declined it")
    assert case.case_state is CaseState.COMPLETION_REVIEW


def test_a_stale_sign_off_is_refused(session, world):
    _in_review(session, world)
    with pytest.raises(StaleRecord):
        _sign(session, world, world["supervisor"], exit_not_done_reason="Declined", seen_version=1)


def test_a_condition_found_not_met_sends_the_case_to_breach_review(session, world, team):
    case = world["case"]
    # A review begun with the course still open (a navigator's request made before the rule, say).
    case.state = CaseState.COMPLETION_REVIEW.value
    session.flush()
    course = world["contract"].conditions[1]
    with pytest.raises(NotPermitted):
        completion_sign_off.find_condition_unmet(
            session,
            actor=world["navigator"],
            case=case,
            condition_id=course.id,
            reason="Only one session attended",
            seen_version=case.version,
            now=NOW,
        )
    breach = completion_sign_off.find_condition_unmet(
        session,
        actor=world["supervisor"],
        case=case,
        condition_id=course.id,
        reason="Only one session attended",
        seen_version=case.version,
        now=NOW,
    )
    assert case.case_state is CaseState.BREACH_REVIEW
    assert course.status == "not_met"
    assert (breach.kind, breach.status, breach.condition_id) == ("condition_not_met", "review", course.id)
    assert breach.evidence["condition"]["wording"] == course.wording  # as signed, like any other breach
    assert breach.evidence["found_at"] == "completion review"
    assert "case.find_condition_unmet" in _actions(session, case)
