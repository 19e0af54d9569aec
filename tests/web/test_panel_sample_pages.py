"""Scrutiny panel sample pages: who may reach them, a draw from the form, a case as the panel reads it
(nothing that identifies the person), and a rating with a field error that keeps what was typed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import PanelSample
from casework.services import panel_samples
from tests.conftest import NOW, hidden_fields, make_case, make_person, make_user, sign_in_quickly

IN_RANGE = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)
INDEX = "/reports/panel-samples/"


@pytest.fixture
def closed(session, team):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    person = make_person(
        session,
        creator=sergeant,
        given_names="Tamsin",
        family_name="Blackwood",
        date_of_birth=date(1990, 7, 14),
        pnc_id="19/0012345Z",
    )
    return make_case(
        session,
        team=team,
        state=CaseState.COMPLETED,
        person=person,
        closed_at=IN_RANGE,
        override_rationale="Tamsin Blackwood admitted it later.",
        overridden_by_id=sergeant.id,
    )


def _sample(session, actor, team_id):
    return panel_samples.draw(
        session,
        actor=actor,
        first_day=date(2026, 10, 1),
        last_day=date(2026, 10, 31),
        team_id=team_id,
        size=5,
        seed=11,
        now=NOW,
    )


def _signed_in(client, session, role, team):
    user = make_user(session, roles=[role], team=team)
    sign_in_quickly(client, session, user)
    return user


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.ADMINISTRATOR])
def test_navigators_and_administrators_are_refused(client, session, team, closed, role):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    sample = _sample(session, supervisor, team.id)
    _signed_in(client, session, role, team)
    for path in (INDEX, f"{INDEX}{sample.id}", f"{INDEX}{sample.id}/cases/1"):
        assert client.get(path).status_code == 403, path


def test_another_teams_supervisor_finds_no_such_sample(client, session, team, other_team, closed):
    sample = _sample(session, make_user(session, roles=[Role.SUPERVISOR], team=team), team.id)
    _signed_in(client, session, Role.SUPERVISOR, other_team)
    assert client.get(f"{INDEX}{sample.id}").status_code == 404
    assert client.get(f"{INDEX}{sample.id}/cases/1").status_code == 404
    assert "No samples have been drawn yet." in client.get(INDEX).get_data(as_text=True)


def test_a_supervisor_draws_a_sample_from_the_form(client, session, team, closed):
    _signed_in(client, session, Role.SUPERVISOR, team)
    sent = hidden_fields(client, INDEX) | {
        "first_day": "1/10/2026",
        "last_day": "31/10/2026",
        "team": str(team.id),
        "size": "20",
        "seed": "31337",
    }
    response = client.post(INDEX, data=sent)
    assert response.status_code == 302
    sample = session.query(PanelSample).one()
    assert (sample.seed, sample.drawn_count, sample.team_id) == (31337, 1, team.id)
    page = BeautifulSoup(client.get(response.headers["Location"]).get_data(as_text=True), "html.parser")
    assert page.select_one("#seed").get_text(strip=True) == "31337"
    assert [a.get_text(strip=True) for a in page.select("tbody a")] == ["Case 1"]
    assert "Not rated" in page.get_text()


def test_a_draw_error_is_shown_by_its_field_keeping_what_was_typed(client, session, team, closed):
    _signed_in(client, session, Role.SUPERVISOR, team)
    sent = hidden_fields(client, INDEX) | {
        "first_day": "1/10/2026",
        "last_day": "31/10/2026",
        "team": str(team.id),
        "size": "500",
        "seed": "8",
    }
    response = client.post(INDEX, data=sent)
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "The number of cases must be 50 or less" in page.select_one("#size-error").get_text()
    assert page.select_one("input[name=size]")["value"] == "500"
    assert page.select_one("input[name=seed]")["value"] == "8"
    assert page.select_one(".govuk-error-summary")
    assert session.query(PanelSample).count() == 0


def test_the_case_page_shows_nothing_that_identifies_the_person(client, session, team, closed):
    supervisor = _signed_in(client, session, Role.SUPERVISOR, team)
    sample = _sample(session, supervisor, team.id)
    html = client.get(f"{INDEX}{sample.id}/cases/1").get_data(as_text=True)
    assert "Case 1" in html and "admitted it later" in html
    for identifying in (
        "Tamsin",
        "Blackwood",
        closed.reference,
        closed.crime_reference,
        "19/0012345Z",
        "1990",
        "14 July",
        "14/07",
        closed.person.postcode,
        closed.person.address_line_1,
    ):
        assert identifying not in html, identifying


def test_a_rating_error_keeps_what_was_typed_then_the_rating_is_recorded(client, session, team, closed):
    supervisor = _signed_in(client, session, Role.SUPERVISOR, team)
    sample = _sample(session, supervisor, team.id)
    path = f"{INDEX}{sample.id}/cases/1"
    sent = hidden_fields(client, path) | {"rating": "inappropriate", "comments": "", "panel_member": "Magistrate A"}
    response = client.post(path, data=sent)
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Write the panel's comments" in page.select_one("#comments-error").get_text()
    assert page.select_one("input[name=panel_member]")["value"] == "Magistrate A"
    assert page.select_one("input[name=rating][value=inappropriate]").has_attr("checked")
    sent = hidden_fields(client, path) | {
        "rating": "inappropriate",
        "comments": "No rationale for the override.",
        "panel_member": "Magistrate A",
    }
    assert client.post(path, data=sent).status_code == 302
    listing = client.get(f"{INDEX}{sample.id}").get_data(as_text=True)
    assert "Inappropriate" in listing and "Not rated" not in listing
    shown = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    assert "No rationale for the override." in shown.select_one("#rating").get_text()
    assert not shown.select("form textarea")
