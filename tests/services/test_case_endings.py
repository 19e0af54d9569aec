"""Ending a referral for no contact, and withdrawing a case opened in error: who may, from which
states, with what reason, and what the figures then count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Case
from casework.services import case_endings, cases, custody_desk
from tests.conftest import NOW, make_case, make_person, make_user

REASON = "Three calls and two letters since the first appointment, no reply to any of them."


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def sergeant(session, team):
    return make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)


def _referred(session, team, **overrides):
    values = {"first_appointment_at": NOW - timedelta(days=3), **overrides}
    return make_case(session, team=team, state=CaseState.REFERRED, **values)


def _end(session, actor, case, reason=REASON, now=NOW):
    return case_endings.end_for_no_contact(
        session, actor=actor, case=case, reason=reason, seen_version=case.version, now=now
    )


def _withdraw(session, actor, case, reason="duplicate", detail="Duplicate of CP-26-000123"):
    return case_endings.withdraw_in_error(
        session, actor=actor, case=case, reason=reason, detail=detail, seen_version=case.version, now=NOW
    )


def _audit_count(session, case) -> int:
    return len(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)).all())


# ---- ending a referral for no contact -----------------------------------------------------------


def test_a_supervisor_ends_a_referral_for_no_contact_with_a_written_reason(session, team, supervisor):
    case = _referred(session, team)
    _end(session, supervisor, case)
    assert case.case_state is CaseState.PROSECUTION_DECISION and case.termination_reason == REASON
    assert case.closed_at is None  # not the end: a prosecution decision follows
    actions = [
        (e.action, e.actor_id)
        for e in session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.sequence))
    ]
    event = next(e for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "case.terminate_no_contact")))
    assert event.actor_id == supervisor.id
    # The termination passes the case on for the prosecution decision in the same step, as the service.
    assert actions.index(("case.terminate_no_contact", supervisor.id)) + 1 == actions.index(
        ("case.pass_for_decision", None)
    )
    assert REASON not in str(event.detail)  # free text stays on the case, not in the audit chain


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.CUSTODY_SERGEANT, Role.ADMINISTRATOR])
def test_only_a_supervisor_ends_a_referral(session, team, role):
    case = _referred(session, team)
    with pytest.raises(NotPermitted):
        _end(session, make_user(session, roles=[role], team=team), case)
    assert case.case_state is CaseState.REFERRED


def test_a_supervisor_of_another_team_cannot_end_it(session, team, other_team):
    case = _referred(session, team)
    with pytest.raises(NotFound):
        _end(session, make_user(session, roles=[Role.SUPERVISOR], team=other_team), case)


@pytest.mark.parametrize("state", [CaseState.ASSESSMENT, CaseState.PENDING_ACCEPTANCE, CaseState.ACTIVE])
def test_only_a_referred_case_ends_for_no_contact(session, team, supervisor, state):
    case = make_case(session, team=team, state=state, first_appointment_at=NOW - timedelta(days=3))
    before = _audit_count(session, case)
    with pytest.raises(IllegalTransition):
        _end(session, supervisor, case)
    assert case.case_state is state and case.termination_reason is None and _audit_count(session, case) == before


def test_a_reason_is_required(session, team, supervisor):
    case = _referred(session, team)
    with pytest.raises(FieldError) as refused:
        _end(session, supervisor, case, reason="   no show ")
    assert refused.value.field == "reason" and case.case_state is CaseState.REFERRED


def test_not_before_the_first_appointment_has_happened(session, team, supervisor):
    case = _referred(session, team, first_appointment_at=NOW + timedelta(hours=2))
    with pytest.raises(IllegalTransition, match="has not happened yet"):
        _end(session, supervisor, case)


# ---- withdrawing a case opened in error ---------------------------------------------------------


def test_the_sergeant_working_on_a_check_withdraws_it(session, sergeant):
    case = cases.open_case(session, actor=sergeant, person=make_person(session, creator=sergeant), now=NOW)
    _withdraw(session, sergeant, case)
    assert case.case_state is CaseState.WITHDRAWN_IN_ERROR and case.closed_at == NOW
    assert (case.withdrawal_reason, case.withdrawal_detail) == ("duplicate", "Duplicate of CP-26-000123")
    assert case.offer_outcome is None and case.reason_codes == []  # no decision about the person
    event = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()[-1]
    assert event.action == "case.withdraw_in_error" and event.detail["reason"] == "duplicate"


def test_another_sergeant_who_has_not_worked_on_the_check_cannot_withdraw_it(session, team, sergeant):
    case = cases.open_case(session, actor=sergeant, person=make_person(session, creator=sergeant), now=NOW)
    colleague = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    with pytest.raises(NotPermitted, match="sergeant working on this eligibility check"):
        _withdraw(session, colleague, case)
    assert case.case_state is CaseState.ELIGIBILITY_DRAFT


def test_a_sergeant_who_only_looked_at_the_check_cannot_withdraw_it(session, team, sergeant):
    from casework.services import audit

    case = cases.open_case(session, actor=sergeant, person=make_person(session, creator=sergeant), now=NOW)
    colleague = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    audit.record(session, actor=colleague, action="case.viewed", case_id=case.id, now=NOW, page="cases.show")
    with pytest.raises(NotPermitted, match="sergeant working on this eligibility check"):
        _withdraw(session, colleague, case)
    assert case.case_state is CaseState.ELIGIBILITY_DRAFT


def test_a_sergeant_who_took_over_the_check_may_withdraw_it(session, team, sergeant):
    from casework.domain.gate_questions import SECTIONS
    from casework.services import checklist

    case = cases.open_case(session, actor=sergeant, person=make_person(session, creator=sergeant), now=NOW)
    colleague = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    checklist.answer_section(
        session,
        actor=colleague,
        case=case,
        section=SECTIONS[0],
        answers={"identity_confirmed": "no", "lives_in_force_area": "yes", "offence_in_force_area": "yes"},
        seen_version=case.version,
        now=NOW,
    )
    _withdraw(session, colleague, case, reason="wrong_person")
    assert case.case_state is CaseState.WITHDRAWN_IN_ERROR


@pytest.mark.parametrize("state", [CaseState.REFERRED, CaseState.PENDING_ACCEPTANCE, CaseState.ACTIVE])
def test_past_the_custody_desk_only_a_supervisor_withdraws(session, team, sergeant, supervisor, state):
    case = make_case(session, team=team, state=state, opened_by=sergeant)
    with pytest.raises(NotPermitted, match="Only a supervisor"):
        _withdraw(session, sergeant, case)
    assert case.case_state is state
    _withdraw(session, supervisor, case, reason="opened_by_mistake")
    assert case.case_state is CaseState.WITHDRAWN_IN_ERROR


def test_a_supervisor_withdraws_an_eligibility_check_too(session, team, supervisor):
    case = make_case(session, team=team, state=CaseState.ELIGIBILITY_DRAFT)
    _withdraw(session, supervisor, case)
    assert case.case_state is CaseState.WITHDRAWN_IN_ERROR


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.ADMINISTRATOR])
def test_navigators_and_administrators_cannot_withdraw(session, team, role):
    case = make_case(session, team=team, state=CaseState.REFERRED)
    with pytest.raises(NotPermitted):
        _withdraw(session, make_user(session, roles=[role], team=team), case)


def test_another_teams_supervisor_cannot_withdraw(session, team, other_team):
    case = make_case(session, team=team, state=CaseState.REFERRED)
    with pytest.raises(NotFound):
        _withdraw(session, make_user(session, roles=[Role.SUPERVISOR], team=other_team), case)


@pytest.mark.parametrize("state", [CaseState.INELIGIBLE, CaseState.COMPLETED, CaseState.WITHDRAWN_IN_ERROR])
def test_a_closed_case_cannot_be_withdrawn(session, team, supervisor, state):
    case = make_case(session, team=team, state=state)
    before = _audit_count(session, case)
    with pytest.raises(IllegalTransition, match="can no longer change"):
        _withdraw(session, supervisor, case)
    assert case.case_state is state and _audit_count(session, case) == before


def test_a_withdrawal_needs_a_reason_from_the_list_and_the_detail(session, team, supervisor):
    case = make_case(session, team=team, state=CaseState.REFERRED)
    with pytest.raises(FieldErrors) as refused:
        _withdraw(session, supervisor, case, reason="bored", detail=" ")
    assert {p.field for p in refused.value.problems} == {"reason", "detail"}
    assert case.case_state is CaseState.REFERRED and case.withdrawal_reason is None


def test_withdrawn_cases_are_not_counted_as_not_offered(session, team, sergeant, supervisor):
    mistaken = cases.open_case(session, actor=sergeant, person=make_person(session, creator=sergeant), now=NOW)
    _withdraw(session, sergeant, mistaken)
    not_offered = cases.open_case(session, actor=sergeant, person=make_person(session, creator=sergeant), now=NOW)
    not_offered.provisional_eligible, not_offered.evaluated_at = True, NOW
    cases.record_not_offered(
        session,
        actor=sergeant,
        case=not_offered,
        reason="officer_discretion",
        detail="Victim in hospital; decision deferred to the OIC",
        alternative_outcome="released_under_investigation",
        seen_version=not_offered.version,
        now=NOW,
    )
    figures = custody_desk.gate_figures(session, actor=supervisor, since=NOW - timedelta(days=30))
    assert (figures.not_offered, figures.withdrawn_in_error, figures.accepted, figures.declined) == (1, 1, 0, 0)
    assert session.get(Case, mistaken.id).offer_outcome is None
