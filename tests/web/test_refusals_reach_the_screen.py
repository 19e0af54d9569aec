"""A service's refusal always reaches the screen: by its field when the form has it, in the error
summary when it does not, on pages with several forms too, and never as a 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from casework.domain.clock import local
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition
from casework.domain.roles import Role
from casework.web.submission import attempt
from tests.conftest import NOW, csrf_token, make_case, make_user, sign_in_quickly
from tests.web.test_custody_journey import _answer_everything, _create_person, _custody_details, _post, _sergeant


class _NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Name")
    version = HiddenField()


def _refused(app, error: Exception) -> _NameForm:
    def refuse():
        raise error

    with app.test_request_context():
        form = _NameForm()
        assert attempt(form, refuse, refusal_field="version") is False
        return form


def test_a_message_for_a_field_the_form_lacks_goes_to_the_summary(app):
    form = _refused(app, FieldError("arrested_at", "The arrest must be in the past"))
    assert form.form_errors == ["The arrest must be in the past"] and not form.name.errors


def test_a_refusal_for_the_hidden_version_goes_to_the_summary_and_several_fields_are_all_shown(app):
    assert _refused(app, IllegalTransition("This case is closed")).form_errors == ["This case is closed"]
    form = _refused(app, FieldErrors([FieldError("name", "Enter a name"), FieldError("colour", "Pick a colour")]))
    assert form.name.errors == ["Enter a name"] and form.form_errors == ["Pick a colour"]


def _summary(response) -> tuple[str, list[str]]:
    soup = BeautifulSoup(response.text, "html.parser")
    summary = soup.select_one(".govuk-error-summary")
    items = [item.get_text(" ", strip=True) for item in summary.select("li")] if summary else []
    return soup.title.get_text(), items


@pytest.fixture
def case_id(client, session, team) -> int:
    _sergeant(client, session, team)
    created = _create_person(client)
    return int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))


def test_a_future_arrest_time_is_shown_by_the_arrest_date_not_a_500(client, case_id):
    tomorrow = local(NOW + timedelta(days=1)).strftime("%d/%m/%Y")
    response = _custody_details(client, case_id, arrest_date=tomorrow, offence_first_on=tomorrow)
    assert response.status_code == 200
    title, items = _summary(response)
    assert title.startswith("Error:") and "Arrest date and time must be in the past" in items
    assert BeautifulSoup(response.text, "html.parser").select_one("#arrest_date-error") is not None


def test_consent_and_appointment_refusals_are_shown_by_their_fields(client, case_id):
    assert _custody_details(client, case_id).status_code == 302
    _answer_everything(client, case_id)
    now = local(NOW)
    response = _post(
        client,
        f"/custody/cases/{case_id}/offer/accepted",
        {
            "consent_date": now.strftime("%d/%m/%Y"),
            "consent_time": (now + timedelta(hours=1)).strftime("%H:%M"),
            "witnessed_by": "PC 4521 Hall",
            "solicitor_present": "no",
            "interpreter_present": "no",
            "appropriate_adult_present": "no",
            "appointment_date": (now + timedelta(days=1)).strftime("%d/%m/%Y"),
            "appointment_time": "10am",
            "appointment_place": "Navigator office",
        },
    )
    assert response.status_code == 200
    assert BeautifulSoup(response.text, "html.parser").select_one("#consent_date-error") is not None


def test_a_form_not_called_form_still_gets_the_summary_and_the_error_title(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    response = client.post(
        f"/cases/{case.id}/notes", data={"csrf_token": csrf_token(client, f"/cases/{case.id}"), "body": "  "}
    )
    title, items = _summary(response)
    assert title.startswith("Error:") and items == ["Enter the note"]
