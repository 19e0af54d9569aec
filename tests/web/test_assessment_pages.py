"""First contact and the needs assessment through the pages."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from casework.domain.clock import local
from casework.domain.lifecycle import CaseState
from casework.domain.needs import NEED_DOMAINS
from casework.domain.roles import Role
from casework.models import Case
from tests.conftest import NOW, csrf_token, make_case, make_user, sign_in_quickly


def _every_domain_scored(token: str) -> dict[str, str]:
    data = {"csrf_token": token}
    for domain, _ in NEED_DOMAINS:
        data.update({f"{domain}-need_level": "0", f"{domain}-linked": "no"})
    return data


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
    data = _every_domain_scored(csrf_token(client, path))
    data.update({"drugs-need_level": "3", "drugs-linked": "yes", "drugs-priority": "1"})
    missing = dict(data)
    del missing["alcohol-linked"]
    refused = client.post(path, data=missing)
    soup = BeautifulSoup(refused.text, "html.parser")
    assert "alcohol misuse is linked" in soup.select_one("#alcohol-linked-error").get_text()
    assert soup.select_one("input[name=drugs-priority]")["value"] == "1"
    saved = client.post(path, data=data)
    assert saved.headers["Location"] == f"/cases/{case.id}/needs"
    page = client.get(f"/cases/{case.id}/needs").text
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
            "csrf_token": csrf_token(client, "/directory/new"),
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
        "csrf_token": csrf_token(other, path),
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
    assert other.post(path, data={**data, "consent_recorded": "y"}).headers["Location"] == f"/cases/{case.id}/needs"
    assert "Durham Recovery Hub" in other.get(f"/cases/{case.id}/needs").text
    assert session.query(Referral).one().data_shared == ["name", "reason"]


def test_the_midpoint_and_exit_assessments_are_offered_from_the_contracts_dates(app, client, session, team):
    """They were offered on the contract's first day; now the midpoint opens halfway through the
    signed term and the exit in its last four weeks, by the London date (British Summer Time here)."""
    from datetime import UTC, date, datetime

    from casework.domain import needs
    from casework.services import assessment
    from casework.services.assessment import DomainInput
    from tests.conftest import make_contract

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
    # 120 days: halfway is 30 June, the last four weeks start on 1 August.
    make_contract(session, case=case, created_by=navigator, starts_on=date(2027, 5, 1), ends_on=date(2027, 8, 29))
    session.commit()
    clock = app.extensions["casework.clock"]

    def offered_at(instant):
        clock.set(instant)
        sign_in_quickly(client, session, navigator)
        soup = BeautifulSoup(client.get(f"/cases/{case.id}").text, "html.parser")
        return {a.get_text(strip=True) for a in soup.select(".app-next-steps a")}

    midpoint, exit_ = "Record the midpoint assessment", "Record the exit assessment"
    assert not {midpoint, exit_} & offered_at(datetime(2027, 5, 1, 9, 0, tzinfo=UTC))  # the first day
    typed = client.post(  # the URL typed by hand: the service refuses, and says from when
        f"/cases/{case.id}/assessment/midpoint", data=_every_domain_scored(csrf_token(client, f"/cases/{case.id}"))
    )
    refusal = BeautifulSoup(typed.text, "html.parser").select_one(".govuk-error-summary").get_text()
    assert "can be recorded from 30 June 2027, halfway through the contract" in refusal
    assert assessment.recorded_stages(session, case=case) == {"entry"}

    assert midpoint not in offered_at(datetime(2027, 6, 29, 22, 30, tzinfo=UTC))  # 11:30pm on 29 June in London
    assert midpoint in offered_at(datetime(2027, 6, 29, 23, 30, tzinfo=UTC))  # already 30 June in London
    assert exit_ not in offered_at(datetime(2027, 7, 31, 22, 30, tzinfo=UTC))
    assert {midpoint, exit_} <= offered_at(datetime(2027, 7, 31, 23, 30, tzinfo=UTC))
    assert client.get(f"/cases/{case.id}/assessment/exit").status_code == 200
