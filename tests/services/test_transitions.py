"""The one way a case changes state: the table decides, the data tied to the state follows, the
audit trail records it, and a refused step changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import IllegalTransition, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Case
from casework.services import transitions
from tests.conftest import NOW, make_case, make_user


def _events(session, case) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.sequence)))


def test_a_move_records_who_moved_the_case_from_what_to_what(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.REFERRED)
    version = case.version
    assert transitions.move(session, case, CaseEvent.RECORD_FIRST_CONTACT, actor=navigator, now=NOW, method="phone")
    assert case.case_state is CaseState.ASSESSMENT and case.version == version + 1
    event = _events(session, case)[-1]
    assert event.action == "case.record_first_contact" and event.actor_id == navigator.id
    assert event.detail == {"from_state": "referred", "to_state": "assessment", "method": "phone"}


def test_entering_a_terminal_state_closes_the_case_and_referral_stamps_its_time(session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case = make_case(session, team=team, state=CaseState.PENDING_ACCEPTANCE, referred_at=None)
    later = NOW + timedelta(hours=3)
    transitions.move(session, case, CaseEvent.ACCEPT_REFERRAL, actor=supervisor, now=later)
    assert case.referred_at == later and case.closed_at is None
    case.withdrawal_reason, case.withdrawal_detail = "duplicate", "Opened twice for one arrest"
    transitions.move(session, case, CaseEvent.WITHDRAW_IN_ERROR, actor=supervisor, now=later + timedelta(hours=1))
    assert case.case_state is CaseState.WITHDRAWN_IN_ERROR and case.closed_at == later + timedelta(hours=1)


def test_a_refused_move_changes_nothing(session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case = make_case(session, team=team, state=CaseState.COMPLETED)
    before = (case.state, case.version, case.closed_at, len(_events(session, case)))
    with pytest.raises(IllegalTransition, match="completed and can no longer change"):
        transitions.move(session, case, CaseEvent.TERMINATE, actor=supervisor, now=NOW)
    session.expire_all()
    again = session.get(Case, case.id)
    assert (again.state, again.version, again.closed_at, len(_events(session, again))) == before


def test_require_allowed_accepts_any_of_several_events_and_refuses_with_the_reason(session, team):
    case = make_case(session, team=team, state=CaseState.ACTIVE)
    transitions.require_allowed(case, CaseEvent.RECORD_FIRST_CONTACT, CaseEvent.SUSPEND)
    with pytest.raises(IllegalTransition, match="'Active' cannot be moved on by 'record first contact'"):
        transitions.require_allowed(case, CaseEvent.RECORD_FIRST_CONTACT)


def test_a_move_over_a_concurrent_change_is_a_stale_record_naming_the_case(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.REFERRED)
    # Another transaction moved the case on after this one read it.
    session.execute(
        Case.__table__.update().where(Case.id == case.id).values(version=case.version + 1, state="assessment")
    )
    with pytest.raises(StaleRecord) as refused:
        transitions.move(session, case, CaseEvent.RECORD_FIRST_CONTACT, actor=navigator, now=NOW)
    assert refused.value.case_id == case.id and case.reference in refused.value.message
