"""Breaches through the pages: the section and its record links, recording each kind and the
refusals a person sees (with what they typed kept), the live breach banner while a review is open,
the navigator's warning and its letter download, and who is turned away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.breaches import BreachStatus
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Breach, Case
from tests.breaches import TODAY, running_case
from tests.check_ins import make_check_in
from tests.conftest import NOW, make_user, sign_in_quickly
from tests.web.test_custody_journey import _errors, _post

DATE = f"{(TODAY - timedelta(days=2)):%d/%m/%Y}"


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def world(session, team):
    world = running_case(session, team=team)
    session.commit()
    return world


def _as(client, session, user):
    sign_in_quickly(client, session, user)
    return user


def _breaches(session, case_id) -> list[Breach]:
    session.expire_all()
    return session.scalars(select(Breach).where(Breach.case_id == case_id).order_by(Breach.id)).all()


def _state(session, case_id) -> CaseState:
    session.expire_all()
    return session.get(Case, case_id).case_state


def _offence(**overrides) -> dict:
    return {
        "crime_reference": "DC/55501234",
        "occurred_on": DATE,
        "police_action": "suspect",
        "source": "force_system",
        "summary": "Criminal damage to a neighbour's car.",
        **overrides,
    }


def test_the_breaches_section_offers_each_record_form_and_says_when_there_are_none(client, session, world):
    _as(client, session, world.navigator)
    page = _soup(client.get(f"/cases/{world.case.id}/breaches"))
    links = {a.get_text(strip=True): a["href"] for a in page.select(".govuk-button-group a")}
    assert links == {
        "Record a new offence": f"/cases/{world.case.id}/breaches/new-offence",
        "Record a conduct breach": f"/cases/{world.case.id}/breaches/conduct",
        "Record a withdrawal": f"/cases/{world.case.id}/breaches/withdrawal",
    }
    assert page.select_one("#no-breaches") is not None
    nav = [a.get_text(strip=True) for a in page.select(".moj-sub-navigation__link")]
    assert "Breaches" in nav and page.select_one("#live-breach") is None


def test_a_new_offence_recorded_shows_the_live_breach_banner_on_the_case(client, session, world):
    _as(client, session, world.navigator)
    done = _post(client, f"/cases/{world.case.id}/breaches/new-offence", _offence())
    assert done.status_code == 302
    [breach] = _breaches(session, world.case.id)
    assert breach.breach_status is BreachStatus.REVIEW and _state(session, world.case.id) is CaseState.BREACH_REVIEW
    for path in (f"/cases/{world.case.id}", f"/cases/{world.case.id}/check-ins", done.headers["Location"]):
        banner = _soup(client.get(path)).select_one("#live-breach")
        assert banner is not None and "waiting for a supervisor's decision" in banner.get_text(), path
    card = _soup(client.get(done.headers["Location"])).select_one(f"#breach-{breach.id}").get_text(" ", strip=True)
    assert "New offence reported" in card and "DC/55501234" in card and "A new offence" in card


def test_the_banner_goes_once_no_breach_waits_for_review(client, session, world):
    _as(client, session, world.navigator)
    _post(client, f"/cases/{world.case.id}/breaches/new-offence", _offence())
    supervisor_id = world.supervisor.id
    [breach] = _breaches(session, world.case.id)
    breach.status, breach.decision, breach.decision_rationale = "decided", "no_action", "The report was mistaken."
    breach.decided_by_id, breach.decided_at = supervisor_id, NOW
    session.commit()
    assert _soup(client.get(f"/cases/{world.case.id}")).select_one("#live-breach") is None


def test_an_arrest_with_no_further_action_is_refused_by_the_field_keeping_what_was_typed(client, session, world):
    _as(client, session, world.navigator)
    path = f"/cases/{world.case.id}/breaches/new-offence"
    refused = _post(client, path, _offence(police_action="arrested_nfa", crime_reference=""))
    assert refused.status_code == 400
    errors = _errors(refused)
    assert "not a breach" in errors["police_action"]
    assert errors["crime_reference"] == "Enter the crime reference of the new offence"
    page = _soup(refused)
    assert page.select_one("#summary").get_text() == "Criminal damage to a neighbour's car."
    assert page.select_one("#occurred_on")["value"] == DATE
    assert page.select_one(".govuk-error-summary") is not None
    assert _breaches(session, world.case.id) == []


def test_a_date_in_the_future_is_refused_by_the_service_keeping_what_was_typed(client, session, world):
    _as(client, session, world.navigator)
    later = f"{(TODAY + timedelta(days=3)):%d/%m/%Y}"
    refused = _post(client, f"/cases/{world.case.id}/breaches/new-offence", _offence(occurred_on=later))
    assert _errors(refused)["occurred_on"] == "The date must be today or in the past"
    assert _soup(refused).select_one("#crime_reference")["value"] == "DC/55501234"


def test_conduct_names_a_condition_of_the_signed_contract(client, session, world):
    _as(client, session, world.navigator)
    path = f"/cases/{world.case.id}/breaches/conduct"
    page = _soup(client.get(path))
    offered = [label.get_text(strip=True) for label in page.select("#condition_id ~ label, .govuk-radios__label")]
    assert "Condition 1: Do not offend again." in offered
    condition = world.contract.conditions[0]
    done = _post(
        client,
        path,
        {"condition_id": str(condition.id), "occurred_on": DATE, "source": "victim", "summary": "Called the victim."},
    )
    assert done.status_code == 302
    [breach] = _breaches(session, world.case.id)
    assert breach.condition_id == condition.id and breach.kind == "conduct"


def test_a_withdrawal_is_recorded_for_the_supervisor(client, session, world):
    _as(client, session, world.navigator)
    path = f"/cases/{world.case.id}/breaches/withdrawal"
    refused = _post(client, path, {"occurred_on": DATE, "summary": ""})
    assert _errors(refused)["summary"] == "Write what the person said, in their words where you can"
    done = _post(client, path, {"occurred_on": DATE, "summary": "Does not want to carry on."})
    assert done.status_code == 302 and _state(session, world.case.id) is CaseState.BREACH_REVIEW


def test_no_breach_on_a_case_whose_contract_is_not_running(client, session, team):
    world = running_case(session, team=team, state=CaseState.PROSECUTION_DECISION)
    session.commit()
    _as(client, session, world.navigator)
    page = _soup(client.get(f"/cases/{world.case.id}/breaches"))
    assert "only while a signed contract is running" in page.select_one("#refusal").get_text()
    assert page.select_one(".govuk-button-group a[href$='new-offence']") is None
    form = client.get(f"/cases/{world.case.id}/breaches/new-offence")
    assert "only while a signed contract is running" in _soup(form).select_one("#refusal").get_text()
    assert _soup(form).select_one("form[method=post] #crime_reference") is None


def test_another_teams_navigator_and_a_custody_sergeant_are_turned_away(client, session, world, other_team):
    # Another team's case answers like one that does not exist; the custody desk may not use the pages.
    for user, status in (
        (make_user(session, roles=[Role.NAVIGATOR], team=other_team), 404),
        (make_user(session, roles=[Role.CUSTODY_SERGEANT], team=world.team), 403),
    ):
        session.commit()
        _as(client, session, user)
        for path in ("breaches", "breaches/new-offence", "breaches/conduct", "breaches/withdrawal"):
            assert client.get(f"/cases/{world.case.id}/{path}").status_code == status, (user, path)
        refused = client.post(f"/cases/{world.case.id}/breaches/new-offence", data=_offence())
        assert refused.status_code in (400, 403, 404)
    assert _breaches(session, world.case.id) == []


def _first_failure(session, world) -> Breach:
    check_in = make_check_in(session, case=world.case, at=NOW - timedelta(days=3), by=world.navigator)
    check_in.outcome, check_in.outcome_recorded_at = "unacceptable_absence", NOW
    check_in.absence_detail = "No reason given."
    session.flush()
    breach = Breach(
        case_id=world.case.id,
        kind="unacceptable_absence",
        status="open",
        occurred_on=TODAY - timedelta(days=3),
        summary="Did not attend the check-in.",
        raised_at=NOW,
        contract_id=world.contract.id,
        check_in_id=check_in.id,
        evidence={"days_to_decision_deadline": 100},
    )
    session.add(breach)
    session.commit()
    return breach


def test_a_navigator_warns_a_first_failure_and_downloads_the_letter(client, session, world):
    breach = _first_failure(session, world)
    _as(client, session, world.navigator)
    section = _soup(client.get(f"/cases/{world.case.id}/breaches")).select_one(f"#breach-{breach.id}")
    offer = section.select_one("a[href$='/warning']")
    assert offer.get_text(" ", strip=True) == "Give a formal warning for this breach"
    path = offer["href"]
    refused = _post(client, path, {"reason": "", "delivery": ""})
    assert set(_errors(refused)) == {"reason", "delivery"}
    done = _post(client, path, {"reason": "Missed the check-in without a reason.", "delivery": "post"})
    assert done.status_code == 302
    card = _soup(client.get(done.headers["Location"])).select_one(f"#breach-{breach.id}")
    assert "Warning given" in card.get_text() and "letter by post" in card.get_text()
    link = card.select_one("a[href$='.pdf']")
    assert link.get_text(" ", strip=True).startswith("Download the formal warning letter")
    pdf = client.get(link["href"])
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == world.case.id)).all()
    assert {"breach.warning_given", "letter.pdf_downloaded"} <= set(actions)
    # Warned: neither a second warning nor a referral is offered or accepted.
    assert "Give a formal warning" not in card.get_text()
    again = _post(client, path, {"reason": "Missed the check-in without a reason.", "delivery": "post"})
    assert "already been given" in _soup(again).select_one("#refusal").get_text()


def test_a_navigator_refers_a_first_failure_and_the_banner_shows(client, session, world):
    breach = _first_failure(session, world)
    _as(client, session, world.navigator)
    path = f"/cases/{world.case.id}/breaches/{breach.id}/refer"
    done = _post(client, path, {"reason": "Not answering calls since the missed check-in."})
    assert done.status_code == 302 and _state(session, world.case.id) is CaseState.BREACH_REVIEW
    assert _soup(client.get(f"/cases/{world.case.id}")).select_one("#live-breach") is not None
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == world.case.id)).all()
    assert {"breach.referred", "case.report_breach"} <= set(actions)


def test_a_custody_sergeant_cannot_download_a_warning_letter(client, session, world):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=world.team)
    session.commit()
    _as(client, session, sergeant)
    assert client.get(f"/cases/{world.case.id}/warnings/1.pdf").status_code == 403


def test_an_absence_classified_as_unacceptable_on_its_page_is_a_breach_and_the_second_a_review(client, session, world):
    from tests.check_ins import marked_missed

    _as(client, session, world.navigator)
    check_ins = [
        marked_missed(make_check_in(session, case=world.case, at=NOW - timedelta(days=days)), due=TODAY)
        for days in (10, 3)
    ]
    session.commit()
    for check_in in check_ins:
        path = f"/cases/{world.case.id}/check-ins/{check_in.id}/classify"
        done = _post(client, path, {"outcome": "unacceptable_absence", "unacceptable_reason": "No reason at all."})
        assert done.status_code == 302, path
    first, second = _breaches(session, world.case.id)
    assert (first.kind, first.breach_status, second.breach_status) == (
        "unacceptable_absence",
        BreachStatus.OPEN,
        BreachStatus.REVIEW,
    )
    page = _soup(client.get(f"/cases/{world.case.id}/breaches"))
    assert page.select_one("#live-breach") is not None
    assert page.select_one(f"#breach-{first.id} a[href$='/warning']") is not None
    assert page.select_one(f"#breach-{second.id} a[href$='/warning']") is None
    assert "A repeated unacceptable failure" in page.select_one(f"#breach-{second.id}").get_text()
