"""What the scheduler's check-in sweeps tell people: a check-in nobody recorded, and an absence still
unexplained after the person's two working days, each raised once, told to the navigator by their
own choice, and gone once the navigator has dealt with it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from casework.domain.flags import FlagKind
from casework.domain.lifecycle import CaseState
from casework.domain.notifications import Event
from casework.domain.roles import Role
from casework.models import CaseFlag, OutboxMessage, StaffNotification
from casework.services import check_in_outcomes, flags, staff_notifications
from casework.services.check_in_outcomes import OutcomeRecord
from tests.check_ins import make_check_in
from tests.conftest import NOW, make_case, make_contract, make_user

# Tuesday 1 December 2026, 10:00 London; the person has until Thursday 3 December to explain.
HELD = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NEXT_NIGHT = datetime(2026, 12, 2, 0, 5, tzinfo=UTC)
FRIDAY = datetime(2026, 12, 4, 0, 5, tzinfo=UTC)


@pytest.fixture
def people(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    return navigator, supervisor


def _notes(session, user, event: Event) -> list[StaffNotification]:
    query = select(StaffNotification).where(StaffNotification.user_id == user.id, StaffNotification.event == event)
    return list(session.scalars(query))


def _flags(session, case) -> list[CaseFlag]:
    return list(session.scalars(select(CaseFlag).where(CaseFlag.case_id == case.id)))


def test_an_unrecorded_check_in_is_marked_and_its_navigator_told_once(session, team, people):
    navigator, supervisor = people
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, first_contact_at=NOW)
    make_check_in(session, case=case, at=HELD)
    for _ in range(2):
        check_in_outcomes.mark_missed(session, now=NEXT_NIGHT)
    [told] = _notes(session, navigator, Event.CHECK_IN_MISSED)
    assert told.case_id == case.id and "10:00 on 1 December 2026" in told.text
    assert _notes(session, supervisor, Event.CHECK_IN_MISSED) == []


def test_an_absence_unexplained_after_two_working_days_is_flagged_once_then_resolves_when_classified(
    session, team, people, monkeypatch
):
    monkeypatch.setenv("CASEWORK_SMTP_HOST", "127.0.0.1")  # the scheduler reads the mail settings
    navigator, supervisor = people
    staff_notifications.set_choices(
        session,
        actor=navigator,
        user=navigator,
        choices={**{e.value: "digest" for e in Event}, Event.EXPLANATION_OVERDUE.value: "email"},
        now=NOW,
    )
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, first_contact_at=NOW)
    missed = make_check_in(session, case=case, at=HELD)
    check_in_outcomes.mark_missed(session, now=NEXT_NIGHT)
    session.expire_all()
    assert missed.explanation_due_on == date(2026, 12, 3)
    # Thursday is still within the two working days; the flag comes on Friday, once.
    assert check_in_outcomes.flag_overdue_explanations(session, now=datetime(2026, 12, 3, 23, 0, tzinfo=UTC)) == 0
    assert check_in_outcomes.flag_overdue_explanations(session, now=FRIDAY) == 1
    assert check_in_outcomes.flag_overdue_explanations(session, now=FRIDAY + timedelta(hours=1)) == 0
    [flag] = _flags(session, case)
    assert (flag.kind, flag.subject) == (FlagKind.EXPLANATION_OVERDUE, str(missed.id))
    assert [f.text for f in flags.open_for_case(session, case=case, today=date(2026, 12, 4))] == [
        "A missed check-in's time to explain has passed: classify the absence"
    ]
    [told] = _notes(session, navigator, Event.EXPLANATION_OVERDUE)
    emailed = session.scalar(select(OutboxMessage).where(OutboxMessage.id == told.emailed_message_id))
    assert emailed.recipient == navigator.email
    assert _notes(session, supervisor, Event.EXPLANATION_OVERDUE) == []

    check_in_outcomes.classify_absence(
        session,
        actor=navigator,
        case=case,
        check_in=missed,
        record=OutcomeRecord(outcome="unacceptable_absence", absence_detail="Said they forgot."),
        seen_version=missed.version,
        now=FRIDAY + timedelta(hours=9),
    )
    assert flags.open_for_case(session, case=case, today=date(2026, 12, 4)) == []
    assert flags.resolve_ended(session, now=FRIDAY + timedelta(hours=10)) == 1
    session.expire_all()
    assert _flags(session, case)[0].resolved_at == FRIDAY + timedelta(hours=10)


def test_a_charge_deadline_warning_reaches_the_navigator_and_the_teams_supervisors(session, team, other_team, people):
    navigator, supervisor = people
    elsewhere = make_user(session, roles=[Role.SUPERVISOR], team=other_team)
    case = make_case(
        session,
        team=team,
        state=CaseState.ACTIVE,
        navigator_id=navigator.id,
        first_contact_at=NOW,
        decision_deadline_on=date(2026, 12, 20),
    )
    flags.raise_deadline_warnings(session, now=NOW)
    flags.raise_deadline_warnings(session, now=NOW + timedelta(hours=1))
    for user in (navigator, supervisor):
        [told] = _notes(session, user, Event.CHARGE_DEADLINE_WARNING)
        assert (told.case_id, told.text) == (case.id, "28 days or fewer to the decision deadline")
    assert _notes(session, elsewhere, Event.CHARGE_DEADLINE_WARNING) == []
    total = session.scalar(select(func.count()).select_from(StaffNotification))
    assert total == 2


def test_first_contact_and_completion_review_flags_reach_the_teams_supervisors_too(session, team, people):
    navigator, supervisor = people
    unallocated = make_case(session, team=team, referred_at=NOW - timedelta(days=21))
    ended = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, first_contact_at=NOW)
    make_contract(session, case=ended, created_by=navigator, ends_on=date(2026, 11, 23))
    flags.raise_first_contact_overdue(session, now=NOW)
    flags.raise_completion_reviews(session, now=NOW)
    [first_contact] = _notes(session, supervisor, Event.FIRST_CONTACT_OVERDUE)
    assert first_contact.case_id == unallocated.id  # nobody else holds it: the supervisor must hear
    assert [n.case_id for n in _notes(session, supervisor, Event.COMPLETION_REVIEW_DUE)] == [ended.id]
    assert [n.case_id for n in _notes(session, navigator, Event.COMPLETION_REVIEW_DUE)] == [ended.id]
