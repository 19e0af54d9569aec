"""The custody gate's rules as the sergeant meets them on the pages: the time bar, the time-limit
warning before consent, offences included with terms, and the fuller checklist."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from casework.domain.clock import local
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, SchemeSettings
from casework.services import offence_catalogue, schemes
from tests.conftest import NOW, make_case, make_user, sign_in_quickly
from tests.web.test_custody_journey import (
    _answer_everything,
    _create_person,
    _custody_details,
    _errors,
    _post,
    _sergeant,
    _soup,
)


def _case_through_the_checklist(client, session, team, *, offence_on: date, codes=("ASSAULT-COMMON",), **answers):
    _sergeant(client, session, team)
    created = _create_person(client)
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    details = _custody_details(
        client, case_id, offence_first_on=offence_on.strftime("%d/%m/%Y"), offence_codes=list(codes)
    )
    assert details.status_code == 302, _errors(details)
    _answer_everything(client, case_id, evidential_decided_on=offence_on.isoformat(), **answers)
    return case_id


def _consent(**changes) -> dict:
    now = local(NOW)
    data = {
        "consent_date": now.strftime("%d/%m/%Y"),
        "consent_time": (now - timedelta(minutes=2)).strftime("%H:%M"),
        "witnessed_by": "PC 4521 Hall",
        "solicitor_present": "no",
        "interpreter_present": "no",
        "appropriate_adult_present": "no",
        "appointment_date": (now + timedelta(days=2)).strftime("%d/%m/%Y"),
        "appointment_time": "10am",
        "appointment_place": "Navigator office, Durham",
    }
    data.update(changes)
    return data


def _case(session, case_id: int) -> Case:
    session.expire_all()
    return session.get(Case, case_id)


def _longer_offence_age(session):
    session.scalars(select(SchemeSettings)).one().max_offence_age_months = 12
    session.commit()


# ---- 1. the time bar ----------------------------------------------------------------------------


def test_a_time_barred_offence_is_explained_cannot_be_overridden_and_is_recorded_as_not_offered(client, session, team):
    _longer_offence_age(session)
    case_id = _case_through_the_checklist(client, session, team, offence_on=date(2026, 5, 20))
    page = _soup(client.get(f"/custody/cases/{case_id}/check-answers"))
    findings = page.select_one("#result").find_next("ul").get_text(" ", strip=True)
    assert "E4 TIME_BARRED" in findings and "latest charge date was 19 November 2026" in findings
    assert "cannot be overridden" in page.select_one("#time-barred").get_text()
    assert page.find(string=re.compile("Override the checklist")) is None
    assert page.find("a", string="The person accepted") is None

    token = page.select_one("input[name=csrf_token]")["value"]
    refused = client.post(
        f"/custody/cases/{case_id}/override",
        data={
            "csrf_token": token,
            "rationale": "The person is keen and the navigator has time this week.",
            "version": _case(session, case_id).version,
        },
    )
    assert (
        refused.status_code == 400 and "cannot be overridden" in _soup(refused).select_one(".govuk-error-summary").text
    )
    assert _case(session, case_id).override_rationale is None

    form = _soup(client.get(f"/custody/cases/{case_id}/offer/not-offered"))
    assert form.select_one("input[name=reason][value=time_barred]").has_attr("checked")
    done = _post(
        client, f"/custody/cases/{case_id}/offer/not-offered", {"reason": "time_barred", "alternative_outcome": "nfa"}
    )
    assert done.status_code == 302, _errors(done)
    case = _case(session, case_id)
    assert case.case_state is CaseState.INELIGIBLE and case.offer_reason == "time_barred"
    assert case.reason_codes == ["TIME_BARRED"]


# ---- 2. the warning before consent --------------------------------------------------------------


def test_the_consent_page_warns_when_a_standard_term_would_run_past_the_latest_charge_date(client, session, team):
    case_id = _case_through_the_checklist(client, session, team, offence_on=date(2026, 9, 1))
    page = _soup(client.get(f"/custody/cases/{case_id}/offer/accepted"))
    warning = page.select_one("#time-limit-warning").get_text(" ", strip=True)
    assert "latest charge date, 28 February 2027" in warning
    assert "A supervisor will have to accept the risk when the contract is signed" in warning

    path = f"/custody/cases/{case_id}/offer/accepted"
    refused = _post(client, path, _consent(appointment_date="20/12/2026"))
    assert refused.status_code == 200 and _soup(refused).title.text.startswith("Error:")
    error = _errors(refused)["time_limit_risk_seen"]
    assert "20 December 2026" in error and "20 April 2027" in error and "28 February 2027" in error
    assert _case(session, case_id).consent_at is None

    done = _post(client, path, _consent(appointment_date="20/12/2026", time_limit_risk_seen="y"))
    assert done.status_code == 302, _errors(done)
    assert _case(session, case_id).case_state is CaseState.REFERRED


def test_the_consent_page_says_by_when_to_book_the_first_appointment(client, session, team):
    yesterday = local(NOW).date() - timedelta(days=1)
    case_id = _case_through_the_checklist(client, session, team, offence_on=yesterday)
    page = _soup(client.get(f"/custody/cases/{case_id}/offer/accepted"))
    inset = page.select_one("#time-limit").get_text(" ", strip=True)
    assert "latest charge date is 22 May 2027" in inset and "on or before 1 January 2027" in inset
    assert page.select_one("#time-limit-warning") is None and page.select_one("[name=time_limit_risk_seen]") is None


# ---- 3. offences included with terms ------------------------------------------------------------


def test_burglary_terms_are_shown_and_hold_the_referral_until_the_victims_views_are_recorded(client, session, team):
    case_id = _case_through_the_checklist(
        client, session, team, offence_on=date(2026, 11, 20), codes=["BURGLARY-DWELLING"], victim_view="not_sought"
    )
    for path in (f"/custody/cases/{case_id}/check-answers", f"/custody/cases/{case_id}/offer/accepted"):
        terms = _soup(client.get(path)).select_one("#terms").find_parent("div").get_text(" ", strip=True)
        assert "Burglary of a dwelling" in terms and "Supervisor agreement and victim engagement required" in terms
        assert "A supervisor must agree to the referral" in terms
        assert "The victim's views must have been sought and must not be an objection" in terms
        assert 'the checklist records "Not yet sought"' in terms

    path = f"/custody/cases/{case_id}/offer/accepted"
    refused = _post(client, path, _consent())
    assert "victim's views have been sought" in _errors(refused)["terms_confirmed"]
    assert _case(session, case_id).consent_at is None

    _post(client, f"/custody/cases/{case_id}/checklist/victim", {"victim_view": "supports", "risk_band": "none"})
    done = _post(client, path, _consent())
    assert done.status_code == 302, _errors(done)
    assert _case(session, case_id).case_state is CaseState.PENDING_ACCEPTANCE
    assert "waits for a supervisor" in client.get(done.headers["Location"]).text

    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    decision = _soup(client.get(f"/cases/{case_id}/acceptance")).select_one("#terms").get_text(" ", strip=True)
    assert "Burglary of a dwelling is included only with terms" in decision
    assert "A supervisor must agree to the referral" in decision


def test_bladed_article_terms_are_confirmed_by_the_sergeant_on_the_consent_page(client, session, team):
    case_id = _case_through_the_checklist(client, session, team, offence_on=date(2026, 11, 20), codes=["BLADE-POSS"])
    path = f"/custody/cases/{case_id}/offer/accepted"
    box = _soup(client.get(path)).select_one("input[name=terms_confirmed][value=BLADE-POSS]")
    assert box is not None
    refused = _post(client, path, _consent())
    assert _errors(refused)["terms_confirmed"] == (
        "Confirm that the terms for Possession of a bladed article in a public place are met"
    )
    done = _post(client, path, _consent(terms_confirmed="BLADE-POSS"))
    assert done.status_code == 302, _errors(done)
    assert _case(session, case_id).case_state is CaseState.REFERRED


def test_the_administrator_sets_what_terms_ask_in_the_catalogue(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, admin)
    catalogue = _soup(client.get("/admin/offences/"))
    link = catalogue.find("a", string="Burglary of a dwelling")["href"]
    page = _soup(client.get(link))
    assert "A supervisor must agree to the referral" in page.select_one("ul.govuk-list").get_text()
    tomorrow = (local(NOW).date() + timedelta(days=1)).strftime("%d/%m/%Y")
    data = {"inclusion": "included_with_terms", "terms": "Victim consulted first", "effective_from": tomorrow}
    refused = _post(client, link, data)
    assert _errors(refused)["requirements"] == "Select what the terms ask before a referral"
    done = _post(client, link, {**data, "requirements": ["victim_not_objecting", "sergeant_confirms"]})
    assert done.status_code == 302
    history = _soup(client.get(link)).select_one("ul.govuk-list").get_text(" ", strip=True)
    assert "Victim consulted first" in history and "confirm at referral that the terms are met" in history

    new = {
        "code": "HANDLING",
        "offence_group": "theft",
        "title": "Handling stolen goods",
        "title_cy": "Trin nwyddau wedi'u dwyn",
        "legislation": "section 22 of the Theft Act 1968",
        "legislation_cy": "adran 22 o Ddeddf Dwyn 1968",
        "mode_of_trial": "either_way",
        "s127_applies": "no",
        "gravity_base": "2",
        "inclusion": "included_with_terms",
        "terms": "Low value only",
        "requirements": "supervisor_agreement",
        "effective_from": tomorrow,
    }
    assert _post(client, "/admin/offences/new", new).status_code == 302
    offence = schemes.offences_by_code(session, ["HANDLING"])[0]
    assert offence_catalogue.inclusion_history(session, offence=offence)[0].requirements == ["supervisor_agreement"]


# ---- 4. the fuller checklist --------------------------------------------------------------------


def test_the_checklist_records_the_evidential_decision_gravity_and_history(client, session, team):
    _sergeant(client, session, team)
    created = _create_person(client)
    case_id = int(re.search(r"/cases/(\d+)/", created.headers["Location"]).group(1))
    _custody_details(client, case_id)

    evidence = f"/custody/cases/{case_id}/checklist/evidence"
    refused = _post(
        client,
        evidence,
        {
            "evidential_test_met": "yes",
            "evidential_decided_by": "",
            "evidential_decided_on": "31/2/2026",
            "evidential_decided_time": "9.30pm",
            "admission_stance": "full_admission",
            "understands_obligations": "yes",
        },
    )
    errors = _errors(refused)
    assert (
        errors["evidential_decided_on"] == "Date of the evidential decision must be a real date, for example, 27/3/2026"
    )
    assert _soup(refused).select_one("#evidential_decided_time")["value"] == "9.30pm"  # kept as typed

    gravity = _soup(client.get(f"/custody/cases/{case_id}/checklist/gravity"))
    assert "Base gravity score from the offence catalogue: 2 (Common assault)" in gravity.select_one(
        "#gravity-base"
    ).get_text(" ", strip=True)
    refused = _post(client, f"/custody/cases/{case_id}/checklist/gravity", {"aggravating": ["none", "weapon"]})
    errors = _errors(refused)
    assert "not both" in errors["aggravating"]
    assert errors["mitigating"] == "Select the mitigating factors that apply, or 'None of these'"
    assert errors["gravity_rationale"] == "Explain why the final gravity score is right"

    _answer_everything(client, case_id, aggravating=["weapon"], risk_band="moderate", risk_band_source="Force tool v2")
    summary = _soup(client.get(f"/custody/cases/{case_id}/check-answers"))
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in summary.select(".govuk-summary-list__row")
    }
    assert rows["Who made the evidential decision?"] == "DS 1234 Patel"
    assert rows["Date of the evidential decision"] == "23 November 2026"
    assert rows["Time of the evidential decision"] == "9:30pm"
    assert rows["Which aggravating factors apply?"] == "A weapon was used or threatened"
    assert rows["Base score from the offence catalogue"] == "2 (Common assault)"
    assert rows["Final gravity score"] == "3"
    assert rows["Date of the most recent conviction (if there are any)"] == "10 May 2019"
    assert rows["Where does the risk band come from (if one was supplied)?"] == "Force tool v2"
    assert "Which local exclusion applies (if one does)?" not in rows  # not asked: no exclusion


def test_answers_given_before_the_checklist_changed_still_show(client, session, team):
    old = {
        "identity_confirmed": "yes",
        "aggravating_factors": "no",
        "mitigating_factors": "yes",
        "victim_view": "supports",
    }
    referred = make_case(session, team=team, state=CaseState.REFERRED, gate_answers=old)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    draft = make_case(session, team=team, state=CaseState.ELIGIBILITY_DRAFT, gate_answers=old)
    session.commit()

    sign_in_quickly(client, session, supervisor)
    page = client.get(f"/cases/{referred.id}")
    assert page.status_code == 200
    record = _soup(page).select_one("#eligibility").get_text(" ", strip=True)
    assert "Are there mitigating factors that make it less serious? Yes" in record
    assert "Who made the evidential decision? Not answered" in record

    _sergeant(client, session, team)
    summary = client.get(f"/custody/cases/{draft.id}/check-answers")
    assert summary.status_code == 200 and "Answers to questions no longer asked" in summary.text


def test_none_within_years_is_chosen_in_the_scheme_settings(client, session, team):
    from tests.web.test_scheme_settings import _form

    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, admin)
    data = _form(client)
    today = local(NOW).strftime("%d/%m/%Y")
    data.update(previous_conviction_rule="none_within_years", effective_from=today, change_reason="Recency rule")
    refused = client.post("/admin/scheme/change", data=data)
    error = _soup(refused).select_one("#previous_conviction_years-error").get_text()
    assert "Enter how many years must be free of convictions" in error
    data["previous_conviction_years"] = "30"
    refused = client.post("/admin/scheme/change", data=data)
    assert "must be 20 or less" in _soup(refused).select_one("#previous_conviction_years-error").get_text()
    data["previous_conviction_years"] = "5"
    assert client.post("/admin/scheme/change", data=data).status_code == 302
    shown = _soup(client.get("/admin/scheme")).get_text(" ", strip=True)
    assert "None within a number of years" in shown and "No previous convictions within this many years 5" in shown
