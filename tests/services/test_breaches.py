"""Recording a new offence, conduct and withdrawal: who may, on which cases, what is refused, the
evidence kept, and the automatic review each of these kinds goes to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.breaches import BreachStatus, ReviewReason
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Breach, StaffNotification
from casework.services import breaches
from tests.breaches import TODAY, conduct, new_offence, running_case, withdrawal
from tests.conftest import NOW, make_user


@pytest.fixture
def world(session, team):
    return running_case(session, team=team)


def _offence(session, world, report=None, actor=None):
    return breaches.record_new_offence(
        session,
        actor=actor or world.navigator,
        case=world.case,
        report=report or new_offence(),
        seen_version=world.case.version,
        now=NOW,
    )


def _actions(session, case) -> list[str]:
    return session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()


def test_a_new_offence_goes_straight_to_the_supervisor_and_the_case_to_breach_review(session, world):
    breach = _offence(session, world)
    assert breach.breach_status is BreachStatus.REVIEW
    assert breach.review_reason == ReviewReason.NEW_OFFENCE.value and breach.review_requested_at == NOW
    assert breach.crime_reference == "DC/99001122" and breach.reported_by == "officer_in_case"
    assert breach.raised_by_id == world.navigator.id
    assert world.case.case_state is CaseState.BREACH_REVIEW
    assert {"breach.recorded", "breach.review_requested", "case.report_breach"} <= set(_actions(session, world.case))
    told = session.scalars(select(StaffNotification).where(StaffNotification.user_id == world.supervisor.id)).all()
    assert [n.event for n in told] == ["breach_review"] and world.case.reference in told[0].text


def test_an_arrest_with_no_further_action_is_refused_and_nothing_is_recorded(session, world):
    with pytest.raises(FieldError) as refused:
        _offence(session, world, new_offence(police_action="arrested_nfa"))
    assert refused.value.field == "police_action" and "not a breach" in refused.value.message
    assert session.scalar(select(Breach).where(Breach.case_id == world.case.id)) is None
    assert world.case.case_state is CaseState.ACTIVE


def test_every_missing_field_is_reported_at_once(session, world):
    report = new_offence(crime_reference=" ", occurred_on=None, source="", police_action="", summary="")
    with pytest.raises(FieldErrors) as refused:
        _offence(session, world, report)
    assert {p.field for p in refused.value.problems} == {
        "crime_reference",
        "occurred_on",
        "source",
        "police_action",
        "summary",
    }


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"occurred_on": TODAY + timedelta(days=1)}, "today or in the past"),
        ({"occurred_on": TODAY - timedelta(days=60)}, "when the contract started"),
    ],
)
def test_a_new_offence_must_fall_within_the_contract(session, world, overrides, message):
    with pytest.raises(FieldError, match=message):
        _offence(session, world, new_offence(**overrides))


def test_the_deferred_offence_is_not_a_new_one(session, world):
    with pytest.raises(FieldError, match="not a new one"):
        _offence(session, world, new_offence(crime_reference=world.case.crime_reference.lower()))


@pytest.mark.parametrize("state", [CaseState.REFERRED, CaseState.CONTRACT_DRAFT, CaseState.PROSECUTION_DECISION])
def test_no_breach_on_a_case_without_a_running_contract(session, team, state):
    world = running_case(session, team=team, state=state)
    with pytest.raises(IllegalTransition, match="only while a signed contract is running"):
        _offence(session, world)


@pytest.mark.parametrize("state", [CaseState.SUSPENDED, CaseState.COMPLETION_REVIEW])
def test_a_new_offence_on_a_paused_or_ending_contract_moves_it_to_breach_review(session, team, state):
    world = running_case(session, team=team, state=state)
    _offence(session, world)
    assert world.case.case_state is CaseState.BREACH_REVIEW


def test_a_case_already_in_breach_review_stays_there_and_both_breaches_wait(session, world):
    _offence(session, world)
    second = breaches.record_conduct(
        session, actor=world.navigator, case=world.case, report=conduct(world), seen_version=world.case.version, now=NOW
    )
    assert world.case.case_state is CaseState.BREACH_REVIEW
    assert second.review_reason == ReviewReason.CONDUCT.value
    assert breaches.awaiting_review(session, case=world.case) == 2
    assert _actions(session, world.case).count("case.report_breach") == 1


def test_conduct_names_the_condition_and_keeps_its_signed_wording(session, world):
    condition = world.contract.conditions[1]
    breach = breaches.record_conduct(
        session,
        actor=world.supervisor,
        case=world.case,
        report=conduct(world, condition_id=condition.id, explanation="Says the victim messaged first."),
        seen_version=world.case.version,
        now=NOW,
    )
    assert breach.condition_id == condition.id and breach.reported_by == "victim"
    evidence = breach.evidence
    assert evidence["condition"]["wording"] == "Attend the drugs awareness course."
    assert evidence["contract"]["version_number"] == 1
    assert evidence["explanation"] == "Says the victim messaged first."
    assert evidence["days_to_decision_deadline"] == 100
    assert evidence["latest_charge_on"] == (TODAY + timedelta(days=120)).isoformat()


def test_the_same_condition_can_be_breached_by_conduct_twice(session, world):
    for _ in range(2):
        breaches.record_conduct(
            session,
            actor=world.navigator,
            case=world.case,
            report=conduct(world),
            seen_version=world.case.version,
            now=NOW,
        )
    assert len(breaches.for_case(session, actor=world.navigator, case=world.case)) == 2


def test_conduct_must_name_a_condition_of_the_signed_contract(session, world):
    with pytest.raises(FieldError, match="Select the condition") as refused:
        breaches.record_conduct(
            session,
            actor=world.navigator,
            case=world.case,
            report=conduct(world, condition_id=999_999),
            seen_version=world.case.version,
            now=NOW,
        )
    assert refused.value.field == "condition_id"


def test_a_withdrawal_goes_to_the_supervisor_without_ending_the_case(session, world):
    breach = breaches.record_withdrawal(
        session, actor=world.navigator, case=world.case, report=withdrawal(), seen_version=world.case.version, now=NOW
    )
    assert breach.review_reason == ReviewReason.WITHDRAWAL.value
    assert world.case.case_state is CaseState.BREACH_REVIEW  # the supervisor's decision ends it


def test_a_withdrawal_needs_what_the_person_said(session, world):
    with pytest.raises(FieldError, match="what the person said"):
        breaches.record_withdrawal(
            session,
            actor=world.navigator,
            case=world.case,
            report=withdrawal(summary="  "),
            seen_version=world.case.version,
            now=NOW,
        )


def test_a_navigator_of_another_team_and_a_custody_sergeant_are_refused(session, world, other_team):
    for outsider in (
        make_user(session, roles=[Role.NAVIGATOR], team=other_team),
        make_user(session, roles=[Role.CUSTODY_SERGEANT], team=world.team),
    ):
        with pytest.raises(NotFound if outsider.team_id != world.team.id else NotPermitted):
            _offence(session, world, actor=outsider)
    assert session.scalar(select(Breach).where(Breach.case_id == world.case.id)) is None


def test_a_case_changed_since_the_form_was_opened_is_refused(session, world):
    with pytest.raises(StaleRecord):
        breaches.record_new_offence(
            session,
            actor=world.navigator,
            case=world.case,
            report=new_offence(),
            seen_version=world.case.version - 1,
            now=NOW,
        )
