"""The case record in sections: each its own URL and title, all under one sub-navigation with the
case's caption, status and deadlines; the overview lists what needs doing next from the rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from casework.domain.clock import local
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case
from casework.services import case_actions, contracts
from tests.conftest import NOW, csrf_token, make_case, make_contract, make_user, sign_in_quickly
from tests.form_posts import shown_fields
from tests.services.test_case_actions import SITUATIONS, TODAY, make_world

SECTIONS = [
    ("", "Overview"),
    ("/needs", "Needs and referrals"),
    ("/contract-summary", "Contract summary"),
    ("/check-ins", "Check-ins"),
    ("/breaches", "Breaches"),
    ("/victim", "Victim"),
    ("/notes", "Notes"),
    ("/timeline", "Timeline"),
]
NAVIGATION = ["Overview", "Needs and referrals", "Contract", "Check-ins", "Breaches", "Victim", "Notes", "Timeline"]


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def active_case(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(
        session,
        team=team,
        state=CaseState.ACTIVE,
        navigator_id=navigator.id,
        latest_charge_on=TODAY + timedelta(days=60),
        decision_deadline_on=TODAY + timedelta(days=39),
    )
    make_contract(session, case=case, created_by=navigator, starts_on=TODAY - timedelta(days=10))
    session.commit()
    return case, navigator


@pytest.mark.parametrize(("suffix", "section"), SECTIONS)
def test_each_section_has_its_own_url_and_title_under_the_case_header(client, session, active_case, suffix, section):
    case, navigator = active_case
    sign_in_quickly(client, session, navigator)
    response = client.get(f"/cases/{case.id}{suffix}")
    assert response.status_code == 200
    page = _soup(response)
    assert page.title.get_text().startswith(f"{section} \N{EN DASH} case {case.reference} \N{EN DASH} ")
    assert page.select_one(".govuk-caption-l").get_text(" ", strip=True) == f"Case {case.reference}"
    assert page.h1.get_text(strip=True) == case.person.full_name
    summary = page.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "Active" in summary and f"Decision deadline {(TODAY + timedelta(days=39)).day}" in summary
    assert "Latest charge date" in summary
    tabs = page.select(".moj-sub-navigation__link")
    assert [a.get_text(strip=True) for a in tabs] == NAVIGATION
    current = [a.get_text(strip=True) for a in tabs if a.get("aria-current") == "page"]
    assert current == [NAVIGATION[SECTIONS.index((suffix, section))]]
    # The primary navigation keeps "My caseload" marked on every section.
    marked = page.select_one(".moj-primary-navigation__link[aria-current=page]")
    assert marked.get_text(strip=True) == "My caseload"


def test_each_section_shows_its_own_part_of_the_record(client, session, active_case):
    case, navigator = active_case
    sign_in_quickly(client, session, navigator)
    form = shown_fields(client, f"/cases/{case.id}/notes", "/notes")
    client.post(f"/cases/{case.id}/notes", data={**form, "body": "Met at the hub."})

    def text(suffix):
        return _soup(client.get(f"/cases/{case.id}{suffix}")).select_one("main").get_text(" ", strip=True)

    overview, needs, contract, schedule, breaches, victim, notes, timeline = (text(suffix) for suffix, _ in SECTIONS)
    assert "What needs doing next" in overview and case.person.address_line_1 in overview
    assert "Met at the hub." not in overview and "Case note added" not in overview
    assert "Not assessed yet" in needs and "No referrals yet" in needs
    assert "Progress against each condition" in contract and "Do not offend again." in contract
    assert "No check-ins are booked." in schedule and "Met at the hub." not in schedule
    assert "The victim's details have not been recorded" in victim and "Met at the hub." not in victim
    assert "No breach has been recorded on this case." in breaches and "Met at the hub." not in breaches
    assert "Met at the hub." in notes and "Progress against" not in notes
    assert "Case note added" in timeline and "Allocation history" in timeline
    hidden = _soup(client.get(f"/cases/{case.id}/timeline?system=off"))
    assert hidden.title.get_text().startswith("Timeline without system events")


def test_custody_staff_still_get_only_the_status_page(client, session, active_case, team):
    case, _ = active_case
    sign_in_quickly(client, session, make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team))
    status = _soup(client.get(f"/cases/{case.id}"))
    assert "Its details are for the navigator team" in status.get_text()
    assert not status.select(".moj-sub-navigation") and not status.select(".app-next-steps")
    for suffix, _ in SECTIONS[1:]:
        assert client.get(f"/cases/{case.id}{suffix}").status_code == 403, suffix


def test_the_overview_offers_the_helpers_actions_and_warnings(app, client, session, team):
    """The page shows the rules' list, in its order, with nothing added: a referred case whose
    first contact is overdue and whose decision deadline is set."""
    w = make_world(session, team)
    case = SITUATIONS["referred"](session, w)
    case.referred_at = NOW - timedelta(days=30)
    case.latest_charge_on, case.decision_deadline_on = TODAY + timedelta(days=30), TODAY + timedelta(days=9)
    session.commit()
    for user in (w.navigator, w.supervisor):
        sign_in_quickly(client, session, user)
        page = _soup(client.get(f"/cases/{case.id}"))
        steps = case_actions.next_steps(session, actor=user, case=case, today=TODAY)
        with app.test_request_context():
            expected = [(a.label, url_for(a.endpoint, case_id=case.id, **a.params)) for a in steps.actions]
        shown = [(a.get_text(strip=True), a["href"]) for a in page.select(".app-next-steps a")]
        assert shown == expected and shown
        warnings = [w.get_text(" ", strip=True) for w in page.select(".govuk-warning-text__text")]
        assert any("Decide on prosecution by" in text for text in warnings)
        assert any("First contact is overdue" in text for text in warnings)
    # The supervisor's list: the step that moves the case on comes first, and the case is allocated already.
    assert [label for label, _ in shown[:2]] == ["Record first contact", "Reallocate"]


@pytest.mark.parametrize("situation", sorted(SITUATIONS))
def test_every_offered_actions_page_opens_for_that_user(client, session, team, situation):
    w = make_world(session, team)
    case = SITUATIONS[situation](session, w)
    session.commit()
    for user in (w.navigator, w.supervisor):
        sign_in_quickly(client, session, user)
        links = [a["href"] for a in _soup(client.get(f"/cases/{case.id}")).select(".app-next-steps a")]
        for href in links:
            assert client.get(href).status_code == 200, f"{user.primary_role}: {href}"


def test_a_hand_typed_url_for_an_action_not_offered_is_refused_and_changes_nothing(client, session, team):
    w = make_world(session, team)
    active = SITUATIONS["active"](session, w)
    own_referral = SITUATIONS["pending acceptance, opened by the supervisor"](session, w)
    own_draft = SITUATIONS["awaiting approval, drafted by the supervisor"](session, w)
    session.commit()
    sign_in_quickly(client, session, w.navigator)
    now = local(NOW)
    typed = client.post(
        f"/cases/{active.id}/first-contact",
        data={
            "csrf_token": csrf_token(client, f"/cases/{active.id}/first-contact"),
            "version": active.version,
            "contact_date": now.strftime("%d/%m/%Y"),
            "contact_time": "9:00",
            "method": "in_person",
        },
    )
    assert "cannot be moved on by 'record first contact'" in _soup(typed).select_one("#contact_date-error").get_text()

    sign_in_quickly(client, session, w.supervisor)
    token = csrf_token(client, f"/cases/{own_referral.id}/acceptance")
    typed = client.post(
        f"/cases/{own_referral.id}/acceptance",
        data={"csrf_token": token, "version": own_referral.version, "decision": "accept", "rationale": ""},
    )
    assert "another supervisor must decide" in _soup(typed).select_one("#decision-error").get_text()
    typed = client.post(
        f"/cases/{own_draft.id}/contract/approval",
        data={"csrf_token": token, "version": 1, "decision": "approve", "reason": ""},
    )
    assert "another supervisor must approve it" in _soup(typed).select_one(".govuk-error-summary").get_text()
    session.expire_all()
    assert session.get(Case, active.id).case_state is CaseState.ACTIVE
    assert session.get(Case, own_referral.id).case_state is CaseState.PENDING_ACCEPTANCE
    assert session.get(Case, own_draft.id).case_state is CaseState.CONTRACT_AWAITING_APPROVAL


def test_changes_made_from_a_section_return_to_it(client, session, active_case):
    case, navigator = active_case
    sign_in_quickly(client, session, navigator)
    first = contracts.current(session, case=case).conditions[-1]  # the course
    path = f"/cases/{case.id}/contract/conditions/{first.id}/progress"
    recorded = client.post(
        path,
        data={
            **shown_fields(client, path, "/progress"),
            "happened_on": local(NOW).strftime("%d/%m/%Y"),
            "amount": "1",
            "evidence": "navigator_observed",
        },
    )
    assert recorded.headers["Location"] == f"/cases/{case.id}/contract-summary"
    summary = _soup(client.get(recorded.headers["Location"]))
    assert "1 of 3 sessions" in summary.select_one("#conditions").get_text()


def test_the_header_says_when_a_case_has_no_prosecution_time_limit(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    either_way = make_case(session, team=team, navigator_id=navigator.id)
    in_custody = make_case(session, team=team, state=CaseState.ELIGIBILITY_DRAFT)
    session.commit()
    sign_in_quickly(client, session, navigator)
    for case, said in [
        (either_way, "None: no offence on this case has a prosecution time limit"),
        (in_custody, "Worked out when the person accepts the offer"),
    ]:
        for suffix, _ in SECTIONS:
            summary = _soup(client.get(f"/cases/{case.id}{suffix}")).select_one(".govuk-summary-list")
            assert f"Decision deadline {said}" in summary.get_text(" ", strip=True), suffix
