"""A pending variation does not freeze the case: the signed version stays in force, progress is
recorded against it, and carries over to the variation when that is signed (DOMAIN.md §5.3)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.errors import IllegalTransition, NotFound
from casework.domain.roles import Role
from casework.services import contract_signing, contracts, progress, variations
from tests.conftest import NOW, make_user
from tests.services.test_contract_signing import _agree_and_sign, _draft, _signing
from tests.services.test_contracts import DUE

LATER = NOW + timedelta(days=14)


def _signed_with_hours(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case, contract = _draft(session, team, navigator)
    contracts.add_condition(
        session,
        actor=navigator,
        case=case,
        seen_version=contract.version,
        now=NOW,
        condition=DraftCondition(ConditionType.COMMUNITY, "Volunteer at the food bank", CompletionRule.HOURS, 20, DUE),
    )
    _agree_and_sign(session, navigator, case, contract)
    return navigator, case, contract


def _vary(session, navigator, case, contract):
    return variations.start_variation(
        session,
        actor=navigator,
        case=case,
        reason="The food bank has moved",
        consent=True,
        extend_weeks=2,
        seen_version=contract.version,
        now=NOW,
    )


def _hours(session, navigator, case, condition, amount, *, at_risk=False):
    return progress.record_progress(
        session,
        actor=navigator,
        case=case,
        condition_id=condition.id,
        happened_on=LATER.date(),
        amount=amount,
        evidence="partner_confirmation",
        note="",
        at_risk=at_risk,
        now=LATER,
    )


def test_progress_while_a_variation_waits_is_recorded_on_the_version_in_force_and_carried_over(session, team):
    navigator, case, signed = _signed_with_hours(session, team)
    hours = signed.conditions[-1]
    variation = _vary(session, navigator, case, signed)

    _hours(session, navigator, case, hours, 6)
    assert contracts.in_force(session, case=case) is signed and contracts.current(session, case=case) is variation
    copy = next(c for c in variation.conditions if c.copied_from_id == hours.id)
    assert (hours.achieved, hours.status) == (6, "in_progress")
    assert (copy.achieved, copy.status) == (6, "in_progress")

    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=variation.version, now=LATER
    )
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    variations.approve_variation(session, actor=supervisor, case=case, seen_version=variation.version, now=LATER)
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(), seen_version=variation.version, now=LATER
    )
    assert contracts.in_force(session, case=case) is variation
    _hours(session, navigator, case, copy, 14)
    assert (copy.achieved, copy.status) == (20, "met")
    with pytest.raises(NotFound):  # the superseded version is no longer recorded against
        _hours(session, navigator, case, hours, 1)


def test_a_supervisors_decision_while_a_variation_waits_holds_on_both_versions(session, team):
    navigator, case, signed = _signed_with_hours(session, team)
    hours = signed.conditions[-1]
    variation = _vary(session, navigator, case, signed)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    progress.decide_condition(
        session,
        actor=supervisor,
        case=case,
        condition_id=hours.id,
        outcome="waived",
        reason="The food bank closed for good",
        now=LATER,
    )
    copy = next(c for c in variation.conditions if c.copied_from_id == hours.id)
    assert hours.status == copy.status == "waived"


def test_a_waived_condition_takes_no_more_progress_and_a_met_one_is_not_waived(session, team):
    navigator, case, signed = _signed_with_hours(session, team)
    hours = signed.conditions[-1]
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    _hours(session, navigator, case, hours, 20)
    assert hours.status == "met"
    with pytest.raises(IllegalTransition, match="met"):
        progress.decide_condition(
            session,
            actor=supervisor,
            case=case,
            condition_id=hours.id,
            outcome="waived",
            reason="No longer needed here",
            now=LATER,
        )
    other_navigator, case2, signed2 = _signed_with_hours(session, team)
    course = signed2.conditions[-1]
    progress.decide_condition(
        session,
        actor=supervisor,
        case=case2,
        condition_id=course.id,
        outcome="waived",
        reason="The food bank closed for good",
        now=LATER,
    )
    entries = len(course.progress)
    with pytest.raises(IllegalTransition, match="waived"):
        _hours(session, other_navigator, case2, course, 4)
    assert course.status == "waived" and len(course.progress) == entries


def test_changing_an_approved_variation_withdraws_the_approval(session, team):
    navigator, case, signed = _signed_with_hours(session, team)
    variation = _vary(session, navigator, case, signed)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    variations.approve_variation(session, actor=supervisor, case=case, seen_version=variation.version, now=NOW)
    contracts.remove_condition(
        session,
        actor=navigator,
        case=case,
        condition_id=variation.conditions[-1].id,
        seen_version=variation.version,
        now=NOW,
    )
    assert variation.approved_at is None
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=variation.version, now=NOW
    )
    with pytest.raises(IllegalTransition, match="approve"):
        contract_signing.sign(
            session, actor=navigator, case=case, signing=_signing(), seen_version=variation.version, now=NOW
        )


def test_a_contract_is_approved_once(session, team):
    from sqlalchemy import select

    from casework.models import SchemeSettings

    session.scalars(select(SchemeSettings)).one().contract_approval_required = True
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case, contract = _draft(session, team, navigator)
    contract_signing.submit_for_approval(session, actor=navigator, case=case, seen_version=contract.version, now=NOW)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    contract_signing.decide_approval(
        session, actor=supervisor, case=case, approve=True, reason="", seen_version=contract.version, now=NOW
    )
    with pytest.raises(IllegalTransition, match="already approved"):
        contract_signing.decide_approval(
            session, actor=supervisor, case=case, approve=False, reason="Change", seen_version=contract.version, now=NOW
        )
