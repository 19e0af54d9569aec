"""The conditions-not-met sweep against a real database with real separate connections: over days
of two schedulers, and with two sweeps racing each other, each condition past its due date gets one
breach, and each case goes to review once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from casework.domain.clock import FixedClock
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Breach, Case, Condition, Contract
from casework.services import breach_raising, schemes
from tests.conftest import make_case, make_contract, make_team, make_user
from tests.services.test_scheduler import START, drive_two_schedulers, engine, sessions  # noqa: F401 (fixtures)

WAIT = 30


def _build(factory, *, cases: int = 6) -> None:
    """Cases whose course is due on each of the days from START, one already met, one on a closed case."""
    with factory() as session:
        team = make_team(session)
        navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        for n in range(cases):
            case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
            contract = make_contract(
                session, case=case, created_by=navigator, starts_on=START.date() - timedelta(days=60)
            )
            contract.conditions[1].due_on = START.date() + timedelta(days=n - 2)
            contract.conditions[1].status = "met" if n == 1 else "in_progress"
        closed = make_case(session, team=team, state=CaseState.COMPLETED)
        done = make_contract(session, case=closed, created_by=navigator, starts_on=START.date() - timedelta(days=60))
        done.conditions[1].due_on = START.date() - timedelta(days=5)
        session.commit()


def _per_condition(factory) -> Counter:
    with factory() as session:
        return Counter(session.scalars(select(Breach.condition_id).where(Breach.kind == "condition_not_met")))


def _expected(factory, last_day) -> set[int]:
    """Worked out from the rule in words: in progress, due before the last London day, on a running case."""
    with factory() as session:
        rows = session.execute(
            select(Condition.id, Condition.due_on, Condition.status, Case.state)
            .join(Contract, Contract.id == Condition.contract_id)
            .join(Case, Case.id == Contract.case_id)
        ).all()
    running = {CaseState.ACTIVE.value, CaseState.BREACH_REVIEW.value}
    return {
        i for i, due, status, state in rows if due and due < last_day and status == "in_progress" and state in running
    }


def test_two_schedulers_over_four_days_raise_each_unmet_condition_once(sessions, engine):  # noqa: F811
    _build(sessions)
    _rounds, days_seen = drive_two_schedulers(sessions, engine, FixedClock(START), days=4)
    raised = _per_condition(sessions)
    assert set(raised) == _expected(sessions, days_seen[-1]) and len(raised) >= 4
    assert set(raised.values()) == {1}
    with sessions() as session:
        recorded = session.scalar(select(func.count()).where(AuditEvent.action == "breach.recorded"))
    assert recorded == len(raised)


def test_two_sweeps_racing_raise_each_breach_once_and_move_each_case_once(sessions):  # noqa: F811
    _build(sessions)
    with sessions() as session:  # every failure goes to review, so each case moves too
        schemes.settings_on(session, START.date()).warnings_before_review = 0
        session.commit()
    now = START + timedelta(days=5)
    start = threading.Barrier(2, timeout=WAIT)
    handled: list[int] = []
    problems: list[BaseException] = []

    def sweep() -> None:
        try:
            with sessions() as session:
                start.wait()
                handled.append(breach_raising.raise_for_unmet_conditions(session, now=now))
                session.commit()
        except BaseException as problem:
            problems.append(problem)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not problems, problems
    raised = _per_condition(sessions)
    assert sum(handled) == len(raised) == 5 and set(raised.values()) == {1}
    with sessions() as session:
        audited = Counter(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%breach%"))))
        in_review = session.scalar(select(func.count()).where(Case.state == CaseState.BREACH_REVIEW.value))
    assert audited == {"breach.recorded": 5, "breach.review_requested": 5, "case.report_breach": 5}
    assert in_review == 5
