"""The figures on the supervisor's home page count what they say, for the supervisor's team only."""

from __future__ import annotations

from datetime import timedelta

from casework.domain.check_ins import Outcome
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.services import supervisor_home
from tests.check_ins import make_check_in, recorded
from tests.conftest import NOW, make_case, make_user
from tests.services.breach_decision_world import breach_case, make_breach


def test_the_panels_count_the_teams_cases(session, team, other_team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    busy, quiet = (make_user(session, roles=[Role.NAVIGATOR], team=team) for _ in range(2))
    today = NOW.date()
    for days in (3, 28, 29):
        make_case(
            session,
            team=team,
            state=CaseState.ACTIVE,
            navigator_id=busy.id,
            decision_deadline_on=today + timedelta(days=days),
        )
    make_case(session, team=team, state=CaseState.PROSECUTION_DECISION, decision_deadline_on=today - timedelta(days=1))
    make_case(session, team=team, state=CaseState.CLOSED_CHARGED, decision_deadline_on=today)  # closed: not counted
    make_case(session, team=team, state=CaseState.COMPLETION_REVIEW, navigator_id=busy.id)
    in_review = breach_case(session, team=team, navigator=quiet, deadline_in=40)
    make_breach(session, case=in_review)
    missed = make_check_in(session, case=in_review, at=NOW - timedelta(hours=2))
    make_check_in(session, case=in_review, at=NOW - timedelta(days=1))
    recorded(missed, by=quiet, outcome=Outcome.ATTENDED_COMPLIED)
    # Another team's cases are never counted, even one held by this team's navigator.
    make_case(session, team=other_team, state=CaseState.ACTIVE, navigator_id=busy.id)
    elsewhere = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    make_breach(session, case=breach_case(session, team=other_team, navigator=elsewhere, deadline_in=2))

    breaches = supervisor_home.breaches_awaiting(session, actor=supervisor, on=today)
    assert breaches.count == 1 and [w.case.id for w in breaches.top] == [in_review.id]
    near = supervisor_home.near_deadline(session, actor=supervisor, on=today)
    assert [item.days_left for item in near] == [-1, 3, 28]
    assert [c.case_state for c in supervisor_home.awaiting_sign_off(session, actor=supervisor)] == [
        CaseState.COMPLETION_REVIEW
    ]
    loads = {row.navigator.id: row for row in supervisor_home.caseloads(session, actor=supervisor, now=NOW)}
    assert (loads[busy.id].open_cases, loads[quiet.id].open_cases) == (4, 1)
    assert (loads[busy.id].outcomes_to_record, loads[quiet.id].outcomes_to_record) == (0, 1)
