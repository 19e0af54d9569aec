"""Reoffending follow-ups: two checks, at 12 and 24 months, for every case closed after referral,
exactly once; the supervisor's list of checks due and the result they record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from casework.domain.errors import FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, ReoffendingFollowUp
from casework.services import contract_signing, reoffending_follow_ups, transitions
from tests.conftest import NOW, make_case, make_contract, make_user
from tests.services.test_contract_signing import _draft

CLOSING = [
    CaseEvent.CLOSE_CHARGED,
    CaseEvent.CLOSE_ALTERNATIVE,
    CaseEvent.CLOSE_TIME_BARRED,
    CaseEvent.CLOSE_EVIDENTIAL,
]


@pytest.fixture
def people(session, team, other_team):
    return {
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "their_supervisor": make_user(session, roles=[Role.SUPERVISOR], team=other_team),
    }


def _tasks(session, case) -> list[ReoffendingFollowUp]:
    query = select(ReoffendingFollowUp).where(ReoffendingFollowUp.case_id == case.id)
    return list(session.scalars(query.order_by(ReoffendingFollowUp.months)))


@pytest.mark.parametrize("closing", CLOSING)
def test_a_refusal_to_sign_then_each_prosecution_outcome_gets_both_checks_from_the_offence(
    session, team, people, closing
):
    case, contract = _draft(session, team, people["navigator"])
    case.offence_first_on, case.offence_last_on = date(2026, 9, 1), date(2026, 9, 3)
    contract_signing.record_agreement(
        session,
        actor=people["navigator"],
        case=case,
        agreement="does_not_agree",
        reason="Will not attend the hub",
        seen_version=contract.version,
        now=NOW,
    )
    assert case.case_state is CaseState.PROSECUTION_DECISION and _tasks(session, case) == []
    transitions.move(session, case, closing, actor=people["supervisor"], now=NOW)
    # No contract started: counted from the (last) offence date.
    assert [(t.months, t.basis, t.counted_from, t.due_on) for t in _tasks(session, case)] == [
        (12, "offence", date(2026, 9, 3), date(2027, 9, 3)),
        (24, "offence", date(2026, 9, 3), date(2028, 9, 3)),
    ]
    created = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "follow_up.created")
    ).all()
    assert sorted(e.detail["months"] for e in created) == [12, 24]


def test_a_completed_case_counts_from_the_contract_start_even_after_a_variation(session, team, people):
    case = make_case(
        session,
        team=team,
        state=CaseState.COMPLETION_REVIEW,
        offence_first_on=date(2028, 1, 5),
        offence_last_on=date(2028, 1, 5),
    )
    make_contract(session, case=case, created_by=people["navigator"], status="superseded", starts_on=date(2028, 2, 29))
    make_contract(session, case=case, created_by=people["navigator"], version_number=2, starts_on=date(2028, 4, 1))
    transitions.move(session, case, CaseEvent.COMPLETE, actor=people["supervisor"], now=NOW)
    assert [(t.basis, t.counted_from, t.due_on) for t in _tasks(session, case)] == [
        ("contract_start", date(2028, 2, 29), date(2029, 2, 28)),
        ("contract_start", date(2028, 2, 29), date(2030, 2, 28)),
    ]


def test_the_checks_are_created_exactly_once(session, team, people):
    case = make_case(session, team=team, state=CaseState.PROSECUTION_DECISION)
    transitions.move(session, case, CaseEvent.CLOSE_CHARGED, actor=people["supervisor"], now=NOW)
    again = reoffending_follow_ups.create_for_case(session, case=case, now=NOW + timedelta(days=3))
    assert [t.id for t in again] == [t.id for t in _tasks(session, case)] and len(again) == 2
    session.add(
        ReoffendingFollowUp(
            case_id=case.id, months=12, counted_from=NOW.date(), basis="offence", due_on=NOW.date(), created_at=NOW
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (CaseState.ELIGIBILITY_DRAFT, CaseEvent.RECORD_DECLINE),
        (CaseState.ELIGIBILITY_DRAFT, CaseEvent.RECORD_INELIGIBLE),
        (CaseState.ACTIVE, CaseEvent.WITHDRAW_IN_ERROR),
    ],
)
def test_cases_that_end_without_an_outcome_get_no_checks(session, team, people, state, event):
    case = make_case(session, team=team, state=state, withdrawal_reason="duplicate", withdrawal_detail="Twice")
    transitions.move(session, case, event, actor=people["supervisor"], now=NOW)
    assert _tasks(session, case) == []


def _closed_task(session, team, people, *, offence_on):
    case = make_case(
        session,
        team=team,
        state=CaseState.PROSECUTION_DECISION,
        offence_first_on=offence_on,
        offence_last_on=offence_on,
    )
    transitions.move(session, case, CaseEvent.CLOSE_CHARGED, actor=people["supervisor"], now=NOW)
    return _tasks(session, case)


def test_the_supervisor_lists_checks_due_and_records_the_result(session, team, other_team, people):
    old = _closed_task(session, team, people, offence_on=date(2025, 10, 1))  # 12 months due 1 Oct 2026
    oldest = _closed_task(session, team, people, offence_on=date(2025, 9, 1))
    _closed_task(session, other_team, people, offence_on=date(2025, 8, 1))
    due, later = reoffending_follow_ups.due_for_team(session, actor=people["supervisor"], today=NOW.date())
    assert [t.id for t in due] == [oldest[0].id, old[0].id] and later == 2
    task = reoffending_follow_ups.get(session, actor=people["supervisor"], task_id=old[0].id)
    reoffending_follow_ups.record_result(
        session,
        actor=people["supervisor"],
        task=task,
        result="not_reoffended",
        source="pnc",
        source_detail="",
        checked_on=NOW.date(),
        seen_version=task.version,
        now=NOW,
    )
    due, _ = reoffending_follow_ups.due_for_team(session, actor=people["supervisor"], today=NOW.date())
    assert [t.id for t in due] == [oldest[0].id]
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "follow_up.result_recorded")).all()
    assert (event.detail["result"], event.detail["months"]) == ("not_reoffended", 12)
    with pytest.raises(IllegalTransition, match="already recorded"):
        reoffending_follow_ups.record_result(
            session,
            actor=people["supervisor"],
            task=task,
            result="reoffended",
            source="pnc",
            source_detail="",
            checked_on=NOW.date(),
            seen_version=task.version,
            now=NOW,
        )


def test_a_result_is_refused_field_by_field_stale_or_from_another_team(session, team, people):
    twelve, twenty_four = _closed_task(session, team, people, offence_on=date(2025, 10, 1))

    def record(task, **overrides):
        values = dict(
            result="unknown", source="pnc", source_detail="", checked_on=NOW.date(), seen_version=task.version
        )
        values.update(overrides)
        return reoffending_follow_ups.record_result(session, actor=people["supervisor"], task=task, now=NOW, **values)

    with pytest.raises(FieldErrors) as refused:
        record(twelve, result="maybe", source="other", checked_on=NOW.date() + timedelta(days=1))
    assert {p.field for p in refused.value.problems} == {"result", "source_detail", "checked_on"}
    with pytest.raises(FieldErrors, match="24-month check is due on 01/10/2027"):
        record(twenty_four, source="", checked_on=NOW.date())
    with pytest.raises(StaleRecord):
        record(twelve, seen_version=twelve.version + 1)
    with pytest.raises(NotFound):
        reoffending_follow_ups.get(session, actor=people["their_supervisor"], task_id=twelve.id)
    with pytest.raises(NotPermitted):
        reoffending_follow_ups.get(session, actor=people["navigator"], task_id=twelve.id)
    with pytest.raises(NotFound):
        reoffending_follow_ups.get(session, actor=people["supervisor"], task_id=None)
    assert twelve.result is None and twenty_four.result is None
