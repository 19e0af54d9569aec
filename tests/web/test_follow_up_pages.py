"""A follow-up asked on the case page reaches the navigator's Today page; marking it done tells the
supervisor. The supervisor's home shows each panel's numbers."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import StaffNotification
from tests.conftest import NOW, hidden_fields, make_case, make_user, sign_in_quickly
from tests.services.breach_decision_world import breach_case, make_breach

WHAT = "Ring the hostel to confirm the person still lives there."


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _events(session, user) -> list[str]:
    return list(session.scalars(select(StaffNotification.event).where(StaffNotification.user_id == user.id)))


def test_a_follow_up_goes_from_the_supervisor_to_the_navigator_and_back(app, session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    session.commit()
    boss, worker = app.test_client(), app.test_client()
    sign_in_quickly(boss, session, supervisor)
    sign_in_quickly(worker, session, navigator)

    link = _soup(boss.get(f"/cases/{case.id}")).find("a", string="Ask the navigator to follow something up")
    path = link["href"]
    empty = boss.post(path, data={**hidden_fields(boss, path), "what": WHAT, "due_on": ""})
    assert empty.status_code == 400
    assert _soup(empty).select_one("textarea[name=what]").get_text() == WHAT
    due = (NOW.date() + timedelta(days=2)).strftime("%d/%m/%Y")
    assert boss.post(path, data={**hidden_fields(boss, path), "what": WHAT, "due_on": due}).status_code == 302
    assert _events(session, navigator) == ["follow_up_asked"]

    today = _soup(worker.get("/today/"))
    [item] = today.select("#follow-up-list li")
    assert WHAT in item.get_text() and supervisor.full_name in item.get_text()
    done_path = item.select_one("a")["href"]
    assert WHAT in _soup(worker.get(f"/cases/{case.id}")).select_one("#follow-ups").get_text()
    answered = worker.post(done_path, data={**hidden_fields(worker, done_path), "note": "Hostel confirmed by phone."})
    assert answered.status_code == 302
    assert _events(session, supervisor) == ["follow_up_done"]
    assert _soup(worker.get("/today/")).select("#follow-up-list li") == []


def test_the_supervisor_home_shows_each_panel(client, session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    make_breach(session, case=breach_case(session, team=team, navigator=navigator, deadline_in=12))
    make_case(session, team=team, state=CaseState.COMPLETION_REVIEW, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    home = _soup(client.get("/supervisor"))
    assert len(home.select("#breaches-awaiting li")) == 1
    assert "12 days left" in home.select_one("#near-deadline").get_text()
    assert len(home.select("#awaiting-sign-off li")) == 1
    [row] = home.select("#caseloads tbody tr")
    assert row.get_text(" ", strip=True) == f"{navigator.full_name} 2"
    assert "Every check-in that has started has an outcome." in home.text
    assert home.select_one("#team-flags") is None and "Flagged cases (0)" in home.text  # kept as it was
