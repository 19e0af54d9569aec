"""The custody sergeant's journey through the real pages, from find-or-create to a referred case."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.clock import local
from casework.domain.gate_questions import SECTIONS
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Case, Person, PersonMonitoring
from tests.conftest import NOW, make_person, make_user, sign_in_quickly
from tests.domain.test_gate import ANSWERS
from tests.form_posts import as_shown

ELIGIBLE_ANSWERS = ANSWERS  # the same eligible set the checklist rules are tested with


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _post(client, path: str, data: dict):
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    soup = _soup(page)
    form = {k: v for form in soup.select("form[method=post]") for k, v in as_shown(form).items()}
    return client.post(path, data={**form, **data})


def _hidden(form) -> dict[str, str]:
    return {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}


def _errors(response) -> dict[str, str]:
    soup = _soup(response)
    return {
        tag["id"].removesuffix("-error"): tag.get_text(" ", strip=True).removeprefix("Error:").strip()
        for tag in soup.select(".govuk-error-message")
    }


def _create_person(client, **overrides):
    data = {
        "given_names": "Casey",
        "family_name": "Rowe",
        "date_of_birth": "27/3/1990",
        "pnc_id": "",
        "address_line_1": "1 High Street",
        "town": "Durham",
        "postcode": "dh1 3hp",
        "preferred_language": "en",
        "interpreter_needed": "no",
        "appropriate_adult_needed": "no",
        "ethnicity": "white_british",
        "sex": "female",
        "disability": "not_stated",
    }
    data.update(overrides)
    return _post(client, "/custody/people/new", data)


def _custody_details(client, case_id: int, **overrides):
    yesterday = local(NOW - timedelta(days=1))
    data = {
        "custody_suite": "Durham",
        "crime_reference": "dc/2611/1",
        "custody_record_number": "cr-1",
        "arrest_date": yesterday.strftime("%d/%m/%Y"),
        "arrest_time": "9pm",
        "offence_first_on": yesterday.strftime("%d/%m/%Y"),
        "offence_place": "Market Place, Durham",
        "offence_description": "Pushed a man to the ground outside a bar.",
        "offence_codes": ["ASSAULT-COMMON"],
    }
    data.update(overrides)
    return _post(client, f"/custody/cases/{case_id}/custody-details", data)


def _answer_everything(client, case_id: int, **changes):
    answers = {**ELIGIBLE_ANSWERS, **changes}
    for section in SECTIONS:
        response = _post(
            client,
            f"/custody/cases/{case_id}/checklist/{section.slug}",
            {q.key: answers[q.key] for q in section.questions},
        )
        assert response.status_code == 302, _errors(response)
    return response


def _sergeant(client, session, team):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    session.commit()
    sign_in_quickly(client, session, sergeant)
    return sergeant


def test_from_a_new_person_to_a_referred_case(client, session, team):
    _sergeant(client, session, team)
    created = _create_person(client)
    assert created.status_code == 302
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    details = _custody_details(client, case_id)
    assert details.status_code == 302, _errors(details)
    assert details.headers["Location"].endswith("/checklist/identity")
    assert _answer_everything(client, case_id).headers["Location"].endswith("/check-answers")

    summary = _soup(client.get(f"/custody/cases/{case_id}/check-answers"))
    assert "Eligible" in summary.select_one(".govuk-panel").get_text()
    tomorrow = local(NOW + timedelta(days=1)).strftime("%d/%m/%Y")
    done = _post(
        client,
        f"/custody/cases/{case_id}/offer/accepted",
        {
            "consent_date": local(NOW).strftime("%d/%m/%Y"),
            "consent_time": local(NOW - timedelta(minutes=2)).strftime("%H:%M"),
            "witnessed_by": "PC 4521 Hall",
            "solicitor_present": "no",
            "interpreter_present": "no",
            "appropriate_adult_present": "no",
            "appointment_date": tomorrow,
            "appointment_time": "10am",
            "appointment_place": "Navigator office, Durham",
        },
    )
    assert done.status_code == 302, _errors(done)
    outcome = _soup(client.get(done.headers["Location"])).get_text(" ")
    assert "Referred" in outcome and "Latest charge date" in outcome

    case = session.get(Case, case_id)
    session.refresh(case)
    assert case.case_state is CaseState.REFERRED and case.latest_charge_on is not None
    person = session.get(Person, case.person_id)
    assert person.postcode == "DH1 3HP"
    assert session.get(PersonMonitoring, person.id).ethnicity == "white_british"


def test_bad_person_details_are_shown_by_the_field_and_kept(client, session, team):
    _sergeant(client, session, team)
    future = local(NOW + timedelta(days=3)).strftime("%d/%m/%Y")
    response = _create_person(client, date_of_birth=future, pnc_id="12345", postcode="nowhere", family_name="")
    errors = _errors(response)
    assert errors["family_name"] == "Enter the person's last name"
    soup = _soup(response)
    assert soup.select_one("input#pnc_id")["value"] == "12345"
    response = _create_person(client, date_of_birth=future)
    assert _errors(response)["date_of_birth"] == "Date of birth must be in the past"
    response = _create_person(client, pnc_id="12345")
    assert _errors(response)["pnc_id"].startswith("Enter a PNC ID in the correct format")


def test_a_likely_duplicate_is_shown_before_a_second_record_is_made(client, session, team):
    sergeant = _sergeant(client, session, team)
    existing = make_person(session, creator=sergeant, family_name="Rowe", date_of_birth=date(1990, 3, 27))
    session.commit()
    warned = _create_person(client)
    assert warned.status_code == 200
    assert "looks like the same person" in warned.text and existing.full_name in warned.text
    assert session.scalar(select(Person).where(Person.given_names == "Casey")) is None
    confirmed = _create_person(client, confirm_new="y")
    assert confirmed.status_code == 302


def test_an_under_18_is_found_ineligible_with_the_reason_and_recorded_as_not_offered(client, session, team):
    _sergeant(client, session, team)
    born = local(NOW).date().replace(year=local(NOW).year - 17)
    created = _create_person(client, date_of_birth=born.strftime("%d/%m/%Y"))
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    _custody_details(client, case_id)
    _answer_everything(client, case_id)
    summary = _soup(client.get(f"/custody/cases/{case_id}/check-answers"))
    assert "E1 UNDER_18" in summary.get_text() and "Aged 17" in summary.get_text()
    assert not summary.find("a", string="The person accepted")
    refused = _post(client, f"/custody/cases/{case_id}/offer/accepted", {})
    assert refused.status_code == 200  # the form re-renders; nothing recorded
    done = _post(
        client, f"/custody/cases/{case_id}/offer/not-offered", {"reason": "ineligible", "alternative_outcome": "charge"}
    )
    assert done.status_code == 302
    case = session.get(Case, case_id)
    session.refresh(case)
    assert case.case_state is CaseState.INELIGIBLE and case.reason_codes == ["UNDER_18"]


def test_an_override_needs_a_rationale_and_is_shown_on_the_case(client, session, team):
    _sergeant(client, session, team)
    created = _create_person(client)
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    _custody_details(client, case_id)
    _answer_everything(client, case_id, has_co_accused="yes")

    def override(rationale: str):
        token = _soup(client.get(f"/custody/cases/{case_id}/check-answers")).select_one("input[name=csrf_token]")
        session.expire_all()
        version = session.get(Case, case_id).version
        return client.post(
            f"/custody/cases/{case_id}/override",
            data={"csrf_token": token["value"], "rationale": rationale, "version": version},
        )

    refused = override("short")
    assert refused.status_code == 400 and "at least 20 characters" in _errors(refused)["rationale"]
    assert override("The co-accused is a relative being dealt with separately.").status_code == 302
    summary = client.get(f"/custody/cases/{case_id}/check-answers").text
    assert "You overrode the checklist" in summary and "The person accepted" in summary


def test_a_double_click_on_consent_records_one_referral(client, session, team):
    _sergeant(client, session, team)
    created = _create_person(client)
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    _custody_details(client, case_id)
    _answer_everything(client, case_id)
    page = _soup(client.get(f"/custody/cases/{case_id}/offer/accepted"))
    form = {field["name"]: field.get("value", "") for field in page.select("input[type=hidden]")}
    now = local(NOW)
    form.update(
        {
            "consent_date": now.strftime("%d/%m/%Y"),
            "consent_time": (now - timedelta(minutes=2)).strftime("%H:%M"),
            "witnessed_by": "PC 1",
            "solicitor_present": "no",
            "interpreter_present": "no",
            "appropriate_adult_present": "no",
            "appointment_date": (now + timedelta(days=1)).strftime("%d/%m/%Y"),
            "appointment_time": "10am",
            "appointment_place": "Office",
        }
    )
    first = client.post(f"/custody/cases/{case_id}/offer/accepted", data=form)
    second = client.post(f"/custody/cases/{case_id}/offer/accepted", data=form)
    assert first.status_code == 302 and second.status_code == 200
    assert "Someone else changed" in second.text
    refers = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == "case.refer"))
    assert len(refers.all()) == 1


def test_a_double_click_on_a_new_person_warns_instead_of_making_two_records(client, session, team):
    _sergeant(client, session, team)
    assert _create_person(client).status_code == 302
    again = _create_person(client)
    assert again.status_code == 200 and "looks like the same person" in again.text
    assert len(session.scalars(select(Person).where(Person.family_name == "Rowe")).all()) == 1


def test_a_second_case_for_someone_with_an_open_case_needs_confirming(client, session, team):
    _sergeant(client, session, team)
    created = _create_person(client)
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    person_id = session.get(Case, case_id).person_id
    found = _soup(client.get("/custody/people?q=Rowe")).select_one("form[action$='/cases']")
    warned = client.post(f"/custody/people/{person_id}/cases", data=_hidden(found))
    assert warned.status_code == 409 and "already has an open case" in warned.text
    opened = client.post(f"/custody/people/{person_id}/cases", data=_hidden(_soup(warned).select_one("main form")))
    assert opened.status_code == 302
    assert len(session.scalars(select(Case).where(Case.person_id == person_id)).all()) == 2
