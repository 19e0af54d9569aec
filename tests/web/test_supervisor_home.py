"""The supervisor's way in to what waits for them: referrals to accept, contracts and variations to
approve, each linking to the page where they decide; what they asked for themselves is listed apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event, select

from casework.domain.errors import NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import SchemeSettings
from casework.services import approvals
from tests.conftest import NOW, make_case, make_contract, make_user, sign_in_quickly


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def people(session, team):
    return {
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "colleague": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "sergeant": make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team),
    }


def _referral(session, team, opened_by):
    return make_case(session, team=team, state=CaseState.PENDING_ACCEPTANCE, opened_by=opened_by)


def _contract(session, team, drafted_by):
    case = make_case(session, team=team, state=CaseState.CONTRACT_AWAITING_APPROVAL)
    make_contract(session, case=case, created_by=drafted_by, status="awaiting_approval")
    return case


def _variation(session, team, started_by, **values):
    case = make_case(session, team=team, state=CaseState.ACTIVE)
    signed = make_contract(session, case=case, created_by=started_by)
    make_contract(
        session,
        case=case,
        created_by=started_by,
        status="draft",
        version_number=2,
        planned_ends_on=signed.ends_on + timedelta(weeks=2),
        **values,
    )
    return case


def test_the_home_page_lists_each_decision_and_links_to_where_it_is_made(client, session, team, other_team, people):
    session.scalars(select(SchemeSettings)).one().contract_approval_required = True
    me, colleague, navigator = people["supervisor"], people["colleague"], people["navigator"]
    referral = _referral(session, team, people["sergeant"])
    contract = _contract(session, team, navigator)
    variation = _variation(session, team, navigator)
    mine = [_referral(session, team, me), _contract(session, team, me), _variation(session, team, me)]
    _variation(session, team, navigator, approved_by_id=colleague.id, approved_at=NOW)  # decided already
    _referral(session, other_team, make_user(session, roles=[Role.CUSTODY_SERGEANT], team=other_team))
    session.commit()

    queue = approvals.waiting_for(session, actor=me)
    assert [w.case.id for w in queue.for_reader(approvals.Kind.ACCEPTANCE)] == [referral.id]
    assert [w.case.id for w in queue.for_reader(approvals.Kind.CONTRACT)] == [contract.id]
    assert [w.case.id for w in queue.for_reader(approvals.Kind.VARIATION)] == [variation.id]
    assert [w.case.id for w in queue.for_another] == [c.id for c in mine]
    theirs = approvals.waiting_for(session, actor=colleague)  # what I asked for waits for my colleague
    assert {w.case.id for w in theirs.items if not w.own} == {referral.id, contract.id, variation.id} | {
        c.id for c in mine
    }
    with pytest.raises(NotPermitted):
        approvals.waiting_for(session, actor=navigator)

    sign_in_quickly(client, session, me)
    home = _soup(client.get("/supervisor"))
    for kind, case, path in [
        ("acceptance", referral, f"/cases/{referral.id}/acceptance"),
        ("contract", contract, f"/cases/{contract.id}/contract/"),
        ("variation", variation, f"/cases/{variation.id}/contract/"),
    ]:
        links = home.select(f"#waiting-{kind} a")
        assert [(a.get_text(strip=True), a["href"]) for a in links] == [
            (f"{case.reference}: {case.person.full_name}", path)
        ]
    assert navigator.full_name in home.select_one("#waiting-contract").get_text()
    others = home.select_one("#waiting-for-another").get_text(" ", strip=True)
    assert all(case.reference in others for case in mine)

    # Each link reaches the decision itself.
    assert _soup(client.get(f"/cases/{referral.id}/acceptance")).select_one("input[name=decision][value=accept]")
    assert _soup(client.get(f"/cases/{contract.id}/contract/")).select_one("input[name=decision][value=approve]")
    assert "Approve the variation" in client.get(f"/cases/{variation.id}/contract/").text
    # The case overview leads there too.
    overview = _soup(client.get(f"/cases/{contract.id}"))
    assert ("Review and approve the contract", f"/cases/{contract.id}/contract/") in [
        (a.get_text(strip=True), a["href"]) for a in overview.select(".app-next-steps a")
    ]
    own = _soup(client.get(f"/cases/{mine[1].id}"))
    assert "another supervisor must approve it" in own.select_one(".govuk-warning-text").get_text()
    assert not own.select(".app-next-steps a[href$='/contract/']")


def _statements(connection, action) -> int:
    """Counted on the test's connection: every request's session runs on it (tests/conftest.py)."""
    counted = []
    listener = lambda *_: counted.append(1)  # noqa: E731
    event.listen(connection, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(connection, "before_cursor_execute", listener)
    return len(counted)


def test_the_home_page_issues_the_same_statements_for_1_and_20_waiting_of_each_kind(
    app, client, session, connection, team, people
):
    navigator, sergeant = people["navigator"], people["sergeant"]

    def add_one_of_each():
        _referral(session, team, sergeant)
        _contract(session, team, navigator)
        _variation(session, team, navigator)
        _contract(session, team, people["supervisor"])
        session.commit()

    add_one_of_each()
    sign_in_quickly(client, session, people["supervisor"])
    client.get("/supervisor")  # warm-up: the session touch and caches

    def load():
        assert client.get("/supervisor").status_code == 200

    one = _statements(connection, load)
    for _ in range(19):
        add_one_of_each()
    twenty = _statements(connection, load)
    assert len(approvals.waiting_for(session, actor=people["supervisor"]).items) == 80
    assert one == twenty > 0
