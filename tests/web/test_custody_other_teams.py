"""The custody desk searches the whole force, but another team's people and cases are shown with
only what avoids a duplicate: never their date of birth, address, case reference or state."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.roles import Role
from casework.models import Case
from tests.conftest import make_case, make_person, make_user, sign_in_quickly


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _field_error(response) -> str:
    tag = _soup(response).select_one("#q-error")
    return tag.get_text(" ", strip=True).removeprefix("Error:").strip() if tag else ""


@pytest.fixture
def sergeant(client, session, team):
    user = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    sign_in_quickly(client, session, user)
    return user


@pytest.fixture
def stranger(session, other_team):
    """Someone known only to the other team, with a case open there."""
    other_team.phone, other_team.email = "0132 555 0199", "darlington.dp@example.org"
    other_sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=other_team)
    person = make_person(session, creator=other_sergeant, family_name="Rowe", date_of_birth=date(1990, 3, 27))
    person.postcode = "DL1 5QT"
    make_case(session, team=other_team, person=person, opened_by=other_sergeant)
    session.commit()
    return person


@pytest.mark.parametrize("typed", ["%", "_", "%25", "ab", "r%"])
def test_a_search_that_could_list_anyone_gets_a_field_error_and_lists_nobody(client, session, sergeant, typed):
    for number in range(3):
        make_person(session, creator=sergeant, family_name=f"Rowe{number}").postcode = f"DH{number} 1AA"
    session.commit()
    page = client.get("/custody/people", query_string={"q": typed})
    assert page.status_code == 200
    assert "at least 3 letters" in _field_error(page)
    assert "at least 3 letters" in _soup(page).select_one(".govuk-error-summary").get_text()
    assert _soup(page).select_one("#q")["value"] == typed  # what was typed is kept
    assert not any(f"DH{number} 1AA" in page.text for number in range(3))
    assert not _soup(page).select(".govuk-summary-card")


def test_a_percent_sign_finds_only_a_name_that_has_one(client, session, sergeant):
    make_person(session, creator=sergeant, family_name="Rowe")
    make_person(session, creator=sergeant, given_names="Per", family_name="Row%an")
    session.commit()
    page = client.get("/custody/people", query_string={"q": "row%"})
    cards = [card.h3.get_text(strip=True) for card in _soup(page).select(".govuk-summary-card")]
    assert cards == ["Per Row%an"]


def test_another_teams_person_is_listed_with_the_name_year_and_team_only(client, sergeant, stranger, other_team):
    page = client.get("/custody/people", query_string={"q": "Rowe"})
    card = _soup(page).select_one(".govuk-summary-card")
    text = card.get_text(" ", strip=True)
    assert stranger.full_name in text and "Born in 1990" in text and f"Known to {other_team.name}" in text
    for detail in ("DL1 5QT", "27 March 1990", "27/03/1990", stranger.town, stranger.address_line_1):
        assert detail not in page.text
    links = [a["href"] for a in card.select("a[href]")]
    assert not any(f"/{stranger.id}" in href for href in links)  # nothing leads into their record


def test_a_duplicate_at_the_new_person_form_hides_the_other_teams_details(client, sergeant, stranger, other_team):
    page = client.get("/custody/people/new")
    token = _soup(page).select_one("input[name=csrf_token]")["value"]
    submission = _soup(page).select_one("input[name=submission_token]")["value"]
    warned = client.post(
        "/custody/people/new",
        data={
            "csrf_token": token,
            "submission_token": submission,
            "given_names": "Casey",
            "family_name": "Rowe",
            "date_of_birth": "27/3/1990",
            "pnc_id": "",
            "address_line_1": "1 High Street",
            "address_line_2": "",
            "town": "Durham",
            "postcode": "DH1 3HP",
            "phone": "",
            "email": "",
            "preferred_language": "en",
            "interpreter_needed": "no",
            "interpreter_language": "",
            "appropriate_adult_needed": "no",
            "ethnicity": "white_british",
            "sex": "female",
            "disability": "not_stated",
        },
    )
    banner = _soup(warned).select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert stranger.full_name in banner and f"Known to {other_team.name}" in banner
    assert "DL1 5QT" not in warned.text and stranger.town not in banner


def test_opening_a_case_for_someone_with_another_teams_open_case_names_only_whom_to_contact(
    client, session, sergeant, stranger, other_team
):
    [theirs] = session.scalars(select(Case).where(Case.person_id == stranger.id)).all()
    found = _soup(client.get("/custody/people", query_string={"q": "Rowe"})).select_one("form[action$='/cases']")
    sent = {field["name"]: field.get("value", "") for field in found.select("input[type=hidden]")}
    warned = client.post(f"/custody/people/{stranger.id}/cases", data=sent)
    assert warned.status_code == 409
    text = _soup(warned).select_one("main").get_text(" ", strip=True)
    assert (
        f"This person already has an open deferred prosecution case with another team. "
        f"Contact {other_team.name} before opening a case." in text
    )
    assert "0132 555 0199" in text and "darlington.dp@example.org" in text
    assert theirs.reference not in warned.text and theirs.case_state.label not in text


def test_the_own_teams_open_case_is_named_in_full(client, session, sergeant, team):
    person = make_person(session, creator=sergeant, family_name="Rowe")
    ours = make_case(session, team=team, person=person, opened_by=sergeant)
    session.commit()
    found = _soup(client.get("/custody/people", query_string={"q": "Rowe"})).select_one("form[action$='/cases']")
    sent = {field["name"]: field.get("value", "") for field in found.select("input[type=hidden]")}
    warned = client.post(f"/custody/people/{person.id}/cases", data=sent)
    assert warned.status_code == 409
    assert ours.reference in warned.text and ours.case_state.label in warned.text
    assert "with another team" not in warned.text
