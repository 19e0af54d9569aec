"""The supervisor's breach queue, the decision page and resuming a suspended case, through the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.breaches import BreachStatus, Decision
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Breach, Case, StaffNotification
from tests.conftest import NOW, csrf_token, make_user, sign_in_quickly
from tests.form_posts import shown_fields
from tests.services.breach_decision_world import RATIONALE, breach_case, make_breach


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def people(session, team):
    return {
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
    }


def _as(client, session, user):
    session.commit()
    sign_in_quickly(client, session, user)


def _post(client, breach, **data):
    path = f"/breaches/{breach.id}/decide"
    return client.post(path, data={**shown_fields(client, path), **data})


def _fresh(session, model, id_):
    session.expire_all()
    return session.get(model, id_)


def test_the_queue_is_in_the_header_and_puts_the_nearest_deadline_first(client, session, team, people):
    navigator = people["navigator"]
    later = make_breach(session, case=breach_case(session, team=team, navigator=navigator, deadline_in=50))
    sooner = make_breach(session, case=breach_case(session, team=team, navigator=navigator, deadline_in=6))
    _as(client, session, people["supervisor"])
    home = _soup(client.get("/supervisor"))
    assert home.select_one(".moj-primary-navigation a[href='/breaches']").get_text(strip=True) == "Breaches"
    assert "Breaches awaiting your decision (2)" in home.select_one("#breaches-heading").get_text()
    rows = _soup(client.get("/breaches")).select("#breach-queue tbody tr")
    assert [r.select("a")[-1]["href"] for r in rows] == [
        f"/breaches/{sooner.id}/decide",
        f"/breaches/{later.id}/decide",
    ]
    assert rows[0].select("td")[4].get_text(strip=True) == "6"


def test_a_rationale_too_short_is_shown_by_its_field_and_what_was_typed_is_kept(client, session, team, people):
    breach = make_breach(session, case=breach_case(session, team=team, navigator=people["navigator"]))
    _as(client, session, people["supervisor"])
    response = _post(client, breach, decision=Decision.FINAL_WARNING.value, rationale="Missed again")
    assert response.status_code == 400
    page = _soup(response)
    assert page.title.get_text().startswith("Error:")
    assert "at least 20 characters" in page.select_one("#rationale-error").get_text()
    assert page.select_one("textarea[name=rationale]").get_text() == "Missed again"
    assert page.select_one("input[name=decision][value=final_warning]").has_attr("checked")
    assert _fresh(session, Breach, breach.id).breach_status is BreachStatus.REVIEW


def test_no_action_decides_the_breach_and_the_case_goes_back_to_active(client, session, team, people):
    case = breach_case(session, team=team, navigator=people["navigator"])
    breach = make_breach(session, case=case)
    _as(client, session, people["supervisor"])
    response = _post(client, breach, decision=Decision.NO_ACTION.value, rationale=RATIONALE)
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case.id}"
    assert _fresh(session, Case, case.id).case_state is CaseState.ACTIVE
    notes = session.scalars(select(StaffNotification).where(StaffNotification.user_id == people["navigator"].id))
    assert [n.event for n in notes] == ["breach_decided"]
    assert "No action" in client.get(f"/cases/{case.id}").text


def test_a_variation_past_the_deadline_is_refused_on_the_page_and_one_within_it_leads_to_the_variation(
    client, session, team, people
):
    case = breach_case(session, team=team, navigator=people["navigator"], deadline_in=130)
    breach = make_breach(session, case=case)
    _as(client, session, people["supervisor"])
    refused = _post(client, breach, decision=Decision.VARY.value, rationale=RATIONALE, extend_weeks="4")
    assert refused.status_code == 400
    assert "latest charge date, 24 April 2027" in _soup(refused).select_one("#extend_weeks-error").get_text()
    allowed = _post(client, breach, decision=Decision.VARY.value, rationale=RATIONALE, extend_weeks="1")
    assert allowed.headers["Location"] == f"/cases/{case.id}/contract/"
    assert "Start the variation" in client.get(f"/cases/{case.id}/contract/").text


def test_a_supervisor_who_raised_the_breach_is_told_why_they_cannot_decide_it(client, session, team, people):
    breach = make_breach(
        session, case=breach_case(session, team=team, navigator=people["navigator"]), raised_by=people["supervisor"]
    )
    _as(client, session, people["supervisor"])
    page = _soup(client.get(f"/breaches/{breach.id}/decide"))
    assert "another supervisor must decide it" in page.select_one("#refusal").get_text()
    assert page.select_one("textarea[name=rationale]") is None


def test_a_navigator_and_another_teams_supervisor_are_refused(client, session, team, other_team, people):
    breach = make_breach(session, case=breach_case(session, team=team, navigator=people["navigator"]))
    _as(client, session, people["navigator"])
    assert client.get(f"/breaches/{breach.id}/decide").status_code == 403
    assert client.get("/breaches").status_code == 403
    _as(client, session, make_user(session, roles=[Role.SUPERVISOR], team=other_team))
    assert client.get(f"/breaches/{breach.id}/decide").status_code == 404


def test_suspending_and_resuming_through_the_pages_shows_the_longer_term(client, session, team, people, clock):
    case = breach_case(
        session, team=team, navigator=people["navigator"], deadline_in=200, starts_on=NOW.date() - timedelta(days=30)
    )
    breach = make_breach(session, case=case)
    _as(client, session, people["supervisor"])
    suspended = _post(
        client,
        breach,
        decision=Decision.SUSPEND.value,
        rationale="In hospital for an operation, expected back in three weeks.",
        suspended_from=(NOW.date() - timedelta(days=2)).strftime("%d/%m/%Y"),
    )
    assert suspended.status_code == 302
    overview = _soup(client.get(f"/cases/{case.id}"))
    assert "In hospital" in overview.select_one("#suspension").get_text()
    clock.advance(timedelta(days=12))
    _as(client, session, people["supervisor"])  # a new day, a new sign-in
    resume_path = f"/cases/{case.id}/resume"
    resumed = client.post(
        resume_path,
        data={
            **shown_fields(client, resume_path),
            "resumed_on": (NOW.date() + timedelta(days=12)).strftime("%d/%m/%Y"),
        },
    )
    assert resumed.status_code == 302, _soup(resumed).select_one(".govuk-error-summary")
    assert _fresh(session, Case, case.id).case_state is CaseState.ACTIVE
    extension = _soup(client.get(f"/cases/{case.id}")).select_one("#term-extension").get_text(" ", strip=True)
    # Signed for 120 days from 25 October 2026, paused for 14 days: 22 February becomes 8 March 2027.
    assert "paused for 14 days" in extension and "8 March 2027" in extension


def test_a_breach_not_awaiting_review_is_refused_on_the_page(client, session, team, people):
    breach = make_breach(
        session, case=breach_case(session, team=team, navigator=people["navigator"]), status=BreachStatus.OPEN
    )
    _as(client, session, people["supervisor"])
    assert "not awaiting a supervisor's decision" in _soup(client.get(f"/breaches/{breach.id}/decide")).text
    response = client.post(
        f"/breaches/{breach.id}/decide",
        data={
            "csrf_token": csrf_token(client, "/breaches"),
            "version": "1",
            "decision": "no_action",
            "rationale": RATIONALE,
        },
    )
    assert response.status_code == 409
    assert "not awaiting" in _soup(response).select_one(".govuk-error-summary").get_text()
    assert _fresh(session, Breach, breach.id).breach_status is BreachStatus.OPEN


@pytest.mark.parametrize(
    ("decision", "state", "shown"),
    [
        (Decision.FINAL_WARNING, CaseState.ACTIVE, "Final warning recorded"),
        (Decision.TERMINATE, CaseState.PROSECUTION_DECISION, "waits for a prosecution decision"),
    ],
)
def test_a_final_warning_or_a_termination_through_the_page(client, session, team, people, decision, state, shown):
    case = breach_case(session, team=team, navigator=people["navigator"])
    breach = make_breach(session, case=case)
    _as(client, session, people["supervisor"])
    response = _post(client, breach, decision=decision.value, rationale=RATIONALE)
    assert response.status_code == 302
    assert shown in client.get(response.headers["Location"]).text
    assert _fresh(session, Case, case.id).case_state is state
