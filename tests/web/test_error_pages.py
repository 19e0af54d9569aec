"""Error pages after a failed write: the styled page, never the bare fallback, and a lost race
outside `attempt` as the "someone else changed this" page (409), not a 500.

The routes here are added by the tests: no real page should let these escape, and these prove the
safety net behind them does its job if one ever does."""

from __future__ import annotations

import logging

import pytest
from bs4 import BeautifulSoup
from flask_login import current_user
from sqlalchemy import text

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, CaseNote, Team
from casework.services import audit
from casework.services.concurrency import flush_or_stale, stale_message
from casework.web.access import collect_rules, signed_in
from casework.web.database import db
from tests.conftest import NOW, csrf_token, make_case, make_user, sign_in_quickly


def _add_route(app, path: str, view) -> None:
    app.add_url_rule(path, endpoint=path.strip("/").replace("/", "_"), view_func=signed_in(view), methods=["POST"])
    collect_rules(app)


@pytest.fixture
def case_and_user(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    return case, navigator


def test_a_failed_flush_shows_the_styled_500_page(app, client, case_and_user, caplog):
    case, navigator = case_and_user

    def broken_note():
        # An empty note breaks the table's CHECK: a bug, not a race. The session is left needing a
        # rollback, and the error page reads the signed-in user (name, team) through that session.
        db().add(CaseNote(case_id=case.id, author_id=current_user.id, written_at=NOW, body=""))
        db().flush()

    _add_route(app, "/test/broken-note", broken_note)
    with caplog.at_level(logging.ERROR):
        response = client.post("/test/broken-note", data={"csrf_token": csrf_token(client, "/cases/")})
    assert response.status_code == 500
    page = BeautifulSoup(response.text, "html.parser")
    assert "govuk-template" in page.html.get("class", [])  # not the bare fallback
    assert page.h1.get_text() == "Sorry, there is a problem with the service"
    assert navigator.full_name in page.select_one(".app-header__user").get_text()
    assert "Error page failed to render" not in caplog.text


def _stale_case(case_id: int):
    """A real version check that matches no row: the version moves on underneath the loaded case."""
    case = db().get(Case, case_id)
    db().connection().execute(text("UPDATE cases SET version = version + 1 WHERE id = :id"), {"id": case_id})
    case.custody_suite = "Peterlee"
    return case


def _stale_data(case_id: int) -> None:
    _stale_case(case_id)
    db().flush()


def _unique_clash(case_id: int) -> None:
    db().add(Team(name=db().get(Case, case_id).team.name, area="Area"))
    db().flush()


def _stale_record(case_id: int) -> None:
    case = _stale_case(case_id)
    flush_or_stale(db(), stale_message(f"case {case.reference}"), case_id=case.id)


@pytest.mark.parametrize("lost_race", [_stale_data, _unique_clash, _stale_record], ids=lambda f: f.__name__[1:])
def test_a_lost_race_outside_attempt_is_the_409_page(app, client, session, case_and_user, lost_race):
    case, navigator = case_and_user
    audit.record(session, actor=navigator, action="case.note_added", now=NOW, case_id=case.id, team_id=case.team_id)
    session.commit()
    _add_route(app, "/test/lost-race", lambda: lost_race(case.id))
    response = client.post("/test/lost-race", data={"csrf_token": csrf_token(client, "/cases/")})
    assert response.status_code == 409
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text() == "Someone else changed this"
    assert page.title.get_text().startswith("Someone else changed this")
    body = page.select_one("main").get_text(" ", strip=True)
    assert "Someone else changed" in body and "Check the latest details and try again." in body
    if lost_race is _stale_record:  # the refusal knows the case, so the page says who changed it last
        assert f"case {case.reference}" in body and f"made by {navigator.full_name}" in body
