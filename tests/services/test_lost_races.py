"""A change that loses a race is refused as "someone else changed this", naming the case where
there is one, never as a raw database error.

Each test reads a record, lets another connection commit a change to it, then acts on what it
read: the window in which two people really do collide, made certain, with real commits on both
databases. (The read transaction ends before the other commits: SQLite's BEGIN IMMEDIATE would
otherwise keep the other writer out, which is exactly how SQLite avoids the race in production.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from casework.db import make_session_factory
from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.errors import StaleRecord
from casework.domain.gate_questions import SECTIONS
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.migrate import upgrade
from casework.models import Case, PartnerService, Referral, User
from casework.services import accounts, cases, checklist, contracts, referrals, variations
from casework.services.accounts import AccountDetails
from casework.services.cases import CustodyDetails
from tests.conftest import NOW, TEST_PASSPHRASE, ThrowawayDatabase, make_case, make_team, make_user
from tests.domain.test_gate import ANSWERS
from tests.services.test_contract_signing import _agree_and_sign, _draft
from tests.services.test_referrals import HUB

DUE = NOW.date() + timedelta(days=30)  # by when a test condition is due: inside any term


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    database = ThrowawayDatabase(tmp_path_factory.mktemp("lost-races"))
    upgrade(database.engine)
    yield make_session_factory(database.engine)
    database.drop()


def _interleaved(sessions, load: Callable, compete: Callable, act: Callable) -> StaleRecord:
    """`load` reads in one session; another session commits `compete`; then the first `act`s on
    what it read, and must be refused."""
    with sessions() as mine:
        loaded = load(mine)
        mine.commit()
        with sessions() as theirs:
            compete(theirs)
            theirs.commit()
        with pytest.raises(StaleRecord) as refused:
            act(mine, *loaded)
        mine.rollback()
    assert refused.value.message.startswith("Someone else changed")
    return refused.value


def _custody_case(sessions, **values):
    with sessions() as setup:
        team = make_team(setup)
        sergeant = make_user(setup, roles=[Role.CUSTODY_SERGEANT], team=team)
        case = make_case(setup, team=team, state=CaseState.ELIGIBILITY_DRAFT, opened_by=sergeant, **values)
        setup.commit()
        return sergeant.id, case.id


def _rename_suite(case_id: int):
    def compete(theirs):
        theirs.get(Case, case_id).custody_suite = "Peterlee"

    return compete


def test_custody_details_saved_over_someone_elses(sessions):
    sergeant_id, case_id = _custody_case(sessions)
    details = CustodyDetails(
        custody_suite="Durham",
        crime_reference="DC/1",
        custody_record_number="CR-1",
        arrested_at=NOW - timedelta(hours=3),
        offence_first_on=(NOW - timedelta(days=1)).date(),
        offence_last_on=(NOW - timedelta(days=1)).date(),
        offence_codes=("ASSAULT-COMMON",),
        offence_place="Market Place, Durham",
        offence_description="Took goods from a shop without paying",
    )
    refusal = _interleaved(
        sessions,
        lambda mine: (mine.get(User, sergeant_id), mine.get(Case, case_id)),
        _rename_suite(case_id),
        lambda mine, actor, case: cases.record_custody_details(
            mine, actor=actor, case=case, details=details, seen_version=case.version, now=NOW
        ),
    )
    assert refusal.case_id == case_id


def test_checklist_answers_saved_over_someone_elses(sessions):
    sergeant_id, case_id = _custody_case(sessions)
    section = SECTIONS[0]
    answers = {question.key: ANSWERS[question.key] for question in section.questions}
    refusal = _interleaved(
        sessions,
        lambda mine: (mine.get(User, sergeant_id), mine.get(Case, case_id)),
        _rename_suite(case_id),
        lambda mine, actor, case: checklist.answer_section(
            mine, actor=actor, case=case, section=section, answers=answers, seen_version=case.version, now=NOW
        ),
    )
    assert refusal.case_id == case_id


def test_an_override_saved_over_someone_elses_change(sessions):
    sergeant_id, case_id = _custody_case(sessions, provisional_eligible=False, evaluated_at=NOW)
    refusal = _interleaved(
        sessions,
        lambda mine: (mine.get(User, sergeant_id), mine.get(Case, case_id)),
        _rename_suite(case_id),
        lambda mine, actor, case: checklist.override(
            mine,
            actor=actor,
            case=case,
            rationale="The co-accused is a relative dealt with separately.",
            seen_version=case.version,
            now=NOW,
        ),
    )
    assert refusal.case_id == case_id


def test_a_partner_service_saved_over_someone_elses_change(sessions):
    with sessions() as setup:
        supervisor = make_user(setup, roles=[Role.SUPERVISOR], team=make_team(setup))
        service = referrals.add_service(setup, actor=supervisor, details=HUB, now=NOW)
        setup.commit()
        ids = supervisor.id, service.id

    def compete(theirs):
        theirs.get(PartnerService, ids[1]).phone = "0191 555 0100"

    _interleaved(
        sessions,
        lambda mine: (mine.get(User, ids[0]), mine.get(PartnerService, ids[1])),
        compete,
        lambda mine, actor, service: referrals.update_service(
            mine, actor=actor, service=service, details=HUB, active=False, seen_version=service.version, now=NOW
        ),
    )


def test_a_referral_update_saved_over_someone_elses(sessions):
    with sessions() as setup:
        team = make_team(setup)
        supervisor = make_user(setup, roles=[Role.SUPERVISOR], team=team)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case = make_case(setup, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
        service = referrals.add_service(setup, actor=supervisor, details=HUB, now=NOW)
        referral = referrals.send_referral(
            setup,
            actor=navigator,
            case=case,
            service_id=service.id,
            need_domain="drugs",
            sent_on=NOW.date(),
            method="secure_email",
            data_shared=["name"],
            consent_recorded=True,
            now=NOW,
        )
        setup.commit()
        ids = navigator.id, case.id, referral.id

    def compete(theirs):
        theirs.get(Referral, ids[2]).method = "phone"

    refusal = _interleaved(
        sessions,
        lambda mine: (mine.get(User, ids[0]), mine.get(Case, ids[1]), mine.get(Referral, ids[2])),
        compete,
        lambda mine, actor, case, referral: referrals.update_status(
            mine,
            actor=actor,
            referral=referral,
            case=case,
            status="acknowledged",
            happened_on=NOW.date(),
            evidence="partner_confirmation",
            note="",
            seen_version=referral.version,
            now=NOW,
        ),
    )
    assert refusal.case_id == ids[1]


def test_a_variation_approved_while_someone_else_changes_it(sessions):
    with sessions() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        supervisor = make_user(setup, roles=[Role.SUPERVISOR], team=team)
        case, contract = _draft(setup, team, navigator)
        _agree_and_sign(setup, navigator, case, contract)
        variation = variations.start_variation(
            setup,
            actor=navigator,
            case=case,
            reason="A new course",
            consent=True,
            extend_weeks=0,
            seen_version=contract.version,
            now=NOW,
        )
        setup.commit()
        ids = supervisor.id, navigator.id, case.id, variation.version

    def compete(theirs):
        course = DraftCondition(ConditionType.EDUCATION, "Attend the course", CompletionRule.SESSIONS, 1, DUE)
        contracts.add_condition(
            theirs,
            actor=theirs.get(User, ids[1]),
            case=theirs.get(Case, ids[2]),
            condition=course,
            seen_version=ids[3],
            now=NOW,
        )

    refusal = _interleaved(
        sessions,
        lambda mine: (
            mine.get(User, ids[0]),
            mine.get(Case, ids[2]),
            contracts.current(mine, case=mine.get(Case, ids[2])),
        ),
        compete,
        lambda mine, actor, case, seen: variations.approve_variation(
            mine, actor=actor, case=case, seen_version=seen.version, now=NOW
        ),
    )
    assert refusal.case_id == ids[2]


def test_a_passphrase_set_while_an_administrator_edits_the_account(sessions):
    with sessions() as setup:
        team = make_team(setup)
        admin = make_user(setup, roles=[Role.ADMINISTRATOR], team=team)
        person = make_user(setup, team=team, passphrase=None)
        token = accounts.issue_passphrase_link(setup, actor=admin, user=person, now=NOW)
        setup.commit()
        ids = admin.id, person.id

    def compete(theirs):
        subject = theirs.get(User, ids[1])
        details = AccountDetails(
            username=subject.username,
            full_name="Renamed Person",
            email=subject.email,
            organisation=subject.organisation,
            team_id=subject.team_id,
            roles=subject.roles,
        )
        accounts.update_user(
            theirs, actor=theirs.get(User, ids[0]), user=subject, details=details, seen_version=subject.version, now=NOW
        )

    _interleaved(
        sessions,
        lambda mine: (mine.get(User, ids[1]),),
        compete,
        lambda mine, _person: accounts.set_passphrase_from_link(
            mine, token=token, passphrase=TEST_PASSPHRASE, confirmation=TEST_PASSPHRASE, now=NOW
        ),
    )
