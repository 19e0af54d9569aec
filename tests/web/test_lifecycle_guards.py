"""Each lifecycle guard refuses through the service that enforces it and through the page a user
would press, with the reason on screen, and leaves the case and its audit trail as they were."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from casework.domain.clock import local
from casework.domain.errors import IllegalTransition
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Case
from casework.services import allocation, assessment, cases, contracts
from tests.conftest import NOW, csrf_token, make_case, make_user, sign_in_quickly

TODAY = local(NOW).strftime("%d/%m/%Y")


def _first_contact(session, actor, case):
    assessment.record_first_contact(
        session, actor=actor, case=case, contact_at=NOW, method="phone", seen_version=case.version, now=NOW
    )


def _start_contract(session, actor, case):
    contracts.start_contract(session, actor=actor, case=case, seen_version=case.version, now=NOW)


def _accept(session, actor, case):
    cases.decide_acceptance(
        session, actor=actor, case=case, accept=True, rationale="", seen_version=case.version, now=NOW
    )


def _allocate(session, actor, case):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=case.team)
    allocation.allocate(
        session, actor=actor, case=case, navigator=navigator, reason="", seen_version=case.version, now=NOW
    )


@dataclass(frozen=True)
class Guard:
    name: str
    role: Role
    state: CaseState
    service: Callable  # the same step through its service, which must refuse it on its own
    path: str  # {id} is the case id
    data: dict
    refusal: str


GUARDS = [
    Guard(
        "first contact",
        Role.NAVIGATOR,
        CaseState.ACTIVE,
        _first_contact,
        "/cases/{id}/first-contact",
        {"contact_date": TODAY, "contact_time": "9am", "method": "phone"},
        "cannot be moved on by 'record first contact'",
    ),
    Guard(
        "start the contract",
        Role.NAVIGATOR,
        CaseState.REFERRED,
        _start_contract,
        "/cases/{id}/contract/start",
        {},
        "cannot be moved on by 'start contract'",
    ),
    Guard(
        "accept the referral",
        Role.SUPERVISOR,
        CaseState.REFERRED,
        _accept,
        "/cases/{id}/acceptance",
        {"decision": "accept", "rationale": ""},
        "cannot be moved on by 'accept referral'",
    ),
    Guard(
        "allocate a closed case",
        Role.SUPERVISOR,
        CaseState.COMPLETED,
        _allocate,
        "/cases/{id}/allocate",
        {"navigator_id": "{navigator}", "reason": "Cover"},
        "cannot be allocated",
    ),
]


def _trail(session, case) -> int:
    changes = select(func.count()).where(AuditEvent.case_id == case.id, AuditEvent.action != "case.viewed")
    return session.scalar(changes.select_from(AuditEvent))


@pytest.mark.parametrize("guard", GUARDS, ids=[g.name for g in GUARDS])
def test_the_service_refuses_and_changes_nothing(session, team, guard):
    actor = make_user(session, roles=[guard.role], team=team)
    case = make_case(session, team=team, state=guard.state, navigator_id=None)
    before = (case.state, case.version, _trail(session, case))
    with pytest.raises(IllegalTransition):
        guard.service(session, actor, case)
    session.expire_all()
    again = session.get(Case, case.id)
    assert (again.state, again.version, _trail(session, again)) == before


@pytest.mark.parametrize("guard", GUARDS, ids=[g.name for g in GUARDS])
def test_the_page_shows_the_reason_and_changes_nothing(client, session, team, guard):
    actor = make_user(session, roles=[guard.role], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=guard.state, navigator_id=None)
    session.commit()
    before = (case.state, case.version, _trail(session, case))
    sign_in_quickly(client, session, actor)
    path = guard.path.format(id=case.id)
    data = {key: value.format(navigator=navigator.id) for key, value in guard.data.items()}
    token = csrf_token(client, f"/cases/{case.id}/contract/" if path.endswith("/start") else path)
    response = client.post(path, data={"csrf_token": token, "version": case.version, **data})
    assert response.status_code in (200, 400, 409)
    assert guard.refusal in BeautifulSoup(response.text, "html.parser").get_text(" ")
    session.expire_all()
    again = session.get(Case, case.id)
    assert (again.state, again.version, _trail(session, again)) == before


def test_a_closed_case_offers_no_first_contact_or_allocation(client, session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case = make_case(session, team=team, state=CaseState.COMPLETED, closed_at=NOW - timedelta(days=1))
    session.commit()
    sign_in_quickly(client, session, supervisor)
    page = BeautifulSoup(client.get(f"/cases/{case.id}").text, "html.parser")
    offered = {link.get_text(" ", strip=True) for link in page.select("a.govuk-button")}
    assert (
        not {"Record first contact", f"Allocate case {case.reference}", f"Reallocate case {case.reference}"} & offered
    )
