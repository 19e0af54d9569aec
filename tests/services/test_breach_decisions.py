"""The supervisor's decisions on a breach awaiting review: who may decide, what each decision does
to the breach and the case, and who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.breaches import BreachKind, BreachStatus, Decision, WarningLevel
from casework.domain.check_ins import Outcome
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, BreachWarning, StaffNotification
from casework.services import breach_decisions, breach_queue
from casework.services.breach_decisions import Choice
from tests.check_ins import make_check_in, recorded
from tests.conftest import NOW, make_user
from tests.services.breach_decision_world import RATIONALE, breach_case, make_breach


@pytest.fixture
def people(session, team):
    return {
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "colleague": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
    }


def _decide(session, actor, breach, decision, rationale=RATIONALE, now=NOW, **choice):
    return breach_decisions.decide(
        session,
        actor=actor,
        breach=breach,
        choice=Choice(decision=decision, rationale=rationale, **choice),
        seen_version=breach.version,
        now=now,
    )


def _notified(session, user):
    return session.scalars(select(StaffNotification).where(StaffNotification.user_id == user.id)).all()


# ---- the queue -------------------------------------------------------------------------------------


def test_the_queue_puts_the_nearest_deadline_first_then_the_oldest_breach(session, team, other_team, people):
    navigator = people["navigator"]
    later = make_breach(session, case=breach_case(session, team=team, navigator=navigator, deadline_in=40))
    soon = make_breach(session, case=breach_case(session, team=team, navigator=navigator, deadline_in=5))
    no_limit = make_breach(
        session,
        case=breach_case(session, team=team, navigator=navigator, deadline_in=None),
        raised_at=NOW - timedelta(days=30),
    )
    passed = make_breach(session, case=breach_case(session, team=team, navigator=navigator, deadline_in=-2))
    shared = breach_case(session, team=team, navigator=navigator, deadline_in=10)
    newer = make_breach(session, case=shared, raised_at=NOW - timedelta(hours=3), kind=BreachKind.CONDUCT)
    older = make_breach(session, case=shared, raised_at=NOW - timedelta(days=4))
    # Not in the queue: another team's, one already decided, one still with the navigator.
    elsewhere = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    make_breach(session, case=breach_case(session, team=other_team, navigator=elsewhere, deadline_in=1))
    make_breach(session, case=shared, status=BreachStatus.OPEN, raised_at=NOW - timedelta(days=9))

    waiting = breach_queue.queue(session, actor=people["supervisor"], today=NOW.date())
    assert [w.breach.id for w in waiting] == [passed.id, soon.id, older.id, newer.id, later.id, no_limit.id]
    assert [w.days_left for w in waiting] == [-2, 5, 10, 10, 40, None]
    assert breach_queue.count(session, actor=people["supervisor"]) == 6
    with pytest.raises(NotPermitted):
        breach_queue.queue(session, actor=navigator, today=NOW.date())


# ---- guards ----------------------------------------------------------------------------------------


def test_a_decision_needs_a_rationale_and_a_choice(session, team, people):
    breach = make_breach(session, case=breach_case(session, team=team, navigator=people["navigator"]))
    with pytest.raises(FieldErrors) as refused:
        _decide(session, people["supervisor"], breach, None, rationale="Too short")
    assert {p.field for p in refused.value.problems} == {"decision", "rationale"}
    assert breach.breach_status is BreachStatus.REVIEW


def test_only_a_breach_awaiting_review_can_be_decided(session, team, people):
    breach = make_breach(
        session, case=breach_case(session, team=team, navigator=people["navigator"]), status=BreachStatus.OPEN
    )
    with pytest.raises(IllegalTransition, match="not awaiting a supervisor's decision"):
        _decide(session, people["supervisor"], breach, Decision.NO_ACTION.value)


@pytest.mark.parametrize("role_in_breach", ["raised_by", "referred_by"])
def test_nobody_decides_a_breach_they_raised_or_referred(session, team, people, role_in_breach):
    me = people["supervisor"]
    breach = make_breach(
        session, case=breach_case(session, team=team, navigator=people["navigator"]), **{role_in_breach: me}
    )
    assert "another supervisor must decide it" in breach_decisions.refusal(session, actor=me, breach=breach)
    with pytest.raises(IllegalTransition, match="another supervisor must decide it"):
        _decide(session, me, breach, Decision.FINAL_WARNING.value)
    assert breach_decisions.refusal(session, actor=people["colleague"], breach=breach) is None


def test_a_navigator_or_another_teams_supervisor_cannot_decide(session, team, other_team, people):
    breach = make_breach(session, case=breach_case(session, team=team, navigator=people["navigator"]))
    outsider = make_user(session, roles=[Role.SUPERVISOR], team=other_team)
    for actor in (people["navigator"], outsider):
        with pytest.raises(NotFound if actor is outsider else NotPermitted):
            _decide(session, actor, breach, Decision.NO_ACTION.value)
        with pytest.raises(NotFound if actor is outsider else NotPermitted):
            breach_decisions.breach_for(session, actor=actor, breach_id=breach.id)


def test_a_breach_decided_meanwhile_is_refused_naming_who_decided(session, team, people):
    breach = make_breach(session, case=breach_case(session, team=team, navigator=people["navigator"]))
    seen = breach.version
    _decide(session, people["colleague"], breach, Decision.FINAL_WARNING.value)
    with pytest.raises(StaleRecord) as refused:
        breach_decisions.decide(
            session,
            actor=people["supervisor"],
            breach=breach,
            choice=Choice(decision=Decision.NO_ACTION.value, rationale=RATIONALE),
            seen_version=seen,
            now=NOW,
        )
    assert (
        refused.value.message
        == f"{people['colleague'].full_name} decided this breach at 10:00am on 24 November 2026: final warning."
    )


# ---- each decision ---------------------------------------------------------------------------------


def test_no_action_reclassifies_the_absence_and_the_case_goes_back_to_active(session, team, people):
    navigator = people["navigator"]
    case = breach_case(session, team=team, navigator=navigator)
    missed = recorded(
        make_check_in(session, case=case, at=NOW - timedelta(days=2)),
        by=navigator,
        outcome=Outcome.UNACCEPTABLE_ABSENCE,
    )
    breach = make_breach(session, case=case, check_in_id=missed.id)
    assert breach_decisions.counts_as_failure(breach)
    _decide(session, people["supervisor"], breach, Decision.NO_ACTION.value, reclassify=True)
    assert breach.breach_status is BreachStatus.DECIDED and breach.decision_rationale == RATIONALE
    assert missed.outcome == Outcome.ACCEPTABLE_ABSENCE.value
    assert not breach_decisions.counts_as_failure(breach)
    counted = session.scalars(
        select(type(breach).id).where(type(breach).case_id == case.id, breach_decisions.counted_failures())
    )
    assert list(counted) == []
    assert case.case_state is CaseState.ACTIVE
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert {"breach.decided", "check_in.reclassified", "case.resolve_breach"} <= set(actions)
    [told] = _notified(session, navigator)
    assert "no action" in told.text and people["supervisor"].full_name in told.text


def test_the_case_returns_to_active_only_when_no_breach_remains_in_review(session, team, people):
    case = breach_case(session, team=team, navigator=people["navigator"])
    first, second = make_breach(session, case=case), make_breach(session, case=case, kind=BreachKind.CONDUCT)
    _decide(session, people["supervisor"], first, Decision.NO_ACTION.value)
    assert case.case_state is CaseState.BREACH_REVIEW
    _decide(session, people["supervisor"], second, Decision.FINAL_WARNING.value)
    assert case.case_state is CaseState.ACTIVE


def test_a_final_warning_is_recorded_in_the_persons_language(session, team, people):
    case = breach_case(session, team=team, navigator=people["navigator"])
    case.person.preferred_language = "cy"
    breach = make_breach(session, case=case)
    _decide(session, people["supervisor"], breach, Decision.FINAL_WARNING.value)
    [warning] = session.scalars(select(BreachWarning).where(BreachWarning.breach_id == breach.id)).all()
    assert warning.warning_level is WarningLevel.FINAL and warning.language == "cy"
    assert warning.reason == RATIONALE and warning.issued_by_id == people["supervisor"].id
    assert warning.letter_id is None  # rendered on first download
    assert case.case_state is CaseState.ACTIVE


def test_a_variation_is_decided_within_the_deadline_and_refused_past_it(session, team, people):
    # The term ends on NOW + 120 days; the latest charge date is 21 days after the deadline.
    case = breach_case(session, team=team, navigator=people["navigator"], deadline_in=130)
    breach = make_breach(session, case=case)
    with pytest.raises(FieldError) as refused:
        _decide(session, people["supervisor"], breach, Decision.VARY.value, extend_weeks=2)
    problem = refused.value
    assert problem.field == "extend_weeks"
    assert "would end on 7 April 2027" in problem.message and "latest charge date, 24 April 2027" in problem.message
    assert breach.breach_status is BreachStatus.REVIEW and case.case_state is CaseState.BREACH_REVIEW
    _decide(session, people["supervisor"], breach, Decision.VARY.value, extend_weeks=1)
    assert breach.decision == Decision.VARY.value and case.case_state is CaseState.ACTIVE


def test_terminating_sends_the_case_to_the_prosecution_decision(session, team, people):
    case = breach_case(session, team=team, navigator=people["navigator"])
    breach, other = make_breach(session, case=case), make_breach(session, case=case, kind=BreachKind.NEW_OFFENCE)
    _decide(session, people["supervisor"], breach, Decision.TERMINATE.value)
    assert case.case_state is CaseState.PROSECUTION_DECISION and case.termination_reason == RATIONALE
    assert other.breach_status is BreachStatus.DECIDED and other.decision == Decision.TERMINATE.value
    assert breach_queue.count(session, actor=people["supervisor"]) == 0


@pytest.mark.parametrize("decision", [Decision.SUSPEND, Decision.VARY])
def test_suspending_or_varying_waits_until_the_other_breaches_are_decided(session, team, people, decision):
    case = breach_case(
        session, team=team, navigator=people["navigator"], deadline_in=200, starts_on=NOW.date() - timedelta(days=5)
    )
    breach, _other = make_breach(session, case=case), make_breach(session, case=case, kind=BreachKind.CONDUCT)
    with pytest.raises(IllegalTransition, match="Another breach on this case is awaiting a decision"):
        _decide(session, people["supervisor"], breach, decision.value, suspended_from=NOW.date(), extend_weeks=0)
    assert breach.breach_status is BreachStatus.REVIEW and case.case_state is CaseState.BREACH_REVIEW


def test_a_decision_records_the_update_owed_to_the_victim(session, team, people):
    from casework.services import victim_updates

    case = breach_case(session, team=team, navigator=people["navigator"])
    breach = make_breach(session, case=case)
    _decide(session, people["supervisor"], breach, Decision.FINAL_WARNING.value)
    owed = [u for u in victim_updates.for_case(session, case=case) if u.event == "breach_decided"]
    assert len(owed) == 1
