"""An empty or half-filled form reports every bad field at once, each with its own message in the
error summary, instead of one problem per attempt."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from casework.domain.clock import local
from tests.conftest import NOW, sign_in_quickly
from tests.web import test_custody_journey as journey
from tests.web.forms_world import World, build, post_empty, soup, summary


@pytest.fixture
def world(session, team) -> World:
    return build(session, team)


def _client(app, session, user):
    client = app.test_client()
    sign_in_quickly(client, session, user)
    return client


YES_NO_PRESENT = {
    "solicitor_present": "Select whether a solicitor was present",
    "interpreter_present": "Select whether an interpreter was present",
    "appropriate_adult_present": "Select whether an appropriate adult was present",
}


def test_an_empty_person_form_names_every_missing_answer(app, session, world):
    """English is already chosen as the preferred language when the page opens."""
    response = post_empty(_client(app, session, world.sergeant), "/custody/people/new")
    assert summary(response) == {
        "given_names": "Enter the person's first name",
        "family_name": "Enter the person's last name",
        "date_of_birth": "Enter the person's date of birth",
        "address_line_1": "Enter the first line of the address",
        "town": "Enter the town or city",
        "postcode": "Enter the postcode",
        "interpreter_needed": "Select whether an interpreter is needed",
        "appropriate_adult_needed": "Select whether an appropriate adult is needed",
        "ethnicity": "Select the person's self-defined ethnicity, or 'Not stated'",
        "sex": "Select the person's sex",
        "disability": "Select an answer about disability",
    }
    assert soup(response).title.get_text().startswith("Error:")


def test_a_needed_interpreters_language_is_reported_with_the_other_problems(app, session, world):
    response = post_empty(
        _client(app, session, world.sergeant), "/custody/people/new", interpreter_needed="yes", given_names="Casey"
    )
    errors = summary(response)
    assert errors["interpreter_language"] == "Enter the language the interpreter must speak"
    assert errors["family_name"] == "Enter the person's last name" and "given_names" not in errors
    assert soup(response).select_one("input#given_names")["value"] == "Casey"


def test_empty_custody_details_name_every_missing_answer(app, session, world):
    path = f"/custody/cases/{world.draft.id}/custody-details"
    assert summary(post_empty(_client(app, session, world.sergeant), path)) == {
        "custody_suite": "Enter the custody suite",
        "crime_reference": "Enter the crime reference",
        "custody_record_number": "Enter the custody record number",
        "arrest_date": "Enter the date of arrest",
        "arrest_time": "Enter the time of arrest",
        "offence_first_on": "Enter the date of the offence",
        "offence_place": "Enter where the offence happened",
        "offence_description": "Describe what happened in a sentence or two",
        "offence_codes": "Select at least one offence",
    }


def test_an_empty_consent_form_names_every_missing_answer(app, session, world):
    path = f"/custody/cases/{world.draft.id}/offer/accepted"
    assert summary(post_empty(_client(app, session, world.sergeant), path)) == {
        "consent_date": "Enter the date of consent",
        "consent_time": "Enter the time of consent",
        "witnessed_by": "Enter who witnessed the consent",
        **YES_NO_PRESENT,
        "appointment_date": "Enter the date of the first appointment",
        "appointment_time": "Enter the time of the first appointment",
        "appointment_place": "Enter where the first appointment will be",
    }


def test_an_empty_first_contact_form_names_every_missing_answer(app, session, world):
    path = f"/cases/{world.referred.id}/first-contact"
    assert summary(post_empty(_client(app, session, world.navigator), path)) == {
        "contact_date": "Enter the date of first contact",
        "contact_time": "Enter the time of first contact",
        "method": "Select how you made contact",
    }


def test_an_empty_condition_names_every_missing_answer_and_what_its_kind_needs(app, session, world):
    client = _client(app, session, world.navigator)
    path = f"/cases/{world.drafting.id}/contract/"
    empty = post_empty(client, path, action="/conditions")
    assert summary(empty) == {
        "type": "Select the kind of condition",
        "wording": "Write what the person must do",
        "rule": "Select how completion is checked",
    }
    pathway = post_empty(client, path, action="/conditions", type="pathway", rule="sessions")
    assert summary(pathway) == {
        "wording": "Write what the person must do",
        "partner_service_id": "A pathway condition must name a partner service",
        "target": "Enter how many sessions or hours",
        "due_on": "Enter the date it must be done by",
    }


def test_an_empty_signing_form_names_every_missing_answer(app, session, world):
    client = _client(app, session, world.navigator)
    path = f"/cases/{world.drafting.id}/contract/sign"
    assert summary(post_empty(client, path)) == {
        "signed_date": "Enter the date it was signed",
        "signed_time": "Enter the time it was signed",
        "place": "Enter where the contract was signed",
        "language": "Select the language the contract was explained in",
        "interpreter_present": "Select whether an interpreter was present",
        "appropriate_adult_present": "Select whether an appropriate adult was present",
        "solicitor_present": "Select whether a solicitor was present",
        "person_signature": "Select how the person signed",
        "copy_given": "Select how the person was given their copy",
    }
    typed = summary(post_empty(client, path, person_signature="typed_name"))
    assert typed["signature_name"] == "The person must type their name to sign on screen"
    assert typed["place"] == "Enter where the contract was signed"


def test_an_empty_referral_names_every_missing_answer_including_consent(app, session, world):
    path = f"/cases/{world.drafting.id}/referrals/new"
    assert summary(post_empty(_client(app, session, world.navigator), path)) == {
        "service_id": "Select a service",
        "need_domain": "Select the need the referral is for",
        "sent_on": "Enter the date the referral was sent",
        "method": "Select how the referral was sent",
        "data_shared": "Select the information shared with the partner",
        "consent_recorded": "A referral can only be sent with the person's consent",
    }


def test_a_refusal_about_the_arrest_time_is_shown_by_the_arrest_date_not_as_a_server_error(app, session, world):
    tomorrow = local(NOW + timedelta(days=1)).strftime("%d/%m/%Y")
    response = post_empty(
        _client(app, session, world.sergeant),
        f"/custody/cases/{world.draft.id}/custody-details",
        custody_suite="Durham",
        crime_reference="DC/1",
        custody_record_number="CR/1",
        arrest_date=tomorrow,
        arrest_time="9am",
        offence_first_on=local(NOW).strftime("%d/%m/%Y"),
        offence_place="Market Place, Durham",
        offence_description="Pushed a man to the ground outside a bar.",
        offence_codes=["ASSAULT-COMMON"],
    )
    assert response.status_code == 200
    assert summary(response) == {"arrest_date": "Arrest date and time must be in the past"}


def test_a_refusal_about_the_consent_time_is_shown_by_the_consent_date_not_as_a_server_error(app, session, world):
    sergeant = _client(app, session, world.sergeant)
    created = journey._create_person(sergeant)
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    journey._custody_details(sergeant, case_id)
    journey._answer_everything(sergeant, case_id)
    tomorrow = local(NOW + timedelta(days=1)).strftime("%d/%m/%Y")
    response = post_empty(
        sergeant,
        f"/custody/cases/{case_id}/offer/accepted",
        consent_date=tomorrow,
        consent_time="9am",
        witnessed_by="PC 4521 Hall",
        solicitor_present="no",
        interpreter_present="no",
        appropriate_adult_present="no",
        appointment_date=tomorrow,
        appointment_time="10am",
        appointment_place="Navigator office",
    )
    assert response.status_code == 200
    assert summary(response) == {"consent_date": "Consent date and time must be in the past"}
