"""Ending a referral for no contact and withdrawing a case opened in error, through the pages."""

from __future__ import annotations

import re
from datetime import timedelta

from bs4 import BeautifulSoup

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case
from tests.conftest import NOW, make_case, make_user, sign_in_quickly
from tests.web.test_custody_journey import _create_person, _errors, _post, _sergeant

REASON = "Three calls and two letters since the first appointment, no reply to any of them."


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _signed_in(client, session, team, role=Role.SUPERVISOR):
    user = make_user(session, roles=[role], team=team)
    session.commit()
    sign_in_quickly(client, session, user)
    return user


def _referred(session, team):
    case = make_case(session, team=team, state=CaseState.REFERRED, first_appointment_at=NOW - timedelta(days=3))
    session.commit()
    return case


def _state(session, case_id) -> CaseState:
    session.expire_all()
    return session.get(Case, case_id).case_state


def test_the_case_page_offers_a_supervisor_the_ways_to_end_a_referral(client, session, team):
    case = _referred(session, team)
    _signed_in(client, session, team)
    buttons = _soup(client.get(f"/cases/{case.id}")).select_one(".govuk-button-group")
    assert buttons.find("a", string="End for no contact")["href"] == f"/cases/{case.id}/end-no-contact"
    withdraw = [a["href"] for a in buttons.select("a") if a.get_text().startswith("Withdraw in error")]
    assert withdraw == [f"/cases/{case.id}/withdraw"]


def test_a_navigator_is_offered_neither_and_is_refused_both(client, session, team):
    case = _referred(session, team)
    _signed_in(client, session, team, Role.NAVIGATOR)
    buttons = _soup(client.get(f"/cases/{case.id}")).select_one(".govuk-button-group").get_text()
    assert "End for no contact" not in buttons and "Withdraw" not in buttons
    assert client.get(f"/cases/{case.id}/end-no-contact").status_code == 403
    assert client.get(f"/cases/{case.id}/withdraw").status_code == 403


def test_a_supervisor_ends_a_referral_for_no_contact(client, session, team):
    case = _referred(session, team)
    _signed_in(client, session, team)
    path = f"/cases/{case.id}/end-no-contact"
    refused = _post(client, path, {"reason": "No show"})
    assert _errors(refused)["reason"] == "Write at least 20 characters"
    assert _soup(refused).select_one("#reason").get_text() == "No show"  # kept as typed
    done = _post(client, path, {"reason": REASON})
    assert done.status_code == 302 and _state(session, case.id) is CaseState.PROSECUTION_DECISION
    page = _soup(client.get(done.headers["Location"]))
    assert "waits for a prosecution decision" in page.select_one(".govuk-notification-banner").get_text()
    assert page.select_one("#termination").get_text(" ", strip=True) == f"Ended for no contact: {REASON}"
    assert page.find("a", string="End for no contact") is None


def test_a_case_past_referral_cannot_be_ended_for_no_contact(client, session, team):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    session.commit()
    _signed_in(client, session, team)
    refused = _post(client, f"/cases/{case.id}/end-no-contact", {"reason": REASON})
    assert refused.status_code == 200
    assert "cannot be moved on" in _soup(refused).select_one(".govuk-error-summary").get_text()
    assert _state(session, case.id) is CaseState.ASSESSMENT


def test_another_teams_supervisor_is_refused(client, session, team, other_team):
    case = _referred(session, team)
    _signed_in(client, session, other_team)
    assert client.get(f"/cases/{case.id}/end-no-contact").status_code == 404
    assert client.get(f"/cases/{case.id}/withdraw").status_code == 404


def test_the_sergeant_withdraws_a_check_opened_by_mistake_from_the_custody_pages(client, session, team):
    _sergeant(client, session, team)
    created = _create_person(client)
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    checklist = _soup(client.get(f"/custody/cases/{case_id}/checklist/identity"))
    link = checklist.find("a", string=re.compile("opened by mistake"))["href"]
    assert link == f"/cases/{case_id}/withdraw"

    refused = _post(client, link, {})
    errors = _errors(refused)
    assert errors["reason"] == "Select why the case is being withdrawn" and "Explain what happened" in errors["detail"]
    done = _post(client, link, {"reason": "duplicate", "detail": "Same arrest as CP-26-000099"})
    assert done.status_code == 302 and _state(session, case_id) is CaseState.WITHDRAWN_IN_ERROR
    status = _soup(client.get(done.headers["Location"]))
    assert "Withdrawn in error" in status.select_one(".govuk-tag").get_text()
    desk = _soup(client.get("/custody")).get_text()
    assert "Withdrawn in error" in desk


def test_a_sergeant_cannot_withdraw_a_case_that_has_left_the_custody_desk(client, session, team):
    case = _referred(session, team)
    _signed_in(client, session, team, Role.CUSTODY_SERGEANT)
    page = _soup(client.get(f"/cases/{case.id}/withdraw"))
    assert "Only a supervisor can withdraw" in page.select_one("#refusal").get_text()
    assert page.select_one("textarea#detail") is None
    token = _soup(client.get("/custody")).select_one("input[name=csrf_token]")["value"]
    posted = client.post(
        f"/cases/{case.id}/withdraw", data={"csrf_token": token, "reason": "duplicate", "detail": "Twice", "version": 1}
    )
    assert "Only a supervisor can withdraw" in _soup(posted).select_one("#refusal").get_text()
    assert _state(session, case.id) is CaseState.REFERRED


def test_a_supervisor_withdraws_a_referred_case_and_the_figures_leave_it_out(client, session, team):
    case = _referred(session, team)
    _signed_in(client, session, team)
    done = _post(client, f"/cases/{case.id}/withdraw", {"reason": "wrong_person", "detail": "PNC match was wrong"})
    assert done.status_code == 302 and _state(session, case.id) is CaseState.WITHDRAWN_IN_ERROR
    record = _soup(client.get(f"/cases/{case.id}")).select_one("#withdrawal").get_text(" ", strip=True)
    assert record == "Withdrawn in error (opened for the wrong person): PNC match was wrong"
    figures = _soup(client.get("/supervisor"))
    counts = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in figures.select("#gate-figures .govuk-summary-list__row")
    }
    assert counts["Not offered"] == "0"
    assert "1 case was withdrawn in error and is not counted" in figures.get_text(" ", strip=True)
