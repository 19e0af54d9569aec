"""The evaluators' export pages (issue 12): making a key, asking for an export, the ZIP a spreadsheet
opens with its dictionary, the data dictionary on the page, errors by their fields with nothing
typed lost, and who is refused. The columns themselves are tested in the service's tests."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, EvaluatorExportKey
from casework.services import evaluator_export_keys
from casework.services.evaluator_columns import COLUMNS
from tests.conftest import NOW, csrf_token, hidden_fields, make_case, make_user, sign_in_quickly

PAGE = "/reports/evaluator-export/"
NEW_KEY = "/reports/evaluator-export/keys/new"
IN_RANGE = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)


@pytest.fixture
def cases(session, team, other_team):
    """Three cases opened in October in our team, one in the other team's."""
    for _ in range(3):
        make_case(session, team=team, state=CaseState.ACTIVE, opened_at=IN_RANGE)
    make_case(session, team=other_team, state=CaseState.ACTIVE, opened_at=IN_RANGE)
    session.flush()


@pytest.fixture
def key(session, team):
    maker = make_user(session, roles=[Role.PERFORMANCE_LEAD], team=team)
    return evaluator_export_keys.create_key(session, actor=maker, name="Checkpoint evaluation", now=NOW)


def _signed_in(client, session, role, team):
    user = make_user(session, roles=[role], team=team)
    sign_in_quickly(client, session, user)
    return user


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _soup_text(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _error(response, field: str) -> str:
    message = _soup(response).select_one(f"#{field}-error")
    return message.get_text(" ", strip=True).removeprefix("Error:").strip() if message else ""


def _asking(client, export_key, **overrides):
    return {
        "csrf_token": csrf_token(client, PAGE),
        "first_day": "1/10/2026",
        "last_day": "31/10/2026",
        "team": "",
        "key": str(export_key.id),
        "recipient": "University of Cambridge",
        "purpose": "Checkpoint 24-month follow-up",
    } | overrides


def test_a_supervisor_downloads_their_teams_export_and_it_is_recorded(client, session, team, cases, key):
    supervisor = _signed_in(client, session, Role.SUPERVISOR, team)
    response = client.post(PAGE, data=_asking(client, key, team=str(team.id)))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="evaluator-export-checkpoint-')
    assert response.headers["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        cases_csv = archive.read("cases.csv").decode("utf-8-sig")
        dictionary = archive.read("data_dictionary.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(cases_csv)))
    assert len(rows) == 3 and {row["team"] for row in rows} == {"Durham test team"}
    assert len(list(csv.DictReader(io.StringIO(dictionary)))) == len(COLUMNS)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evaluator_export.downloaded")).one()
    assert event.actor_id == supervisor.id
    assert (event.detail["recipient"], event.detail["purpose"], event.detail["rows"]) == (
        "University of Cambridge",
        "Checkpoint 24-month follow-up",
        3,
    )


def test_a_performance_lead_exports_every_team(client, session, other_team, cases, key):
    _signed_in(client, session, Role.PERFORMANCE_LEAD, other_team)
    response = client.post(PAGE, data=_asking(client, key, team="all"))
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert "Rows (cases): 4" in archive.read("README.txt").decode()


def test_the_page_shows_the_data_dictionary_and_the_keys_but_never_a_secret(client, session, team, key):
    _signed_in(client, session, Role.SUPERVISOR, team)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    dictionary = _soup(page).select_one('[aria-label="Data dictionary"] table')
    assert [row.th.get_text(strip=True) for row in dictionary.select("tbody tr")] == [c.name for c in COLUMNS]
    assert "Checkpoint evaluation" in html and key.secret not in html
    assert _soup(page).select_one("#first_day")["value"] == "01/12/2025"  # twelve months to 24 November 2026


def test_every_missing_detail_is_shown_by_its_field_and_what_was_typed_stays(client, session, team, key):
    _signed_in(client, session, Role.SUPERVISOR, team)
    response = client.post(
        PAGE, data=_asking(client, key, first_day="31/2/2026", key="", purpose="", recipient="Durham University")
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert _error(response, "first_day") == "The first day of the range must be a real date, for example 1/4/2026"
    assert _error(response, "key") == "Select an export key"
    assert _error(response, "purpose") == "Enter what the export is for"
    page = _soup(response)
    assert page.select_one("#first_day")["value"] == "31/2/2026"
    assert page.select_one("#recipient")["value"] == "Durham University"
    assert page.select_one(".govuk-error-summary")
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "evaluator_export.downloaded")).all() == []


def test_a_range_the_reports_refuse_is_shown_by_its_field(client, session, team, key):
    _signed_in(client, session, Role.SUPERVISOR, team)
    response = client.post(PAGE, data=_asking(client, key, first_day="1/11/2026", last_day="1/10/2026"))
    assert _error(response, "last_day") == "The end date must be the same as or after the start date"
    assert _soup(response).select_one("#recipient")["value"] == "University of Cambridge"


def test_a_post_without_its_csrf_token_is_refused(client, session, team, key):
    _signed_in(client, session, Role.SUPERVISOR, team)
    data = _asking(client, key)
    del data["csrf_token"]
    assert client.post(PAGE, data=data).status_code == 400


def test_another_teams_supervisor_is_told_the_team_does_not_exist(client, session, team, other_team, cases, key):
    _signed_in(client, session, Role.SUPERVISOR, other_team)
    assert client.post(PAGE, data=_asking(client, key, team=str(team.id))).status_code == 404
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "evaluator_export.downloaded")).all() == []


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.ADMINISTRATOR, Role.CUSTODY_SERGEANT])
def test_roles_without_the_export_are_refused(client, session, team, key, role):
    _signed_in(client, session, role, team)
    assert client.get(PAGE).status_code == 403
    assert client.get(NEW_KEY).status_code == 403
    home = client.get("/", follow_redirects=True).get_data(as_text=True)  # the sign-out form's token
    token = _soup_text(home).select_one("input[name=csrf_token]")["value"]
    assert client.post(PAGE, data={"csrf_token": token, "key": str(key.id)}).status_code == 403
    assert client.post(NEW_KEY, data={"csrf_token": token, "name": "Mine"}).status_code == 403


def test_a_key_is_made_from_its_page_and_named_in_the_audit_trail(client, session, team):
    _signed_in(client, session, Role.SUPERVISOR, team)
    response = client.post(NEW_KEY, data=hidden_fields(client, NEW_KEY) | {"name": "Durham University 2027"})
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    made = session.scalars(select(EvaluatorExportKey)).one()
    assert made.name == "Durham University 2027" and len(made.secret) == 64
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evaluator_export_key.created")).one()
    assert event.detail == {"key": "Durham University 2027"}
    page = client.get(PAGE).get_data(as_text=True)
    assert "Durham University 2027" in page and made.secret not in page


def test_a_key_needs_a_name_of_its_own(client, session, team, key):
    _signed_in(client, session, Role.SUPERVISOR, team)
    empty = client.post(NEW_KEY, data=hidden_fields(client, NEW_KEY) | {"name": ""})
    assert _error(empty, "name") == "Enter a name for the export key, such as the evaluation it is for"
    taken = client.post(NEW_KEY, data=hidden_fields(client, NEW_KEY) | {"name": "checkpoint evaluation"})
    assert _error(taken, "name") == "There is already an export key with that name: choose another"
    assert _soup(taken).select_one("#name")["value"] == "checkpoint evaluation"
