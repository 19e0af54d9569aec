"""The navigator's day and the supervisor's count of each navigator's day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from casework.domain.clock import from_local
from casework.domain.errors import NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import CheckIn
from casework.services import caseload, today
from casework.services import check_ins as check_in_service
from tests.check_ins import make_check_in, marked_missed, recorded
from tests.conftest import NOW, make_case, make_user
from tests.statements import count_statements

# 00:30 on Thursday 16 July 2026 in London (BST): the UTC date is still the 15th.
JUST_AFTER_MIDNIGHT = datetime(2026, 7, 15, 23, 30, tzinfo=UTC)


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


def _active(session, team, navigator, **overrides):
    return make_case(
        session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, first_contact_at=NOW, **overrides
    )


def _ids(items):
    return [item.check_in.id for item in items]


def test_todays_check_ins_are_those_of_the_london_day_just_after_midnight(session, team, navigator):
    case = _active(session, team, navigator)

    def at(day, hour, minute=0):
        return from_local(date(2026, 7, day), time(hour, minute))

    yesterday_late = make_check_in(session, case=case, at=at(15, 23, 15))
    just_now = make_check_in(session, case=case, at=at(16, 0, 20))  # 23:20 UTC on the 15th
    morning = make_check_in(session, case=case, at=at(16, 9))
    last_minute = make_check_in(session, case=case, at=at(16, 23, 45))
    make_check_in(session, case=case, at=at(17, 0, 15))

    day = today.day_for(session, actor=navigator, navigator=navigator, now=JUST_AFTER_MIDNIGHT)

    assert day.day == date(2026, 7, 16)
    assert _ids(day.check_ins) == [just_now.id, morning.id, last_minute.id]
    assert [item.started for item in day.check_ins] == [True, False, False]
    # Last night's 23:15 and tonight's 00:20 have started with no outcome: the navigator's to record.
    assert _ids(day.outcomes_to_record) == [yesterday_late.id, just_now.id]


def test_only_the_navigators_own_open_cases_count(session, team, other_team, navigator):
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team)
    mine = _active(session, team, navigator)
    theirs = _active(session, team, colleague)
    closed = make_case(session, team=team, state=CaseState.COMPLETED, navigator_id=navigator.id)
    elsewhere = make_case(session, team=other_team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    at = NOW - timedelta(hours=1)
    kept = make_check_in(session, case=mine, at=at)
    for case in (theirs, closed, elsewhere):
        make_check_in(session, case=case, at=at)
    cancelled = make_check_in(session, case=mine, at=at + timedelta(minutes=30))
    cancelled.cancelled_at, cancelled.cancel_reason, cancelled.requested_by = NOW, "Ill", "person"
    session.flush()

    day = today.day_for(session, actor=navigator, navigator=navigator, now=NOW)

    assert _ids(day.check_ins) == [kept.id]
    assert _ids(day.outcomes_to_record) == [kept.id]


def test_outcomes_to_record_follow_the_check_in_rule_exactly(session, team, navigator):
    """The query and services.check_ins.awaiting_outcome agree on every kind of check-in."""
    case = _active(session, team, navigator)
    earlier = NOW - timedelta(days=3)
    nothing = make_check_in(session, case=case, at=NOW - timedelta(minutes=5))
    not_started = make_check_in(session, case=case, at=NOW + timedelta(minutes=5))
    system_missed = marked_missed(make_check_in(session, case=case, at=earlier), due=NOW.date())
    navigator_missed = marked_missed(
        make_check_in(session, case=case, at=earlier + timedelta(hours=1)), due=NOW.date(), by=navigator
    )
    attended = recorded(make_check_in(session, case=case, at=earlier + timedelta(hours=2)), by=navigator)
    session.flush()

    day = today.day_for(session, actor=navigator, navigator=navigator, now=NOW)

    assert _ids(day.outcomes_to_record) == [system_missed.id, nothing.id]
    everything = session.scalars(select(CheckIn).where(CheckIn.case_id == case.id)).all()
    assert {c.id for c in everything if check_in_service.awaiting_outcome(c, now=NOW)} == set(
        _ids(day.outcomes_to_record)
    )
    assert {not_started.id, navigator_missed.id, attended.id}.isdisjoint(_ids(day.outcomes_to_record))
    assert today.outcomes_to_record_count(session, actor=navigator, now=NOW) == 2


def test_the_teams_counts_add_both_kinds_of_waiting_check_in_and_agree_with_each_navigators_day(
    session, team, other_team, navigator
):
    """The supervisor's count per navigator adds check-ins with nothing recorded and those only marked
    missed by the system, counted apart, and matches each navigator's own list."""
    second = make_user(session, roles=[Role.NAVIGATOR], team=team)
    earlier = NOW - timedelta(days=3)
    mine, theirs = _active(session, team, navigator), _active(session, team, second)
    for case in (mine, theirs):
        make_check_in(session, case=case, at=NOW - timedelta(minutes=5))
        marked_missed(make_check_in(session, case=case, at=earlier), due=NOW.date())
    make_check_in(session, case=mine, at=earlier - timedelta(hours=2))  # mine: a second with nothing recorded
    marked_missed(make_check_in(session, case=mine, at=earlier + timedelta(hours=1)), due=NOW.date(), by=navigator)
    make_check_in(session, case=mine, at=NOW + timedelta(minutes=5))  # not started
    closed = make_case(session, team=team, state=CaseState.COMPLETED, navigator_id=navigator.id, closed_at=NOW)
    make_check_in(session, case=closed, at=earlier)
    elsewhere = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    marked_missed(make_check_in(session, case=_active(session, other_team, elsewhere), at=earlier), due=NOW.date())
    session.flush()

    counts = today.outcomes_to_record(session, team_id=team.id, now=NOW)

    assert counts == {navigator.id: 3, second.id: 2}
    for each in (navigator, second):
        day = today.day_for(session, actor=each, navigator=each, now=NOW)
        assert len(day.outcomes_to_record) == counts[each.id]


def test_explanations_overdue_after_the_two_working_days(session, team, navigator):
    case = _active(session, team, navigator)
    # Missed on Thursday 19 November; the explanation was due by Monday 23rd; today is Tuesday 24th.
    overdue = marked_missed(
        make_check_in(session, case=case, at=NOW - timedelta(days=5)), due=date(2026, 11, 23), by=navigator
    )
    marked_missed(make_check_in(session, case=case, at=NOW - timedelta(days=1)), due=date(2026, 11, 25), by=navigator)
    session.flush()

    day = today.day_for(session, actor=navigator, navigator=navigator, now=NOW)

    assert _ids(day.explanations_overdue) == [overdue.id]


def test_first_contacts_overdue_agree_with_the_caseloads_flag_day_by_day(session, team, navigator):
    """Referrals made on each of the last 21 days (over a weekend and at London midnight): the
    Today list and the caseload's flag pick the same ones."""
    cases = []
    for days_ago in range(21):
        for minutes in (5, 12 * 60):  # just after midnight London time, and midday
            referred = from_local(NOW.date() - timedelta(days=days_ago), time.min) + timedelta(minutes=minutes)
            cases.append(make_case(session, team=team, navigator_id=navigator.id, referred_at=referred))
    seen = make_case(session, team=team, navigator_id=navigator.id, referred_at=NOW - timedelta(days=20))
    seen.first_contact_at = NOW
    session.flush()

    day = today.day_for(session, actor=navigator, navigator=navigator, now=NOW)

    flagged = {c.id for c in cases if caseload.first_contact_overdue(session, case=c, today=NOW.date())}
    assert {c.id for c in day.first_contacts_overdue} == flagged
    assert 0 < len(flagged) < len(cases)
    assert seen.id not in flagged


def test_a_supervisor_sees_each_navigators_counts_and_the_unallocated(session, team, other_team, supervisor):
    busy = make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Alex Busy")
    idle = make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Bea Idle")
    make_user(session, roles=[Role.NAVIGATOR], team=other_team, full_name="Cal Elsewhere")
    case = _active(session, team, busy)
    make_check_in(session, case=case, at=NOW - timedelta(hours=1))
    make_check_in(session, case=case, at=NOW + timedelta(hours=1))
    marked_missed(make_check_in(session, case=case, at=NOW - timedelta(days=6)), due=date(2026, 11, 20), by=busy)
    make_case(session, team=team, navigator_id=busy.id, referred_at=NOW - timedelta(days=30))
    make_case(session, team=team, referred_at=NOW - timedelta(days=30))
    make_case(session, team=other_team, referred_at=NOW - timedelta(days=30))

    summary = today.team_day(session, actor=supervisor, now=NOW)

    rows = {row.navigator.full_name: row for row in summary.navigators}
    assert set(rows) == {"Alex Busy", "Bea Idle"}
    assert (
        rows["Alex Busy"].check_ins,
        rows["Alex Busy"].outcomes_to_record,
        rows["Alex Busy"].explanations_overdue,
        rows["Alex Busy"].first_contacts_overdue,
    ) == (2, 1, 1, 1)
    assert rows["Bea Idle"].total == 0 and rows["Bea Idle"].check_ins == 0
    assert summary.unallocated_first_contacts_overdue == 1
    assert today.navigator_in_team(session, actor=supervisor, user_id=idle.id) == idle
    assert today.day_for(session, actor=supervisor, navigator=busy, now=NOW).check_ins


def test_refusals(session, team, other_team, navigator, supervisor):
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team)
    stranger = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    administrator = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    with pytest.raises(NotPermitted):
        today.day_for(session, actor=navigator, navigator=colleague, now=NOW)
    with pytest.raises(NotPermitted):
        today.team_day(session, actor=navigator, now=NOW)
    with pytest.raises(NotFound):
        today.navigator_in_team(session, actor=supervisor, user_id=stranger.id)
    with pytest.raises(NotFound):
        today.navigator_in_team(session, actor=supervisor, user_id=sergeant.id)
    for outsider in (sergeant, administrator):
        with pytest.raises(NotPermitted):
            today.day_for(session, actor=outsider, navigator=outsider, now=NOW)
        with pytest.raises(NotPermitted):
            today.outcomes_to_record_count(session, actor=outsider, now=NOW)
        with pytest.raises(NotPermitted):
            today.team_day(session, actor=outsider, now=NOW)


def _load_everything(session, navigator, supervisor):
    day = today.day_for(session, actor=navigator, navigator=navigator, now=NOW)
    for item in [*day.check_ins, *day.outcomes_to_record, *day.explanations_overdue]:
        assert item.case.person.family_name  # what the page shows for each row
    for case in day.first_contacts_overdue:
        assert case.person.family_name
    today.team_day(session, actor=supervisor, now=NOW)


def _add_due_items(session, team, navigator, count):
    for n in range(count):
        case = _active(session, team, navigator)
        make_check_in(session, case=case, at=NOW - timedelta(minutes=n + 1))
        marked_missed(
            make_check_in(session, case=case, at=NOW - timedelta(days=6)), due=date(2026, 11, 20), by=navigator
        )
        make_case(session, team=team, navigator_id=navigator.id, referred_at=NOW - timedelta(days=30))
    session.commit()
    session.expire_all()


def test_the_lists_issue_the_same_statements_for_1_and_20_due_items(session, team, navigator, supervisor):
    _add_due_items(session, team, navigator, 1)
    one = count_statements(session, lambda: _load_everything(session, navigator, supervisor))
    _add_due_items(session, team, navigator, 19)
    twenty = count_statements(session, lambda: _load_everything(session, navigator, supervisor))
    assert one == twenty
