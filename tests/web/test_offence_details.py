"""Where the offence happened and what happened: captured at custody, shown on the case."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from tests.conftest import make_case, make_user, sign_in_quickly
from tests.web.test_custody_journey import _create_person, _custody_details, _sergeant


def test_the_custody_details_page_asks_where_and_what_happened(client, session, team):
    _sergeant(client, session, team)
    case_id = int(re.search(r"/cases/(\d+)/", _create_person(client).headers["Location"]).group(1))
    refused = BeautifulSoup(
        _custody_details(client, case_id, offence_place="", offence_description="").text, "html.parser"
    )
    assert "Enter where the offence happened" in refused.select_one("#offence_place-error").get_text()
    assert "Describe what happened" in refused.select_one("#offence_description-error").get_text()
    assert refused.title.get_text().startswith("Error:")
    assert _custody_details(client, case_id).status_code == 302


def test_the_case_page_shows_where_and_what_happened(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(
        session,
        team=team,
        state=CaseState.ASSESSMENT,
        navigator_id=navigator.id,
        offence_place="Market Place, Durham",
        offence_description="Pushed a man to the ground outside a bar.",
    )
    session.commit()
    sign_in_quickly(client, session, navigator)
    page = BeautifulSoup(client.get(f"/cases/{case.id}").text, "html.parser")
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    assert rows["Where"] == "Market Place, Durham"
    assert rows["What happened"] == "Pushed a man to the ground outside a bar."
