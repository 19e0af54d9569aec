"""What a person sees when a request carries what no one types: a record number beyond the
database's range, a NUL character, a date in year 9999. A page not found or an error by the field,
never a server error (tests/web/test_hostile_requests.py walks every route with these)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import wtforms
from bs4 import BeautifulSoup
from sqlalchemy import func, select

import casework.web.forms
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, CaseNote
from casework.web.forms import base
from casework.web.forms.base import Form
from tests.conftest import hidden_fields, make_case, make_user, sign_in_quickly

HIDDEN = "The text must not contain hidden characters. Type it again rather than pasting it"


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _error(response, field: str) -> str:
    message = _soup(response).select_one(f"#{field}-error")
    return message.get_text(" ", strip=True).removeprefix("Error:").strip() if message else ""


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", "99999999999999999999"])
def test_a_record_number_beyond_the_databases_range_is_page_not_found(client, session, navigator, number):
    sign_in_quickly(client, session, navigator)
    for path in (f"/cases/{number}", f"/cases/{number}/check-ins", f"/cases/1/check-ins/{number}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert _soup(response).h1.get_text(strip=True) == "Page not found"


def test_a_nul_in_a_case_note_is_an_error_by_the_field_and_saves_nothing(client, session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    form = hidden_fields(client, f"/cases/{case.id}/notes", "/notes")
    response = client.post(f"/cases/{case.id}/notes", data={**form, "body": "Met at the hub\x00 today"})
    assert response.status_code == 400
    assert _error(response, "body") == HIDDEN
    assert HIDDEN in _soup(response).select_one(".govuk-error-summary").get_text()
    # What was typed is kept, without the character that cannot be stored.
    assert _soup(response).select_one("textarea#body").get_text() == "Met at the hub today"
    assert session.scalar(select(func.count()).select_from(CaseNote).where(CaseNote.case_id == case.id)) == 0


def test_a_nul_in_the_sign_in_username_is_an_error_by_the_field(client, session, navigator):
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    page = client.get("/sign-in")
    token = _soup(page).select_one("input[name=csrf_token]")["value"]
    response = client.post(
        "/sign-in", data={"csrf_token": token, "username": f"{navigator.username}\x00", "passphrase": "anything"}
    )
    assert response.status_code < 500
    assert _error(response, "username") == HIDDEN
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before  # no attempt was made


def test_a_nul_in_a_search_finds_what_the_rest_of_the_text_finds(client, session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    response = client.get("/cases/", query_string={"search": f"{case.reference}\x00", "tab": "team"})
    assert response.status_code == 200
    assert case.reference in response.text


def test_a_far_future_date_in_the_audit_filter_is_an_error_by_the_field(client, session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    response = client.get("/audit/", query_string={"date_to": "31/12/9999"})
    assert response.status_code == 200
    assert _error(response, "date_to") == "Enter a real date to search to, for example 30/11/2026"
    assert _soup(response).select_one("input#date_to")["value"] == "31/12/9999"


def test_every_form_is_built_on_the_base_form_that_refuses_nul_characters():
    modules = [
        importlib.import_module(f"casework.web.forms.{info.name}")
        for info in pkgutil.iter_modules(casework.web.forms.__path__)
    ]
    forms = [
        value
        for module in modules
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, wtforms.Form) and value.__module__ == module.__name__
    ]
    assert len(forms) > 30
    assert [form.__name__ for form in forms if not issubclass(form, Form)] == []
    # Forms built inside a function (a scheme version's, a checklist section's) too.
    built_elsewhere = [m.__name__ for m in modules if m is not base and "(FlaskForm)" in inspect.getsource(m)]
    assert built_elsewhere == []
