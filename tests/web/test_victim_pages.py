"""The victim through the pages: the case's Victim section, the details at the offer and later, an
update recorded as given (met or late), the supervisor's list of updates due and the reoffending checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Role
from casework.services import transitions, victims
from tests.conftest import NOW, make_case, make_user, sign_in_quickly
from tests.form_posts import shown_fields
from tests.services.test_victims import details

VICTIM = {
    "views": "supports",
    "views_in_words": "Would rather he got help than went to court.",
    "wants_restorative": "yes",
    "enhanced_ground": "",
    "wants_updates": "yes",
    "contact_method": "phone",
    "contact_name": "Robin Ashby",
    "contact_phone": "07700 900456",
}


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _errors(response) -> dict[str, str]:
    return {
        tag["id"].removesuffix("-error"): tag.get_text(" ", strip=True).removeprefix("Error:").strip()
        for tag in _soup(response).select(".govuk-error-message")
    }


def _summary(response) -> list[str]:
    return [a.get_text(" ", strip=True) for a in _soup(response).select(".govuk-error-summary__list a")]


def _post(client, path: str, data: dict):
    return client.post(path, data={**shown_fields(client, path), **data})


@pytest.fixture
def people(session, team, other_team):
    found = {
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "colleague": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "sergeant": make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team),
        "stranger": make_user(session, roles=[Role.NAVIGATOR], team=other_team),
    }
    session.commit()
    return found


def _active(session, team, navigator, **values):
    case = make_case(session, team=team, state=CaseState.CONTRACT_DRAFT, navigator_id=navigator.id, **values)
    session.commit()
    return case


def test_the_allocated_navigator_records_the_victim_and_a_bad_form_keeps_what_was_typed(client, session, team, people):
    case = _active(session, team, people["navigator"])
    sign_in_quickly(client, session, people["navigator"])
    path = f"/cases/{case.id}/victim/details"
    refused = _post(client, path, {**VICTIM, "views": "not_sought", "contact_method": "email", "contact_phone": ""})
    assert refused.status_code == 200
    assert _errors(refused) == {
        "not_sought_reason": "Say why the victim's views were not sought",
        "contact_email": "Enter an email address for the contact method chosen",
    }
    assert "Say why the victim's views were not sought" in _summary(refused)
    page = _soup(refused)
    assert page.select_one("#contact_name")["value"] == "Robin Ashby"
    assert "Would rather he got help" in page.select_one("#views_in_words").get_text()
    assert page.select_one("input[name=views][value=not_sought]").has_attr("checked")
    saved = _post(client, path, VICTIM)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/cases/{case.id}/victim")
    section = _soup(client.get(f"/cases/{case.id}/victim")).select_one("#victim-record").get_text(" ", strip=True)
    assert "Supports a deferred prosecution" in section and "Asked for" in section and "07700 900456" in section


def test_signing_owes_an_update_which_is_recorded_as_given_late_with_bad_input_kept(client, session, team, people):
    case = _active(session, team, people["navigator"])
    victims.record_later(
        session, actor=people["navigator"], case=case, details=details(), seen_version=0, now=NOW - timedelta(days=9)
    )
    transitions.move(session, case, CaseEvent.SIGN_CONTRACT, actor=people["navigator"], now=NOW - timedelta(days=8))
    session.commit()
    sign_in_quickly(client, session, people["navigator"])
    table = _soup(client.get(f"/cases/{case.id}/victim")).select_one("#victim-updates")
    row = table.select_one("tbody tr").get_text(" ", strip=True)
    assert "The contract has started" in row and "16 November 2026" in row and "23 November 2026" in row
    assert "Overdue" in row
    link = table.select_one("a")["href"]
    refused = _post(client, link, {"given_on": "31/2/2026", "method": "phone", "summary": "Told them."})
    assert _errors(refused) == {"given_on": "Date the update was given must be a real date, for example, 27/3/2026"}
    assert _soup(refused).select_one("#given_on")["value"] == "31/2/2026"
    future = _post(client, link, {"given_on": "25/11/2026", "method": "phone", "summary": "Told them."})
    assert _errors(future) == {"given_on": "The date the update was given must be today or in the past"}
    given = _post(client, link, {"given_on": "24/11/26", "method": "phone", "summary": "Told them it started."})
    assert given.status_code == 302
    row = _soup(client.get(f"/cases/{case.id}/victim")).select_one("#victim-updates tbody tr").get_text(" ", strip=True)
    assert "24 November 2026" in row and "Late" in row and "Told them it started." in row
    timeline = client.get(f"/cases/{case.id}/timeline").text
    assert "Update owed to the victim" in timeline and "Update given to the victim" in timeline
    assert "Told them it started." not in timeline  # what was said stays out of the trail


def test_a_case_with_no_victim_says_no_update_is_owed(client, session, team, people):
    case = _active(session, team, people["navigator"], gate_answers={"victim_view": "no_victim"})
    transitions.move(session, case, CaseEvent.SIGN_CONTRACT, actor=people["navigator"], now=NOW)
    session.commit()
    sign_in_quickly(client, session, people["navigator"])
    page = _soup(client.get(f"/cases/{case.id}/victim"))
    assert "there is no identifiable victim" in page.select_one("#no-victim").get_text()
    assert "No update owed: there is no identifiable victim" in page.select_one("#victim-updates").get_text()
    assert not page.select("#victim-updates a")
    waiting = _soup(client.get(f"/cases/{case.id}/victim/update"))
    assert "No update to the victim is waiting" in waiting.select_one("#nothing-waiting").get_text()


def test_navigators_not_allocated_see_no_victim_details_and_another_team_is_refused(client, session, team, people):
    case = _active(session, team, people["navigator"])
    victims.record_later(session, actor=people["navigator"], case=case, details=details(), seen_version=0, now=NOW)
    session.commit()
    sign_in_quickly(client, session, people["colleague"])
    page = client.get(f"/cases/{case.id}/victim")
    assert page.status_code == 200 and "allocated to this case" in _soup(page).select_one("#refusal").get_text()
    assert "07700" not in page.text and not _soup(page).select("#victim-record")
    form = client.get(f"/cases/{case.id}/victim/details")
    assert "allocated to this case" in form.text and not _soup(form).select("form input[name=contact_name]")
    sign_in_quickly(client, session, people["stranger"])
    for path in (f"/cases/{case.id}/victim", f"/cases/{case.id}/victim/details", f"/cases/{case.id}/victim/update"):
        assert client.get(path).status_code == 404, path


def test_the_sergeant_records_the_victim_at_the_offer_from_the_checklists_views(client, session, team, people):
    case = make_case(
        session,
        team=team,
        state=CaseState.ELIGIBILITY_DRAFT,
        opened_by=people["sergeant"],
        gate_answers={"victim_view": "not_sought"},
    )
    session.commit()
    sign_in_quickly(client, session, people["sergeant"])
    path = f"/custody/cases/{case.id}/victim"
    assert path in client.get(f"/custody/cases/{case.id}/check-answers").text
    page = _soup(client.get(path))
    assert "not sought" in page.select_one("#checklist-views").get_text() and not page.select("input[name=views]")
    fields = {k: v for k, v in VICTIM.items() if k != "views"}
    refused = _post(client, path, {**fields, "wants_updates": ""})
    assert _errors(refused) == {
        "wants_updates": "Select whether the victim wants to be kept updated",
    }
    refused = _post(client, path, fields)
    assert _errors(refused) == {"not_sought_reason": "Say why the victim's views were not sought"}
    saved = _post(client, path, {**fields, "not_sought_reason": "The victim was in hospital overnight."})
    assert saved.status_code == 302
    assert victims.for_case(session, case=case).views == "not_sought"


def test_the_supervisor_sees_updates_due_overdue_first_and_records_a_reoffending_check(client, session, team, people):
    navigator = people["navigator"]
    cases = []
    for signed_days_ago, enhanced in ((1, ""), (10, ""), (0, "most_serious")):
        case = _active(session, team, navigator)
        victims.record_later(
            session, actor=navigator, case=case, details=details(enhanced_ground=enhanced), seen_version=0, now=NOW
        )
        transitions.move(
            session, case, CaseEvent.SIGN_CONTRACT, actor=navigator, now=NOW - timedelta(days=signed_days_ago)
        )
        cases.append(case)
    closed = make_case(
        session,
        team=team,
        state=CaseState.PROSECUTION_DECISION,
        offence_first_on=date(2025, 9, 1),
        offence_last_on=date(2025, 9, 1),
        gate_answers={"victim_view": "no_victim"},
    )
    transitions.move(session, closed, CaseEvent.CLOSE_CHARGED, actor=people["supervisor"], now=NOW)
    session.commit()
    sign_in_quickly(client, session, people["supervisor"])
    home = _soup(client.get("/supervisor")).select_one("#victim-updates-due")
    items = [li.get_text(" ", strip=True) for li in home.select("li")]
    assert [c.reference in item for c, item in zip([cases[1], cases[2], cases[0]], items, strict=True)] == [True] * 3
    assert "Overdue" in items[0] and "Overdue" not in items[1]
    assert client.get("/victim-updates").status_code == 200

    listed = _soup(client.get("/reoffending-follow-ups"))
    link = listed.select_one("#follow-ups-due a")["href"]
    assert closed.reference in listed.select_one("#follow-ups-due").get_text() and "1 more check falls" in listed.text
    refused = _post(client, link, {"result": "not_reoffended", "source": "other", "checked_on": "1/9/2026"})
    assert _errors(refused) == {"source_detail": "Say where the result comes from"}
    assert _soup(refused).select_one("#checked_on")["value"] == "1/9/2026"
    early = _post(client, link, {"result": "not_reoffended", "source": "pnc", "checked_on": "31/8/2026"})
    assert _errors(early) == {
        "checked_on": "The 12-month check is due on 01/09/2026: record a check made on or after that date"
    }
    saved = _post(client, link, {"result": "not_reoffended", "source": "pnc", "checked_on": "24/11/2026"})
    assert saved.status_code == 302
    assert "No reoffending check is due." in client.get("/reoffending-follow-ups").text
    navigator_try = make_user(session, roles=[Role.NAVIGATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, navigator_try)
    assert client.get("/reoffending-follow-ups").status_code == 403
