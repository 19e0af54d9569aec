"""The scheduler moves a case into completion review at its end date only when every precondition
holds, exactly once across two schedulers, and leaves the rest active with their flag."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.db import make_session_factory
from casework.domain.clock import FixedClock
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.migrate import upgrade
from casework.models import AuditEvent, Case, CaseFlag, CompletionReview
from tests.conftest import make_case, make_contract, make_team, make_user
from tests.services.test_scheduler import START, drive_two_schedulers

DAYS = 4


@pytest.fixture
def sessions(fresh_database):
    upgrade(fresh_database.engine)
    return make_session_factory(fresh_database.engine)


@pytest.fixture
def engine(fresh_database):
    return fresh_database.engine


def _build(sessions) -> dict[str, list[int]]:
    """Contracts ending on each of the days, half with every condition met; one ending after the run."""
    built: dict[str, list[int]] = {"ready": [], "unmet": [], "later": []}
    with sessions() as session:
        team = make_team(session)
        navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        for n in range(DAYS):
            for ready in (True, False):
                case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
                contract = make_contract(
                    session,
                    case=case,
                    created_by=navigator,
                    starts_on=START.date() - timedelta(days=120),
                    ends_on=START.date() + timedelta(days=n),
                )
                if ready:
                    contract.conditions[1].status = "met"
                built["ready" if ready else "unmet"].append(case.id)
        later = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
        met = make_contract(session, case=later, created_by=navigator, ends_on=START.date() + timedelta(days=DAYS + 3))
        met.conditions[1].status = "met"
        built["later"].append(later.id)
        session.commit()
    return built


def test_two_schedulers_move_each_ready_case_once_and_leave_the_rest_active(sessions, engine):
    built = _build(sessions)
    drive_two_schedulers(sessions, engine, FixedClock(START), days=DAYS)
    with sessions() as session:
        states = {case.id: case.case_state for case in session.scalars(select(Case))}
        moved = Counter(
            session.scalars(select(AuditEvent.case_id).where(AuditEvent.action == "case.begin_completion_review"))
        )
        reviews = Counter(session.scalars(select(CompletionReview.case_id)))
        flagged = set(session.scalars(select(CaseFlag.case_id).where(CaseFlag.kind == "completion_review")))
        system = set(
            session.scalars(
                select(CompletionReview.requested_by_id).where(CompletionReview.case_id.in_(built["ready"]))
            )
        )
    assert all(states[i] is CaseState.COMPLETION_REVIEW for i in built["ready"])
    assert moved == reviews == Counter({i: 1 for i in built["ready"]})
    assert system == {None}
    assert all(states[i] is CaseState.ACTIVE for i in built["unmet"] + built["later"])
    assert set(built["unmet"]) <= flagged
