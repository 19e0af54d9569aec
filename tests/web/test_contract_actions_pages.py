"""The contract page renders the actions the rules allow, and nothing else."""

from __future__ import annotations

from bs4 import BeautifulSoup

from casework.domain.roles import Role
from casework.services import progress
from tests.conftest import csrf_token, make_user, sign_in_quickly
from tests.form_posts import shown_fields
from tests.services.contract_stages import _stage


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _people(session, team):
    return {
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
    }


def _page(client, session, actor, case):
    session.commit()
    sign_in_quickly(client, session, actor)
    return _soup(client.get(f"/cases/{case.id}/contract/"))


def _buttons(page) -> set[str]:
    found = {a.get_text(" ", strip=True) for a in page.select("main a.govuk-button")}
    found |= {b.get_text(" ", strip=True) for b in page.select("main button")}
    return found


def test_a_signed_contract_no_longer_offers_to_record_the_signatures(client, session, team):
    people = _people(session, team)
    case = _stage(session, team, people, "signed")
    page = _page(client, session, people["navigator"], case)
    assert "Record the signatures" not in _buttons(page)
    assert "Record the answer" not in _buttons(page)
    assert page.select_one("summary").get_text(strip=True) == "Vary the contract"
    refused = client.get(f"/cases/{case.id}/contract/sign")
    assert refused.status_code == 409 and "no unsigned contract" in refused.text.lower()


def test_an_agreed_draft_offers_signing_and_a_navigator_cannot_approve(client, session, team):
    people = _people(session, team)
    case = _stage(session, team, people, "agreed")
    page = _page(client, session, people["navigator"], case)
    assert {"Record the signatures", "Record the answer", "Add condition"} <= _buttons(page)
    assert "Send for approval" not in _buttons(page)  # the scheme does not ask for approval
    assert not page.select("form[action$='/approval']")


def test_awaiting_approval_the_supervisor_decides_and_the_navigator_is_told_who_it_waits_for(app, session, team):
    from casework.services import contracts

    people = _people(session, team)
    case = _stage(session, team, people, "awaiting")
    offending = contracts.pending(session, case=case).conditions[0]
    navigator = app.test_client()
    navigator_page = _page(navigator, session, people["navigator"], case)
    refused = navigator.get(f"/cases/{case.id}/contract/conditions/{offending.id}")
    assert refused.status_code == 409 and "waiting for a supervisor" in refused.text
    assert "Waiting for a supervisor to approve it." in navigator_page.get_text()
    assert not navigator_page.select("form[action$='/approval']")
    assert "Add condition" not in _buttons(navigator_page)  # the version is with the supervisor
    assert not navigator_page.select("a[href*='/conditions/']")
    condition = navigator_page.select_one("h3.govuk-summary-card__title")
    assert condition is not None
    supervisor_page = _page(app.test_client(), session, people["supervisor"], case)
    assert supervisor_page.select("form[action$='/approval'] input[name=decision]")
    assert "Record the signatures" not in _buttons(supervisor_page)


def test_a_variation_started_by_a_supervisor_is_not_theirs_to_approve(app, session, team):
    people = _people(session, team)
    case = _stage(session, team, people, "variation_by_supervisor")
    page = _page(app.test_client(), session, people["supervisor"], case)
    assert "Approve the variation" not in _buttons(page)
    assert "another supervisor must approve it" in page.get_text()
    other = make_user(session, roles=[Role.SUPERVISOR], team=team)
    assert "Approve the variation" in _buttons(_page(app.test_client(), session, other, case))


def test_the_welsh_download_is_marked_as_welsh(client, session, team):
    people = _people(session, team)
    case = _stage(session, team, people, "signed")
    page = _page(client, session, people["navigator"], case)
    welsh = page.select_one("a[href$='lang=cy']")
    assert "Lawrlwytho" in welsh.get_text()
    assert welsh["lang"] == "cy" and welsh["hreflang"] == "cy" and welsh["href"].endswith("lang=cy")
    english = page.select_one("a[href$='lang=en']")
    assert english["hreflang"] == "en" and "lang" not in english.attrs


def test_two_people_recording_the_answer_from_one_page_version_the_second_is_told_and_can_try_again(app, session, team):
    people = _people(session, team)
    case = _stage(session, team, people, "draft")
    session.commit()
    first, second = app.test_client(), app.test_client()
    sign_in_quickly(first, session, people["navigator"])
    sign_in_quickly(second, session, people["supervisor"])
    path = f"/cases/{case.id}/contract/"
    seen = _soup(first.get(path)).select_one("form[action$='/agreement'] input[name=version]")["value"]
    answer = {"version": seen, "agreement": "could_not_answer", "reason": "Needs an interpreter"}
    assert first.post(f"{path}agreement", data={**answer, "csrf_token": csrf_token(first, path)}).status_code == 302
    stale = second.post(
        f"{path}agreement", data={**answer, "agreement": "agrees", "csrf_token": csrf_token(second, path)}
    )
    page = _soup(stale)
    assert stale.status_code == 400 and page.title.get_text().startswith("Error:")
    assert "Someone else changed" in page.select_one(".govuk-error-summary").get_text()
    # The form shown again carries the version now on screen, so trying again succeeds.
    retry = page.select_one("form[action$='/agreement'] input[name=version]")["value"]
    assert retry != seen
    again = second.post(
        f"{path}agreement",
        data={"version": retry, "agreement": "agrees", "reason": "", "csrf_token": csrf_token(second, path)},
    )
    assert again.status_code == 302
    assert "Agrees to the contract" in second.get(path).text


def test_while_a_variation_waits_the_case_keeps_its_conditions_links_and_progress(client, session, team):
    from casework.domain.clock import local
    from tests.conftest import NOW
    from tests.services.test_version_in_force import _signed_with_hours, _vary

    navigator, case, signed = _signed_with_hours(session, team)
    _vary(session, navigator, case, signed)
    session.commit()
    sign_in_quickly(client, session, navigator)
    case_page = _soup(client.get(f"/cases/{case.id}/contract-summary"))
    assert "A variation (version 2) is draft. Version 1 stays in force until it is signed" in case_page.get_text()
    assert case_page.find("a", string="View the contract")
    link = case_page.select_one("#conditions a[href$='/progress']")
    assert link is not None and link.get_text() == "Record progress for condition 2"

    path = link["href"]
    recorded = client.post(
        path,
        data={
            **shown_fields(client, path, "/progress"),
            "happened_on": local(NOW).strftime("%d/%m/%Y"),
            "amount": "6",
            "evidence": "partner_confirmation",
        },
    )
    assert recorded.status_code == 302
    summary = _soup(client.get(f"/cases/{case.id}/contract-summary"))
    assert "6 of 20 hours" in summary.select_one("#conditions").get_text()

    contract_page = _soup(client.get(f"/cases/{case.id}/contract/"))
    assert "In force: version 1" in contract_page.get_text()
    assert "Variation: version 2" in contract_page.get_text()
    assert contract_page.select("a[href$='/contract/1.pdf?lang=en']")
    assert contract_page.select("a[href$='/contract/1.pdf?lang=cy']")
    assert client.get(f"/cases/{case.id}/contract/1.pdf?lang=en").status_code == 200


def test_a_waived_condition_offers_no_progress_on_the_case_or_its_own_page(client, session, team):
    from tests.conftest import NOW
    from tests.services.test_version_in_force import _signed_with_hours

    navigator, case, signed = _signed_with_hours(session, team)
    hours = signed.conditions[-1]
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    progress.decide_condition(
        session, actor=supervisor, case=case, condition_id=hours.id, outcome="waived", reason="Closed for good", now=NOW
    )
    session.commit()
    sign_in_quickly(client, session, navigator)
    assert not _soup(client.get(f"/cases/{case.id}")).select("#conditions ~ table a[href$='/progress']")
    page = _soup(client.get(f"/cases/{case.id}/contract/conditions/{hours.id}/progress"))
    assert not page.select("form") or not page.select("input[name=happened_on]")
    assert "Nothing more can be recorded" in page.get_text()
