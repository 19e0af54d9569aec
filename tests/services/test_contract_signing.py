"""Agreement, approval and signing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, IllegalTransition
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import SchemeSettings
from casework.services import contract_signing, contracts
from casework.services.contract_signing import Signing
from tests.conftest import NOW, make_user
from tests.services.test_contracts import DUE, _assessed_case


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def _draft(session, team, navigator, **case_values):
    case = _assessed_case(session, team, navigator)
    for name, value in case_values.items():
        setattr(case, name, value)
    contract = contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)
    for condition in list(contract.conditions)[1:]:  # suggested pathways have no partner in these tests
        contracts.remove_condition(
            session, actor=navigator, case=case, condition_id=condition.id, seen_version=contract.version, now=NOW
        )
    return case, contract


def _agree_and_sign(session, navigator, case, contract) -> None:
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(), seen_version=contract.version, now=NOW
    )


def _signing(**overrides) -> Signing:
    values = dict(
        signed_at=NOW - timedelta(minutes=5),
        place="Navigator office",
        language="en",
        interpreter_present=False,
        appropriate_adult_present=False,
        solicitor_present=False,
        person_signature="typed_name",
        signature_name="Casey Rowe",
        copy_given="paper",
    )
    values.update(overrides)
    return Signing(**values)


def test_signing_needs_agreement_then_starts_the_term_and_freezes_the_version(session, team, navigator):
    case, contract = _draft(session, team, navigator)
    with pytest.raises(IllegalTransition, match="agrees"):
        contract_signing.sign(
            session, actor=navigator, case=case, signing=_signing(), seen_version=contract.version, now=NOW
        )
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    with pytest.raises(FieldError) as refused:
        contract_signing.sign(
            session,
            actor=navigator,
            case=case,
            signing=_signing(signature_name=" "),
            seen_version=contract.version,
            now=NOW,
        )
    assert refused.value.field == "signature_name"
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(), seen_version=contract.version, now=NOW
    )
    assert case.case_state is CaseState.ACTIVE and contract.status == "signed"
    assert contract.starts_on == date(2026, 11, 24) and contract.ends_on == date(2027, 3, 24)
    with pytest.raises(IllegalTransition, match="frozen"):
        contracts.remove_condition(
            session,
            actor=navigator,
            case=case,
            condition_id=contract.conditions[0].id,
            seen_version=contract.version,
            now=NOW,
        )


def test_not_agreeing_terminates_the_case(session, team, navigator):
    case, contract = _draft(session, team, navigator)
    with pytest.raises(FieldError):
        contract_signing.record_agreement(
            session,
            actor=navigator,
            case=case,
            agreement="does_not_agree",
            reason="",
            seen_version=contract.version,
            now=NOW,
        )
    contract_signing.record_agreement(
        session,
        actor=navigator,
        case=case,
        agreement="does_not_agree",
        reason="Will not attend the hub",
        seen_version=contract.version,
        now=NOW,
    )
    assert case.case_state is CaseState.PROSECUTION_DECISION  # refusal goes on to the decision at once


def test_approval_when_the_scheme_asks_and_nobody_approves_their_own(session, team, navigator):
    session.scalars(select(SchemeSettings)).one().contract_approval_required = True
    case, contract = _draft(session, team, navigator)
    contract_signing.submit_for_approval(session, actor=navigator, case=case, seen_version=contract.version, now=NOW)
    assert case.case_state is CaseState.CONTRACT_AWAITING_APPROVAL
    drafter_supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    contract.created_by_id = drafter_supervisor.id
    with pytest.raises(IllegalTransition, match="another supervisor"):
        contract_signing.decide_approval(
            session,
            actor=drafter_supervisor,
            case=case,
            approve=True,
            reason="",
            seen_version=contract.version,
            now=NOW,
        )
    other = make_user(session, roles=[Role.SUPERVISOR], team=team)
    contract_signing.decide_approval(
        session, actor=other, case=case, approve=True, reason="", seen_version=contract.version, now=NOW
    )
    _agree_and_sign(session, navigator, case, contract)
    assert case.case_state is CaseState.ACTIVE


def test_a_contract_ending_past_the_charge_deadline_needs_a_supervisor_to_accept_the_risk(session, team, navigator):
    case, contract = _draft(session, team, navigator, latest_charge_on=date(2027, 3, 1))
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    with pytest.raises(FieldError) as refused:
        contract_signing.sign(
            session, actor=navigator, case=case, signing=_signing(), seen_version=contract.version, now=NOW
        )
    assert refused.value.field == "risk_accepted" and "supervisor" in refused.value.message
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    contract_signing.sign(
        session,
        actor=supervisor,
        case=case,
        seen_version=contract.version,
        now=NOW,
        signing=_signing(risk_accepted="Low-level offence; the victim has been told the risk."),
    )
    assert contract.time_limit_risk_accepted and contract.risk_accepted_by_id == supervisor.id


def test_progress_is_recorded_with_evidence_and_a_condition_is_met_at_its_target(session, team, navigator):
    from datetime import timedelta as days

    from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
    from casework.services import progress

    case, contract = _draft(session, team, navigator)
    contracts.add_condition(
        session,
        actor=navigator,
        case=case,
        seen_version=contract.version,
        now=NOW,
        condition=DraftCondition(ConditionType.COMMUNITY, "Volunteer", CompletionRule.HOURS, 20, DUE),
    )
    hours = contract.conditions[-1]
    with pytest.raises(IllegalTransition, match="running"):
        progress.record_progress(
            session,
            actor=navigator,
            case=case,
            condition_id=hours.id,
            happened_on=NOW.date(),
            amount=5,
            evidence="letter",
            note="",
            at_risk=False,
            now=NOW,
        )
    _agree_and_sign(session, navigator, case, contract)
    later = NOW + days(days=14)
    with pytest.raises(FieldError) as refused:
        progress.record_progress(
            session,
            actor=navigator,
            case=case,
            condition_id=hours.id,
            happened_on=later.date(),
            amount=5,
            evidence="rumour",
            note="",
            at_risk=False,
            now=later,
        )
    assert refused.value.field == "evidence"
    progress.record_progress(
        session,
        actor=navigator,
        case=case,
        condition_id=hours.id,
        happened_on=later.date(),
        amount=12,
        evidence="partner_confirmation",
        note="",
        at_risk=False,
        now=later,
    )
    assert hours.status == "in_progress" and hours.achieved == 12
    progress.record_progress(
        session,
        actor=navigator,
        case=case,
        condition_id=hours.id,
        happened_on=later.date(),
        amount=8,
        evidence="navigator_observed",
        note="",
        at_risk=False,
        now=later,
    )
    assert hours.status == "met" and hours.achieved == 20


def test_a_variation_is_approved_by_another_supervisor_re_signed_and_keeps_the_old_version(session, team, navigator):
    from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
    from casework.services import variations

    case, contract = _draft(session, team, navigator)
    _agree_and_sign(session, navigator, case, contract)
    with pytest.raises(FieldError) as refused:
        variations.start_variation(
            session,
            actor=navigator,
            case=case,
            reason="Waiting list",
            consent=False,
            extend_weeks=4,
            seen_version=contract.version,
            now=NOW,
        )
    assert refused.value.field == "consent"
    variation = variations.start_variation(
        session,
        actor=navigator,
        case=case,
        reason="Hub has a waiting list",
        consent=True,
        extend_weeks=4,
        seen_version=contract.version,
        now=NOW,
    )
    assert variation.version_number == 2 and variation.planned_ends_on == date(2027, 4, 21)
    contracts.add_condition(
        session,
        actor=navigator,
        case=case,
        seen_version=variation.version,
        now=NOW,
        condition=DraftCondition(
            ConditionType.EDUCATION, "Attend the awareness course", CompletionRule.SESSIONS, 1, DUE
        ),
    )
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=variation.version, now=NOW
    )
    with pytest.raises(IllegalTransition, match="approve"):
        contract_signing.sign(
            session, actor=navigator, case=case, signing=_signing(), seen_version=variation.version, now=NOW
        )
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    variations.approve_variation(session, actor=supervisor, case=case, seen_version=variation.version, now=NOW)
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(), seen_version=variation.version, now=NOW
    )
    assert (contract.status, variation.status) == ("superseded", "signed")
    assert variation.starts_on == contract.starts_on and variation.ends_on == date(2027, 4, 21)
    assert case.case_state is CaseState.ACTIVE
    assert [v.version_number for v in variations.versions(session, case=case)] == [2, 1]


def test_a_variation_past_the_charge_deadline_needs_a_supervisor_to_accept_the_risk(session, team, navigator):
    from casework.services import variations

    case, contract = _draft(session, team, navigator, latest_charge_on=date(2027, 4, 20))
    _agree_and_sign(session, navigator, case, contract)
    variation = variations.start_variation(
        session,
        actor=navigator,
        case=case,
        reason="Extend for the course",
        consent=True,
        extend_weeks=2,
        seen_version=contract.version,
        now=NOW,
    )
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=variation.version, now=NOW
    )
    variations.approve_variation(
        session,
        actor=make_user(session, roles=[Role.SUPERVISOR], team=team),
        case=case,
        seen_version=variation.version,
        now=NOW,
    )
    with pytest.raises(FieldError) as refused:
        contract_signing.sign(
            session, actor=navigator, case=case, signing=_signing(), seen_version=variation.version, now=NOW
        )
    assert refused.value.field == "risk_accepted"


def test_a_supervisor_waives_or_finds_a_condition_not_met_with_a_reason(session, team, navigator):
    from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
    from casework.domain.errors import NotPermitted
    from casework.services import progress

    case, contract = _draft(session, team, navigator)
    contracts.add_condition(
        session,
        actor=navigator,
        case=case,
        seen_version=contract.version,
        now=NOW,
        condition=DraftCondition(ConditionType.EDUCATION, "Course", CompletionRule.SESSIONS, 1, DUE),
    )
    _agree_and_sign(session, navigator, case, contract)
    course, offending = contract.conditions[-1], contract.conditions[0]
    with pytest.raises(NotPermitted):
        progress.decide_condition(
            session,
            actor=navigator,
            case=case,
            condition_id=course.id,
            outcome="waived",
            reason="Course cancelled by the provider",
            now=NOW,
        )
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    with pytest.raises(FieldError, match="cannot be waived"):
        progress.decide_condition(
            session,
            actor=supervisor,
            case=case,
            condition_id=offending.id,
            outcome="waived",
            reason="Not appropriate here",
            now=NOW,
        )
    progress.decide_condition(
        session,
        actor=supervisor,
        case=case,
        condition_id=course.id,
        outcome="waived",
        reason="Course cancelled by the provider",
        now=NOW,
    )
    assert course.status == "waived" and "Course cancelled" in course.progress[-1].note
