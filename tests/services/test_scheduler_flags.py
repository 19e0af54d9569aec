"""The flag sweeps: each flag raised once when its situation arises, audited as the system, shown
while it holds, and recorded as resolved when the situation ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from casework.domain.clock import from_local, local_today
from casework.domain.errors import NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, CaseFlag
from casework.services import assessment, flags
from tests.conftest import NOW, make_case, make_contract, make_user

# NOW is Tuesday 24 November 2026; Durham's target for first contact is 5 working days.
REFERRED = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # Monday 16th: due by Monday 23rd


def _flags(session, case=None) -> list[tuple[str, str, bool]]:
    statement = select(CaseFlag).order_by(CaseFlag.id)
    if case is not None:
        statement = statement.where(CaseFlag.case_id == case.id)
    return [(f.kind, f.subject, f.resolved_at is not None) for f in session.scalars(statement)]


def _audited(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def test_first_contact_overdue_is_flagged_once_the_target_has_passed(session, team, navigator):
    overdue = make_case(session, team=team, referred_at=REFERRED, navigator_id=navigator.id)
    on_time = make_case(session, team=team, referred_at=REFERRED + timedelta(days=1))  # due today
    seen = make_case(session, team=team, state=CaseState.ASSESSMENT, referred_at=REFERRED, first_contact_at=NOW)

    assert flags.raise_first_contact_overdue(session, now=NOW) == 1
    assert flags.raise_first_contact_overdue(session, now=NOW) == 0  # a rerun changes nothing
    assert _flags(session, overdue) == [("first_contact_overdue", "", False)]
    assert _flags(session, on_time) == _flags(session, seen) == []
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "flag.raised")).one()
    assert (event.actor_id, event.case_id, event.team_id) == (None, overdue.id, team.id)
    assert event.detail == {"kind": "first_contact_overdue", "subject": ""}

    assert flags.raise_first_contact_overdue(session, now=NOW + timedelta(days=1)) == 1  # on_time's turn
    assert _flags(session, on_time) == [("first_contact_overdue", "", False)]


def test_first_contact_counts_working_days_from_the_london_date_of_referral(session, team):
    # 00:30 BST on Tuesday 4 August 2026 is still Monday in UTC: the referral is Tuesday's, so the five
    # working days are 5-11 August and first contact is overdue from Wednesday 12th, not Tuesday 11th.
    case = make_case(session, team=team, referred_at=from_local(date(2026, 8, 4), time(0, 30)))
    assert flags.raise_first_contact_overdue(session, now=from_local(date(2026, 8, 11), time(23, 59))) == 0
    assert flags.raise_first_contact_overdue(session, now=from_local(date(2026, 8, 12), time(0, 1))) == 1
    assert _flags(session, case) == [("first_contact_overdue", "", False)]


def test_recording_first_contact_hides_the_flag_at_once_and_the_sweep_records_it_resolved(session, team, navigator):
    case = make_case(session, team=team, referred_at=REFERRED, navigator_id=navigator.id)
    flags.raise_first_contact_overdue(session, now=NOW)
    assert [f.text for f in flags.open_for_case(session, case=case, today=local_today(NOW))] == [
        "First contact is overdue"
    ]

    assessment.record_first_contact(
        session, actor=navigator, case=case, contact_at=NOW, method="in_person", seen_version=case.version, now=NOW
    )
    assert flags.open_for_case(session, case=case, today=local_today(NOW)) == []  # before any sweep
    assert flags.resolve_ended(session, now=NOW) == 1
    assert flags.resolve_ended(session, now=NOW) == 0
    assert _flags(session, case) == [("first_contact_overdue", "", True)]
    assert _audited(session, "flag.resolved") == 1
    assert flags.raise_first_contact_overdue(session, now=NOW) == 0  # never raised again


def test_a_contract_at_its_end_date_asks_for_the_completion_review(session, team, navigator):
    ending_today = make_case(session, team=team, state=CaseState.ACTIVE)
    make_contract(session, case=ending_today, created_by=navigator, ends_on=local_today(NOW))
    ending_tomorrow = make_case(session, team=team, state=CaseState.ACTIVE)
    make_contract(session, case=ending_tomorrow, created_by=navigator, ends_on=local_today(NOW) + timedelta(days=1))
    suspended = make_case(session, team=team, state=CaseState.SUSPENDED)
    make_contract(session, case=suspended, created_by=navigator, ends_on=local_today(NOW) - timedelta(days=3))

    assert flags.raise_completion_reviews(session, now=NOW) == 1
    assert flags.raise_completion_reviews(session, now=NOW) == 0
    assert _flags(session, ending_today) == [("completion_review", "2026-11-24", False)]
    assert _flags(session, ending_tomorrow) == _flags(session, suspended) == []
    [flag] = flags.open_for_case(session, case=ending_today, today=local_today(NOW))
    assert flag.text == "The contract ended on 24 November 2026: start the completion review"


def test_a_variation_that_moves_the_end_later_resolves_the_flag_and_is_flagged_at_its_own_end(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ACTIVE)
    first = make_contract(session, case=case, created_by=navigator, ends_on=local_today(NOW))
    flags.raise_completion_reviews(session, now=NOW)
    first.status = "superseded"
    make_contract(session, case=case, created_by=navigator, version_number=2, ends_on=date(2026, 12, 8))
    session.flush()

    assert flags.resolve_ended(session, now=NOW) == 1
    assert flags.raise_completion_reviews(session, now=NOW) == 0
    later = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    assert flags.raise_completion_reviews(session, now=later) == 1
    assert _flags(session, case) == [
        ("completion_review", "2026-11-24", True),
        ("completion_review", "2026-12-08", False),
    ]


def test_charge_deadline_warnings_come_at_28_14_and_7_days_each_once(session, team):
    today = local_today(NOW)
    case = make_case(session, team=team, state=CaseState.ACTIVE, decision_deadline_on=today + timedelta(days=30))
    closed = make_case(session, team=team, state=CaseState.COMPLETED, decision_deadline_on=today + timedelta(days=3))
    raised = []
    for day in range(0, 32):
        now = NOW + timedelta(days=day)
        if flags.raise_deadline_warnings(session, now=now):
            raised.append((day, [f.text for f in flags.open_for_case(session, case=case, today=local_today(now))]))
        flags.resolve_ended(session, now=now)
    assert raised == [
        (2, ["28 days or fewer to the decision deadline"]),
        (16, ["14 days or fewer to the decision deadline"]),
        (23, ["7 days or fewer to the decision deadline"]),
    ]
    assert _flags(session, case) == [("deadline", "28", True), ("deadline", "14", True), ("deadline", "7", False)]
    assert _flags(session, closed) == []
    assert _audited(session, "flag.raised") == 3 and _audited(session, "flag.resolved") == 2


def test_a_case_already_close_to_its_deadline_gets_only_the_most_urgent_warning(session, team):
    case = make_case(session, team=team, decision_deadline_on=local_today(NOW) + timedelta(days=10))
    assert flags.raise_deadline_warnings(session, now=NOW) == 1
    assert _flags(session, case) == [("deadline", "14", False)]


def test_a_closed_case_has_no_open_flags_and_the_sweep_resolves_them(session, team, navigator):
    case = make_case(session, team=team, referred_at=REFERRED, decision_deadline_on=local_today(NOW))
    flags.raise_first_contact_overdue(session, now=NOW)
    flags.raise_deadline_warnings(session, now=NOW)
    assert len(flags.open_for_case(session, case=case, today=local_today(NOW))) == 2
    case.state, case.closed_at, case.withdrawal_reason = CaseState.WITHDRAWN_IN_ERROR.value, NOW, "duplicate"
    session.flush()
    assert flags.open_for_case(session, case=case, today=local_today(NOW)) == []
    assert flags.resolve_ended(session, now=NOW) == 2


# The 28-day warning for a deadline of Sunday 26 April 2026 is due on Sunday 29 March, the day the
# clocks go forward; for Sunday 22 November, on Sunday 25 October, the day they go back.
@pytest.mark.parametrize(
    ("deadline", "before", "after"),
    [
        # 23:30 GMT on Saturday 28 March, then 00:30 GMT on the 29th
        (date(2026, 4, 26), datetime(2026, 3, 28, 23, 30, tzinfo=UTC), datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
        # 23:30 BST on Sunday 29 March (22:30 UTC), then 00:30 BST on the 30th (23:30 UTC on the 29th)
        (date(2026, 4, 27), datetime(2026, 3, 29, 22, 30, tzinfo=UTC), datetime(2026, 3, 29, 23, 30, tzinfo=UTC)),
        # 23:30 BST on Saturday 24 October, then 00:30 BST on the 25th (23:30 UTC on the 24th)
        (date(2026, 11, 22), datetime(2026, 10, 24, 22, 30, tzinfo=UTC), datetime(2026, 10, 24, 23, 30, tzinfo=UTC)),
        # 23:30 GMT on Sunday 25 October, then 00:30 GMT on the 26th
        (date(2026, 11, 23), datetime(2026, 10, 25, 23, 30, tzinfo=UTC), datetime(2026, 10, 26, 0, 30, tzinfo=UTC)),
    ],
)
def test_deadline_warnings_start_at_london_midnight_across_the_clock_changes(session, team, deadline, before, after):
    case = make_case(session, team=team, decision_deadline_on=deadline)
    assert local_today(after) == deadline - timedelta(days=28)
    assert flags.raise_deadline_warnings(session, now=before) == 0
    assert flags.raise_deadline_warnings(session, now=after) == 1
    assert _flags(session, case) == [("deadline", "28", False)]


def test_the_team_list_shows_only_the_supervisors_team_and_refuses_navigators(session, team, other_team, navigator):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    ours = make_case(session, team=team, referred_at=REFERRED)
    make_case(session, team=other_team, referred_at=REFERRED)
    flags.raise_first_contact_overdue(session, now=NOW)
    listed = flags.open_for_team(session, actor=supervisor, today=local_today(NOW))
    assert [(f.case.id, f.text) for f in listed] == [(ours.id, "First contact is overdue")]
    with pytest.raises(NotPermitted):
        flags.open_for_team(session, actor=navigator, today=local_today(NOW))
