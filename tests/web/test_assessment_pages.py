"""First contact and the needs assessment through the pages."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from casework.domain.clock import local
from casework.domain.lifecycle import CaseState
from casework.domain.needs import NEED_DOMAINS
from casework.domain.roles import Role
from casework.models import Case
from tests.conftest import NOW, csrf_token, hidden_fields, make_case, make_user, sign_in_quickly


def test_navigator_records_first_contact_then_the_assessment(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, navigator_id=navigator.id, referred_at=NOW - timedelta(days=2))
    session.commit()
    sign_in_quickly(client, session, navigator)
    now = local(NOW)
    response = client.post(
        f"/cases/{case.id}/first-contact",
        data={
            "csrf_token": csrf_token(client, f"/cases/{case.id}/first-contact"),
            "version": case.version,
            "contact_date": now.strftime("%d/%m/%Y"),
            "contact_time": (now - timedelta(minutes=30)).strftime("%H:%M"),
            "method": "in_person",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).case_state is CaseState.ASSESSMENT

    path = f"/cases/{case.id}/assessment/entry"
    data = {"csrf_token": csrf_token(client, path)}
    for domain, _ in NEED_DOMAINS:
        data.update({f"{domain}-need_level": "0", f"{domain}-linked": "no"})
    data.update({"drugs-need_level": "3", "drugs-linked": "yes", "drugs-priority": "1"})
    missing = dict(data)
    del missing["alcohol-linked"]
    refused = client.post(path, data=missing)
    soup = BeautifulSoup(refused.text, "html.parser")
    assert "alcohol misuse is linked" in soup.select_one("#alcohol-linked-error").get_text()
    assert soup.select_one("input[name=drugs-priority]")["value"] == "1"
    assert client.post(path, data=data).status_code == 302
    page = client.get(f"/cases/{case.id}").text
    assert "Drug misuse: high need" in page and "Suggested pathway condition" in page


def test_custody_and_other_teams_never_see_needs(client, session, team, other_team):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    session.commit()
    sign_in_quickly(client, session, sergeant)
    status_page = client.get(f"/cases/{case.id}").text
    assert "Needs" not in status_page and "Safeguarding" not in status_page
    assert client.get(f"/cases/{case.id}/assessment/entry").status_code == 403
    sign_in_quickly(client, session, make_user(session, roles=[Role.NAVIGATOR], team=other_team))
    assert client.get(f"/cases/{case.id}/assessment/entry").status_code == 403


def test_supervisor_adds_a_service_and_a_navigator_refers_to_it(app, client, session, team):
    from casework.models import PartnerService, Referral

    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    added = client.post(
        "/directory/new",
        data={
            **hidden_fields(client, "/directory/new"),
            "name": "Durham Recovery Hub",
            "pathway": "drugs",
            "phone": "0191 555 0111",
            "data_accepted": "Name, date of birth and phone",
        },
    )
    assert added.status_code == 302
    service = session.query(PartnerService).one()

    other = app.test_client()
    sign_in_quickly(other, session, navigator)
    path = f"/cases/{case.id}/referrals/new"
    data = {
        **hidden_fields(other, path),
        "service_id": service.id,
        "need_domain": "drugs",
        "sent_on": local(NOW).strftime("%d/%m/%Y"),
        "method": "secure_email",
        "data_shared": ["name", "reason"],
    }
    refused = other.post(path, data=data)
    assert (
        "only be sent with the person's consent"
        in BeautifulSoup(refused.text, "html.parser").select_one("#consent_recorded-error").get_text()
    )
    assert other.post(path, data={**data, "consent_recorded": "y"}).status_code == 302
    assert "Durham Recovery Hub" in other.get(f"/cases/{case.id}").text
    assert session.query(Referral).one().data_shared == ["name", "reason"]


def test_an_active_case_offers_the_midpoint_and_exit_assessments(client, session, team):
    from casework.domain import needs
    from casework.services import assessment
    from casework.services.assessment import DomainInput
    from tests.conftest import NOW

    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    assessment.record_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        flags={},
        now=NOW,
        scores=[DomainInput(d, 1, False) for d, _ in NEED_DOMAINS],
    )
    case.state = CaseState.ACTIVE.value
    session.commit()
    sign_in_quickly(client, session, navigator)
    page = client.get(f"/cases/{case.id}").text
    assert "Record the midpoint assessment" in page and "Record the exit assessment" in page
    assert client.get(f"/cases/{case.id}/assessment/exit").status_code == 200
