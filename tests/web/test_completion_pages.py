"""Completion through the pages: what is still needed, asking for review, waiving, signing off, and
the letter download."""

from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Case
from tests.conftest import csrf_token, hidden_fields, make_case, make_contract, make_user, sign_in_quickly

TODAY = date(2026, 11, 24)


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _world(session, team, *, met: bool = True):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    contract = make_contract(
        session, case=case, created_by=navigator, starts_on=TODAY - timedelta(days=120), ends_on=TODAY
    )
    if met:
        contract.conditions[1].status = "met"
    session.commit()
    return navigator, supervisor, case, contract


def _post(client, path, form_path, **data):
    return client.post(path, data={**hidden_fields(client, form_path, path), **data})


def _state(session, case_id) -> CaseState:
    session.expire_all()
    return session.get(Case, case_id).case_state


def test_the_case_page_lists_what_is_still_needed_and_a_refused_request_lists_every_reason(client, session, team):
    navigator, _supervisor, case, _contract = _world(session, team, met=False)
    sign_in_quickly(client, session, navigator)
    panel = _soup(client.get(f"/cases/{case.id}")).select_one("#completion-panel").get_text(" ", strip=True)
    assert "Condition 2 is not started" in panel
    page = f"/cases/{case.id}/completion"
    refused = _post(client, f"{page}/request", page)
    assert refused.status_code == 400
    summary = _soup(refused).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "cannot go to completion review yet" in summary and "Condition 2 is not started" in summary
    assert _state(session, case.id) is CaseState.ACTIVE


def test_a_supervisor_waives_through_the_page_and_the_navigator_asks_for_review(client, session, team):
    navigator, supervisor, case, contract = _world(session, team, met=False)
    course = contract.conditions[1]
    waive = f"/cases/{case.id}/completion/conditions/{course.id}/waive"
    sign_in_quickly(client, session, navigator)
    assert client.get(waive).status_code == 403
    sign_in_quickly(client, session, supervisor)
    empty = _post(client, waive, waive, reason="")
    assert empty.status_code == 400
    assert "Give the reason" in _soup(empty).select_one(".govuk-error-summary").get_text()
    assert _post(client, waive, waive, reason="The provider withdrew the course").status_code == 302
    sign_in_quickly(client, session, navigator)
    page = f"/cases/{case.id}/completion"
    assert "by " + supervisor.full_name in _soup(client.get(page)).select_one("#completion-conditions").get_text()
    assert _post(client, f"{page}/request", page).status_code == 302
    assert _state(session, case.id) is CaseState.COMPLETION_REVIEW


def test_sign_off_through_the_page_shows_the_outcome_and_the_letter(client, session, team, other_team):
    navigator, supervisor, case, _contract = _world(session, team)
    page = f"/cases/{case.id}/completion"
    sign_in_quickly(client, session, navigator)
    assert _post(client, f"{page}/request", page).status_code == 302
    token = csrf_token(client, page)
    assert client.post(f"{page}/sign-off", data={"csrf_token": token}).status_code == 403

    stranger = make_user(session, roles=[Role.SUPERVISOR], team=other_team)
    session.commit()
    sign_in_quickly(client, session, stranger)
    assert client.get(page).status_code == 404

    sign_in_quickly(client, session, supervisor)
    shown = _soup(client.get(page))
    assert "has not been recorded" in shown.select_one("#exit-assessment").get_text()
    # No entry assessment on this case, so the page says why the exit one cannot be recorded.
    assert "Record the entry assessment first." in shown.select_one("#exit-refusal").get_text()
    missing = _post(client, f"{page}/sign-off", page, rationale="All conditions met and no breaches.")
    assert missing.status_code == 400
    assert "say why it was not done" in _soup(missing).select_one(".govuk-error-summary").get_text()
    done = _post(
        client,
        f"{page}/sign-off",
        page,
        rationale="All conditions met and no breaches.",
        exit_not_done_reason="The person declined the exit assessment.",
    )
    assert done.status_code == 302
    assert _state(session, case.id) is CaseState.COMPLETED
    outcome = _soup(client.get(page)).select_one("#completion-outcome").get_text(" ", strip=True)
    assert "22:" in outcome and "24 November 2026" in outcome
    pdf = client.get(f"{page}/letter.pdf?language=cy")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    again = client.get(f"{page}/letter.pdf?language=cy")
    assert again.data == pdf.data
    downloads = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "letter.pdf_downloaded")
    ).all()
    assert len(downloads) == 2


def test_a_supervisor_who_is_the_navigator_is_told_why_they_cannot_sign_off(client, session, team):
    _navigator, _supervisor, case, _contract = _world(session, team)
    both = make_user(session, roles=[Role.SUPERVISOR, Role.NAVIGATOR], team=team)
    session.get(Case, case.id).navigator_id = both.id
    session.commit()
    sign_in_quickly(client, session, both)
    page = f"/cases/{case.id}/completion"
    assert _post(client, f"{page}/request", page).status_code == 302
    shown = _soup(client.get(page))
    assert "another supervisor must sign off" in shown.select_one("#sign-off-refusal").get_text()
    assert shown.find("button", string=lambda s: s and "Sign off" in s) is None
