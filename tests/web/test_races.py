"""Lost races end in a message, never a 500: two supervisors at once, or one double click, with
real concurrent requests and real commits on SQLite and PostgreSQL (tests/races.py).

Each race checks what both people see (no 500; the loser told "Someone else changed", with who
changed the case), what is stored (one change) and the audit trail (one event for it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.domain.clock import local
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Allocation, Case, Contract, ContractDocument, OfferSheetDocument
from casework.services import allocation
from tests.conftest import NOW, hidden_fields, make_case, make_team, make_user
from tests.races import all_read_before_any_write, all_ready_before_any_write, race, race_track, soup
from tests.services.test_contract_signing import _agree_and_sign, _draft
from tests.services.test_contracts import _assessed_case


@pytest.fixture(scope="module")
def track(tmp_path_factory):
    yield from race_track(tmp_path_factory)


def _winner_and_loser(responses, *, won: int = 302):
    statuses = [response.status_code for response in responses]
    assert all(status < 500 for status in statuses), statuses
    assert sorted(statuses).count(won) == 1, statuses
    winner = next(r for r in responses if r.status_code == won)
    loser = next(r for r in responses if r is not winner)
    return winner, loser


def _refusal(response) -> str:
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None, response.get_data(as_text=True)[:2000]
    assert page.title.get_text().startswith("Error:")
    return summary.get_text(" ", strip=True)


def test_two_supervisors_reallocating_one_case_at_once(track):
    with track.sessions() as setup:
        team = make_team(setup)
        first, second = (make_user(setup, roles=[Role.SUPERVISOR], team=team) for _ in range(2))
        holder, to_first, to_second = (make_user(setup, roles=[Role.NAVIGATOR], team=team) for _ in range(3))
        case = make_case(setup, team=team)
        allocation.allocate(
            setup, actor=first, case=case, navigator=holder, reason="", seen_version=case.version, now=NOW
        )
        setup.commit()
    path = f"/cases/{case.id}/allocate"
    browsers = track.signed_in(first), track.signed_in(second)
    forms = [hidden_fields(browser, path) for browser in browsers]
    choices = (to_first, "Holder is on long leave"), (to_second, "Closer to where the person lives")
    with all_read_before_any_write(Case, 2) as gave_up:
        responses = race(
            *(
                lambda b=browser, f=form, c=choice: b.post(path, data={**f, "navigator_id": c[0].id, "reason": c[1]})
                for browser, form, choice in zip(browsers, forms, choices, strict=True)
            )
        )
    assert not gave_up
    winner, loser = _winner_and_loser(responses)
    by_first = winner is responses[0]
    refusal = _refusal(loser)
    assert "Someone else changed case" in refusal
    assert f"made by {(first if by_first else second).full_name}" in refusal
    assert track.audited("case.reallocated", case_id=case.id) == 1
    assert track.count(Allocation, Allocation.case_id == case.id, Allocation.ended_at.is_(None)) == 1
    with track.sessions() as check:
        assert check.get(Case, case.id).navigator_id == (to_first if by_first else to_second).id


def test_a_double_submitted_allocation_allocates_once(track):
    with track.sessions() as setup:
        team = make_team(setup)
        supervisor = make_user(setup, roles=[Role.SUPERVISOR], team=team)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case = make_case(setup, team=team)
        setup.commit()
    path = f"/cases/{case.id}/allocate"
    browser = track.signed_in(supervisor)
    form = {**hidden_fields(browser, path), "navigator_id": navigator.id}
    twin = track.same_browser(browser)
    with all_read_before_any_write(Case, 2) as gave_up:
        responses = race(lambda: browser.post(path, data=form), lambda: twin.post(path, data=form))
    assert not gave_up
    _winner, loser = _winner_and_loser(responses)
    refusal = _refusal(loser)
    assert "Someone else changed case" in refusal and f"made by {supervisor.full_name}" in refusal
    assert track.audited("case.allocated", case_id=case.id) == 1
    assert track.count(Allocation, Allocation.case_id == case.id) == 1


def test_a_double_submitted_first_contact_is_recorded_once(track):
    with track.sessions() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case = make_case(setup, team=team, navigator_id=navigator.id, referred_at=NOW - timedelta(days=2))
        setup.commit()
    path = f"/cases/{case.id}/first-contact"
    browser = track.signed_in(navigator)
    now = local(NOW)
    form = {
        **hidden_fields(browser, path),
        "contact_date": now.strftime("%d/%m/%Y"),
        "contact_time": (now - timedelta(minutes=30)).strftime("%H:%M"),
        "method": "in_person",
    }
    twin = track.same_browser(browser)
    with all_read_before_any_write(Case, 2) as gave_up:
        responses = race(lambda: browser.post(path, data=form), lambda: twin.post(path, data=form))
    assert not gave_up
    _winner, loser = _winner_and_loser(responses)
    refusal = _refusal(loser)
    assert "Someone else changed case" in refusal and f"made by {navigator.full_name}" in refusal
    assert track.audited("case.record_first_contact", case_id=case.id) == 1
    with track.sessions() as check:
        assert check.get(Case, case.id).case_state is CaseState.ASSESSMENT


def test_a_double_submitted_consent_refers_the_case_once(track):
    with track.sessions() as setup:
        team = make_team(setup)
        sergeant = make_user(setup, roles=[Role.CUSTODY_SERGEANT], team=team)
        case = make_case(
            setup,
            team=team,
            state=CaseState.ELIGIBILITY_DRAFT,
            opened_by=sergeant,
            arrested_at=NOW - timedelta(hours=6),
            provisional_eligible=True,
            evaluated_at=NOW - timedelta(minutes=10),
        )
        setup.commit()
    path = f"/custody/cases/{case.id}/offer/accepted"
    browser = track.signed_in(sergeant)
    now = local(NOW)
    form = {
        **hidden_fields(browser, path),
        "consent_date": now.strftime("%d/%m/%Y"),
        "consent_time": (now - timedelta(minutes=2)).strftime("%H:%M"),
        "witnessed_by": "PC 4521 Hall",
        "solicitor_present": "no",
        "interpreter_present": "no",
        "appropriate_adult_present": "no",
        "appointment_date": (now + timedelta(days=1)).strftime("%d/%m/%Y"),
        "appointment_time": "10am",
        "appointment_place": "Navigator office, Durham",
    }
    twin = track.same_browser(browser)
    with all_read_before_any_write(Case, 2) as gave_up:
        responses = race(lambda: browser.post(path, data=form), lambda: twin.post(path, data=form))
    assert not gave_up
    _winner, loser = _winner_and_loser(responses)
    refusal = _refusal(loser)
    assert "Someone else changed case" in refusal and f"made by {sergeant.full_name}" in refusal
    assert track.audited("case.refer", case_id=case.id) == 1
    with track.sessions() as check:
        assert check.get(Case, case.id).case_state is CaseState.REFERRED


def test_a_double_submitted_contract_start_starts_one_draft(track):
    with track.sessions() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case = _assessed_case(setup, team, navigator)
        setup.commit()
    browser = track.signed_in(navigator)
    form = hidden_fields(browser, f"/cases/{case.id}/contract/", "/contract/start")
    twin = track.same_browser(browser)
    path = f"/cases/{case.id}/contract/start"
    with all_read_before_any_write(Case, 2) as gave_up:
        responses = race(lambda: browser.post(path, data=form), lambda: twin.post(path, data=form))
    assert not gave_up
    _winner, loser = _winner_and_loser(responses)
    assert loser.status_code == 409
    page = soup(loser).get_text(" ", strip=True)
    assert "Someone else changed case" in page and f"made by {navigator.full_name}" in page
    assert track.audited("case.start_contract", case_id=case.id) == 1
    assert track.count(Contract, Contract.case_id == case.id) == 1


def test_twenty_simultaneous_first_downloads_of_a_contract_get_the_same_pdf(track):
    with track.sessions() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case, contract = _draft(setup, team, navigator)
        _agree_and_sign(setup, navigator, case, contract)
        setup.commit()
    languages = ["en", "cy"] * 10
    browsers = [track.signed_in(navigator) for _ in languages]
    with all_read_before_any_write(Contract, len(languages)) as gave_up:
        responses = race(
            *(
                lambda b=browser, lang=lang: b.get(f"/cases/{case.id}/contract/1.pdf?lang={lang}")
                for browser, lang in zip(browsers, languages, strict=True)
            )
        )
    assert not gave_up
    assert [response.status_code for response in responses] == [200] * len(languages)
    for lang in ("en", "cy"):
        copies = {response.data for response, asked in zip(responses, languages, strict=True) if asked == lang}
        assert len(copies) == 1 and next(iter(copies)).startswith(b"%PDF")
    assert track.count(ContractDocument, ContractDocument.contract_id == contract.id) == 2
    assert track.audited("contract.pdf_downloaded", case_id=case.id) == len(languages)


def test_twenty_simultaneous_first_downloads_of_an_offer_sheet_store_one_copy(track):
    with track.sessions() as setup:
        team = make_team(setup)
        sergeant = make_user(setup, roles=[Role.CUSTODY_SERGEANT], team=team)
        case = make_case(setup, team=team, opened_by=sergeant)
        setup.commit()
    browsers = [track.signed_in(sergeant) for _ in range(20)]
    path = f"/custody/cases/{case.id}/offer-sheet.pdf"
    with all_ready_before_any_write(OfferSheetDocument, len(browsers)) as gave_up:
        responses = race(*(lambda b=browser: b.get(path) for browser in browsers))
    assert not gave_up
    assert [response.status_code for response in responses] == [200] * len(browsers)
    copies = {response.data for response in responses}
    assert len(copies) == 1 and next(iter(copies)).startswith(b"%PDF")
    assert track.count(OfferSheetDocument, OfferSheetDocument.case_id == case.id) == 1
    assert track.only(OfferSheetDocument.pdf, OfferSheetDocument.case_id == case.id) == next(iter(copies))
    assert track.audited("case.offer_sheet_downloaded", case_id=case.id) == len(browsers)
