"""Drafting the contract."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from casework.db import make_session_factory
from casework.domain import needs
from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.errors import FieldError, IllegalTransition, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, Contract, User
from casework.services import contracts, referrals
from casework.services.assessment import DomainInput
from casework.services.referrals import ServiceDetails
from tests.assessments import record_whole_assessment
from tests.conftest import NOW, make_case, make_team, make_user

DUE = date(2027, 2, 1)  # every condition says by when; this is before any contract signed at NOW ends


def _assessed_case(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    scores = [DomainInput(domain, 0, False) for domain, _ in needs.NEED_DOMAINS if domain not in ("drugs", "finance")]
    scores += [DomainInput("drugs", 3, True), DomainInput("finance", 2, True)]
    record_whole_assessment(
        session, actor=navigator, case=case, stage=needs.Stage.ENTRY, scores=scores, flags={}, now=NOW
    )
    return case


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def test_starting_a_contract_suggests_pathways_from_the_assessment(session, team, navigator):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    hub = referrals.add_service(
        session,
        actor=supervisor,
        now=NOW,
        details=ServiceDetails(name="Recovery hub", pathway="drugs", data_accepted="Name", phone="0191 555 0100"),
    )
    case = _assessed_case(session, team, navigator)
    contract = contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)
    assert case.case_state is CaseState.CONTRACT_DRAFT
    assert [(c.type, c.partner_service_id) for c in contract.conditions] == [
        ("offending", None),
        ("pathway", hub.id),
        ("pathway", None),
    ]


def test_a_contract_needs_the_assessment_first(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    with pytest.raises(IllegalTransition, match="needs assessment"):
        contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)


def test_a_sixth_condition_and_bad_hours_are_refused(session, team, navigator):
    case = _assessed_case(session, team, navigator)
    contract = contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)
    session.commit()  # so that rolling back the refused change below keeps the draft
    course = DraftCondition(
        ConditionType.EDUCATION, "Attend the drugs awareness course", CompletionRule.SESSIONS, 1, DUE
    )
    with pytest.raises(FieldError) as refused:
        contracts.add_condition(
            session,
            actor=navigator,
            case=case,
            seen_version=contract.version,
            now=NOW,
            condition=DraftCondition(ConditionType.COMMUNITY, "Volunteer", CompletionRule.HOURS, 50, DUE),
        )
    assert refused.value.field == "target"
    session.rollback()
    contract = contracts.current(session, case=session.get(Case, case.id))
    for _ in range(2):
        contracts.add_condition(
            session, actor=navigator, case=case, condition=course, seen_version=contract.version, now=NOW
        )
    with pytest.raises(FieldError, match="at most 5"):
        contracts.add_condition(
            session, actor=navigator, case=case, condition=course, seen_version=contract.version, now=NOW
        )


def test_the_offending_condition_cannot_be_removed_and_a_stale_draft_is_refused(session, team, navigator):
    case = _assessed_case(session, team, navigator)
    contract = contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)
    offending = contract.conditions[0]
    with pytest.raises(IllegalTransition):
        contracts.remove_condition(
            session, actor=navigator, case=case, condition_id=offending.id, seen_version=contract.version, now=NOW
        )
    seen = contract.version
    contracts.remove_condition(
        session, actor=navigator, case=case, condition_id=contract.conditions[2].id, seen_version=seen, now=NOW
    )
    assert [c.position for c in contract.conditions] == [1, 2]
    with pytest.raises(StaleRecord):
        contracts.remove_condition(
            session, actor=navigator, case=case, condition_id=contract.conditions[1].id, seen_version=seen, now=NOW
        )


def test_two_navigators_editing_one_draft_at_once_do_not_both_save(migrated_database):
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case = _assessed_case(setup, team, navigator)
        contract = contracts.start_contract(setup, actor=navigator, case=case, seen_version=case.version, now=NOW)
        setup.commit()
        ids = (navigator.id, case.id, contract.version)
    course = DraftCondition(ConditionType.EDUCATION, "Attend the course", CompletionRule.SESSIONS, 1, DUE)
    loaded, outcomes = threading.Event(), []

    def edit(first: bool) -> None:
        # The second navigator opens their session only once the first has read the draft: on SQLite a
        # session holds the write lock from its first read, so the other order would wait on the lock.
        if not first and not loaded.wait(timeout=10):
            outcomes.append("never started")
            return
        with sessions() as own:
            actor, draft_case = own.get(User, ids[0]), own.get(Case, ids[1])
            own.scalars(select(Contract)).all()
            if first:
                loaded.set()
            try:
                # Both saw the draft at the same version (the form's hidden field), whatever they read.
                contracts.add_condition(
                    own, actor=actor, case=draft_case, condition=course, seen_version=ids[2], now=datetime.now(UTC)
                )
                if first:
                    threading.Event().wait(0.3)  # still inside the transaction when the second saves
                own.commit()
                outcomes.append("saved")
            except StaleRecord as refusal:
                own.rollback()
                outcomes.append(type(refusal).__name__)

    threads = [
        threading.Thread(target=edit, args=(True,), daemon=True),
        threading.Thread(target=edit, args=(False,), daemon=True),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["StaleRecord", "saved"]
    with sessions() as check:
        assert len(contracts.current(check, case=check.get(Case, ids[1])).conditions) == 4
