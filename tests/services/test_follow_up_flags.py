"""A supervisor asks the case's navigator to follow something up; each is told of the other's step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldErrors, IllegalTransition, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.notifications import Event
from casework.domain.roles import Role
from casework.models import AuditEvent, StaffNotification
from casework.services import follow_up_flags
from tests.conftest import NOW, make_case, make_user

WHAT = "Check the course provider confirmed the place on Tuesday's session."


@pytest.fixture
def people(session, team):
    return {
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "colleague": make_user(session, roles=[Role.NAVIGATOR], team=team),
    }


def _told(session, user):
    return session.scalars(select(StaffNotification).where(StaffNotification.user_id == user.id)).all()


def test_a_follow_up_goes_to_the_navigator_and_the_answer_comes_back(session, team, people):
    supervisor, navigator = people["supervisor"], people["navigator"]
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    follow_up = follow_up_flags.ask(
        session, actor=supervisor, case=case, what=WHAT, due_on=NOW.date() + timedelta(days=3), now=NOW
    )
    [asked] = _told(session, navigator)
    assert asked.event == Event.FOLLOW_UP_ASKED.value and WHAT in asked.text and supervisor.full_name in asked.text
    assert follow_up_flags.open_for_case(session, case=case) == [follow_up]
    assert follow_up_flags.open_for_navigator(session, actor=navigator, navigator=navigator) == [(follow_up, case)]

    follow_up_flags.complete(
        session,
        actor=navigator,
        case=case,
        follow_up=follow_up,
        note="Provider confirmed by email; place booked.",
        seen_version=follow_up.version,
        now=NOW + timedelta(hours=2),
    )
    [answered] = _told(session, supervisor)
    assert answered.event == Event.FOLLOW_UP_DONE.value and "place booked" in answered.text
    assert follow_up_flags.open_for_case(session, case=case) == []
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert {"case.follow_up_asked", "case.follow_up_done"} <= set(actions)


def test_only_the_cases_navigator_or_a_supervisor_marks_it_done(session, team, people):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=people["navigator"].id)
    follow_up = follow_up_flags.ask(
        session, actor=people["supervisor"], case=case, what=WHAT, due_on=NOW.date(), now=NOW
    )
    with pytest.raises(NotPermitted):
        follow_up_flags.complete(
            session, actor=people["colleague"], case=case, follow_up=follow_up, note="Done", seen_version=1, now=NOW
        )
    with pytest.raises(NotPermitted):
        follow_up_flags.ask(session, actor=people["navigator"], case=case, what=WHAT, due_on=NOW.date(), now=NOW)


def test_a_follow_up_needs_what_and_a_date_not_past_and_a_navigator(session, team, people):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=people["navigator"].id)
    with pytest.raises(FieldErrors) as refused:
        follow_up_flags.ask(
            session, actor=people["supervisor"], case=case, what=" ", due_on=NOW.date() - timedelta(days=1), now=NOW
        )
    assert {p.field for p in refused.value.problems} == {"what", "due_on"}
    unallocated = make_case(session, team=team, state=CaseState.ACTIVE)
    with pytest.raises(IllegalTransition, match="Allocate the case"):
        follow_up_flags.ask(
            session, actor=people["supervisor"], case=unallocated, what=WHAT, due_on=NOW.date(), now=NOW
        )
