"""The prosecution decision through the pages: the case page's panel, the decision form with its
refusals by the field (nothing typed lost), access, the force-system confirmation, the PDFs and the
supervisor home's time-barred figure."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, CaseOutcome
from tests.conftest import make_user, sign_in_quickly
from tests.form_posts import shown_fields
from tests.prosecution_cases import RATIONALE, waiting_case

WORDING = "On 3 August 2026 at Durham assaulted Sam Jones by beating."


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _errors(response) -> dict[str, str]:
    """Each error summary link's target field and its message."""
    return {
        link["href"].lstrip("#"): link.get_text(" ", strip=True)
        for link in _soup(response).select(".govuk-error-summary a")
    }


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team, full_name="Robin Ellis")


def _client(app, session, user):
    client = app.test_client()
    sign_in_quickly(client, session, user)
    return client


def _decide(client, case, **answers):
    path = f"/cases/{case.id}/prosecution-decision"
    return client.post(path, data={**shown_fields(client, path), "rationale": RATIONALE, **answers})


def test_a_supervisor_records_a_charge_from_the_case_page(app, session, team, supervisor):
    case = waiting_case(session, team)
    session.commit()
    client = _client(app, session, supervisor)
    page = _soup(client.get(f"/cases/{case.id}"))
    panel = page.select_one("#prosecution-decision")
    assert "latest charge date is 2 February 2027, 70 days from today" in panel.get_text(" ", strip=True)
    assert panel.select_one(f"a[href='/cases/{case.id}/prosecution-decision']").get_text(strip=True) == (
        "Record the prosecution decision"
    )
    form = _soup(client.get(f"/cases/{case.id}/prosecution-decision"))
    assert "this scheme's usual route" in form.select_one("label[for=route]").get_text()
    response = _decide(
        client, case, route="charged", charge_wording=WORDING, charged_on="23/11/26", court_date="14.12.2026"
    )
    assert response.status_code == 302
    closed = session.get(Case, case.id)
    session.refresh(closed)
    assert closed.case_state is CaseState.CLOSED_CHARGED
    shown = _soup(client.get(f"/cases/{case.id}")).select_one("#case-outcome").get_text(" ", strip=True)
    for phrase in (
        "1: Charged / summonsed",
        WORDING,
        "14 December 2026",
        "Robin Ellis, 24 Nov 2026 at 10:00am",
        RATIONALE,
        "Date to enter on force systems 23 November 2026",
        "Not confirmed yet",
    ):
        assert phrase in shown, phrase
    links = [a["href"] for a in _soup(client.get(f"/cases/{case.id}")).select("#prosecution-documents a")]
    assert links == [f"/cases/{case.id}/decision-letter.pdf", f"/cases/{case.id}/breach-file.pdf"]
    letter = client.get(links[0])
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    assert client.get(links[1]).mimetype == "application/pdf"


def test_a_charge_without_its_wording_is_refused_by_the_field_keeping_what_was_typed(app, session, team, supervisor):
    case = waiting_case(session, team)
    session.commit()
    client = _client(app, session, supervisor)
    response = _decide(client, case, route="charged", charged_on="24/11/2026", court_date="20/11/2026")
    assert response.status_code == 400
    assert _errors(response) == {
        "charge_wording": "Enter the charge wording",
        "court_date": "The court date cannot be before the charge date",
    }
    page = _soup(response)
    assert page.title.get_text().startswith("Error:")
    assert page.select_one("#court_date")["value"] == "20/11/2026"
    assert page.select_one("#rationale").get_text() == RATIONALE
    assert session.get(Case, case.id).case_state is CaseState.PROSECUTION_DECISION


def test_a_route_needing_a_code_asks_for_one(app, session, team, supervisor):
    case = waiting_case(session, team)
    session.commit()
    response = _decide(_client(app, session, supervisor), case, route="no_further_action")
    assert response.status_code == 400
    assert _errors(response) == {"nfa_code": "Select the reason for no further action"}


def test_a_code_not_offered_today_is_refused(app, session, team, supervisor):
    case = waiting_case(session, team)
    session.commit()
    client = _client(app, session, supervisor)
    out_of_route = _decide(client, case, route="alternative", alternative_code="10")
    assert _errors(out_of_route) == {"alternative_code": "Select the alternative outcome"}
    offered = [
        i["value"] for i in _soup(client.get(f"/cases/{case.id}/prosecution-decision")).select("[name=nfa_code]")
    ]
    assert offered == ["10", "21"]


def test_past_the_latest_charge_date_a_charge_is_refused_and_time_barred_recorded(app, session, team):
    case = waiting_case(session, team, offence_on=date(2026, 5, 20))
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    session.commit()
    client = _client(app, session, sergeant)
    status = _soup(client.get(f"/cases/{case.id}")).select_one("#prosecution-decision").get_text(" ", strip=True)
    assert "The latest charge date, 19 November 2026, has passed" in status
    refused = _decide(client, case, route="charged", charge_wording=WORDING, charged_on="19/11/2026")
    assert refused.status_code == 400
    assert _errors(refused)["route"].startswith("The latest charge date, 19 November 2026, has passed")
    assert _decide(client, case, route="time_barred").status_code == 302
    outcome = session.query(CaseOutcome).filter_by(case_id=case.id).one()
    assert (outcome.code, outcome.decided_by_id) == (17, sergeant.id)


def test_a_navigator_sees_the_clock_but_cannot_record_the_decision(app, session, team):
    case = waiting_case(session, team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    session.commit()
    client = _client(app, session, navigator)
    panel = _soup(client.get(f"/cases/{case.id}")).select_one("#prosecution-decision")
    assert "Waiting for a prosecution decision" in panel.get_text() and panel.select_one(".govuk-button") is None
    assert client.get(f"/cases/{case.id}/prosecution-decision").status_code == 403
    assert _decide_blind(client, case).status_code == 403


def _decide_blind(client, case):
    """A post made without the page: the navigator's own CSRF token, taken from the notes page."""
    token = shown_fields(client, f"/cases/{case.id}/notes")["csrf_token"]
    answers = {"csrf_token": token, "version": str(case.version), "route": "evidential", "evidential_code": "15"}
    return client.post(f"/cases/{case.id}/prosecution-decision", data={**answers, "rationale": RATIONALE})


def test_another_teams_sergeant_is_refused(app, session, team, other_team):
    case = waiting_case(session, team)
    stranger = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=other_team)
    session.commit()
    client = _client(app, session, stranger)
    # Another team's case answers like one that does not exist.
    assert client.get(f"/cases/{case.id}/prosecution-decision").status_code == 404
    assert client.get(f"/cases/{case.id}/breach-file.pdf").status_code == 404
    assert session.get(Case, case.id).case_state is CaseState.PROSECUTION_DECISION


def test_a_sergeant_records_the_decision_from_the_status_page_and_confirms_it_on_force_systems(app, session, team):
    case = waiting_case(session, team)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team, full_name="Morgan Price")
    session.commit()
    client = _client(app, session, sergeant)
    status = _soup(client.get(f"/cases/{case.id}"))
    assert status.select_one(f"a[href='/cases/{case.id}/prosecution-decision']") is not None
    assert _decide(client, case, route="evidential", evidential_code="16").status_code == 302
    confirm = f"/cases/{case.id}/outcome/force-record"
    assert _soup(client.get(f"/cases/{case.id}")).select_one(f"#force-record a[href='{confirm}']") is not None
    unticked = client.post(confirm, data={**shown_fields(client, confirm), "force_reference": "OCC/26/5"})
    assert unticked.status_code == 400
    assert _errors(unticked) == {"confirmed": "Confirm that the outcome has been entered on the force's systems"}
    assert _soup(unticked).select_one("#force_reference")["value"] == "OCC/26/5"
    form = shown_fields(client, confirm)
    done = client.post(confirm, data={**form, "force_reference": "OCC/26/5", "confirmed": "y"})
    assert done.status_code == 302
    shown = _soup(client.get(f"/cases/{case.id}")).select_one("#force-record").get_text(" ", strip=True)
    assert shown == "Confirmed by Morgan Price, 24 Nov 2026 at 10:00am (reference OCC/26/5)"
    again = client.post(confirm, data={**form, "force_reference": "OCC/26/6", "confirmed": "y"})
    assert again.status_code == 400
    assert "Morgan Price already confirmed" in _soup(again).select_one(".govuk-error-summary").get_text()


def test_the_supervisor_home_shows_the_time_barred_figure(app, session, team, supervisor):
    past = waiting_case(session, team, offence_on=date(2026, 5, 20))
    session.commit()
    client = _client(app, session, supervisor)
    figure = _soup(client.get("/supervisor")).select_one("#time-barred").get_text(" ", strip=True)
    assert "Cases closed as time-barred (Outcome 17) 0" in figure
    assert "Open cases past their latest charge date 1" in figure
    listed = _soup(client.get("/supervisor")).select_one("#past-latest-charge-date").get_text(" ", strip=True)
    assert past.reference in listed and "latest charge date 19 November 2026" in listed
    _decide(client, past, route="time_barred")
    figure = _soup(client.get("/supervisor")).select_one("#time-barred").get_text(" ", strip=True)
    assert "Cases closed as time-barred (Outcome 17) 1" in figure
    assert "Open cases past their latest charge date 0" in figure
