"""The signing page: the navigator who explained the contract signs it, whoever records it."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from pypdf import PdfReader

from casework.domain.clock import local
from casework.domain.roles import Role
from tests.conftest import NOW, make_user, sign_in_quickly
from tests.form_posts import shown_fields
from tests.services.contract_stages import _stage


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _form(client, path, **values):
    now = local(NOW)
    data = {
        **shown_fields(client, path),
        "signed_date": now.strftime("%d/%m/%Y"),
        "signed_time": (now.replace(minute=0)).strftime("%H:%M"),
        "place": "Navigator office",
        "language": "en",
        "interpreter_present": "no",
        "appropriate_adult_present": "no",
        "solicitor_present": "no",
        "person_signature": "wet_ink",
        "signature_name": "",
        "copy_given": "paper",
    }
    data.update(values)
    return data


def test_the_page_asks_who_explained_it_and_defaults_to_the_cases_navigator(client, session, team):
    people = {
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Grace Johnson"),
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
    }
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Sam Patel")
    case = _stage(session, team, people, "agreed")
    session.commit()
    sign_in_quickly(client, session, people["navigator"])
    path = f"/cases/{case.id}/contract/sign"
    select = _soup(client.get(path)).select_one("select#explained_by_id")
    assert select.find_previous("label").get_text(strip=True) == "Navigator who explained the contract"
    assert select.select_one("option[selected]").get_text() == "Grace Johnson"
    assert {o.get_text() for o in select.select("option")} >= {"Grace Johnson", "Sam Patel"}
    refused = client.post(path, data=_form(client, path, explained_by_id="0"))
    assert "Select the navigator" in _soup(refused).select_one("#explained_by_id-error").get_text()
    assert client.post(path, data=_form(client, path, explained_by_id=str(colleague.id))).status_code == 302


def test_past_the_time_limit_margin_a_supervisor_records_it_and_the_pdf_keeps_the_navigator_as_signatory(
    app, session, team
):
    people = {
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Grace Johnson"),
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team, full_name="Alex Reed"),
    }
    case = _stage(session, team, people, "late")
    session.commit()
    navigator = app.test_client()
    sign_in_quickly(navigator, session, people["navigator"])
    contract_page = _soup(navigator.get(f"/cases/{case.id}/contract/"))
    assert not contract_page.find("a", string="Record the signatures")
    assert "a supervisor must record the signing" in contract_page.get_text()
    assert navigator.get(f"/cases/{case.id}/contract/sign").status_code == 409

    supervisor = app.test_client()
    sign_in_quickly(supervisor, session, people["supervisor"])
    path = f"/cases/{case.id}/contract/sign"
    page = _soup(supervisor.get(path))
    assert page.select_one("textarea#risk_accepted")
    risk = "Low-level offence; the victim has been told the risk of a late breach."
    assert supervisor.post(path, data=_form(supervisor, path, risk_accepted=risk)).status_code == 302
    pdf = supervisor.get(f"/cases/{case.id}/contract/1.pdf?lang=en").data
    text = "".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Navigator,whoexplainedthiscontracttoyou:GraceJohnson" in text
    assert "CountersignedbyAlexReed,supervisor." in text


def test_the_welsh_download_has_no_english_condition_or_offence_wording_and_its_furniture_is_an_artifact(
    client, session, team
):
    from tests.contracts.pdf_structure import marked_text
    from tests.services.test_contract_documents import english_and_welsh_wordings, signed_with_standard_wordings

    navigator, case, hub, offence = signed_with_standard_wordings(session, team)
    session.commit()
    sign_in_quickly(client, session, navigator)
    page = _soup(client.get(f"/cases/{case.id}/contract/"))
    pdf = client.get(page.select_one("a[lang=cy]")["href"]).data
    text = "".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    must_not, must = english_and_welsh_wordings(hub, offence)
    assert not [phrase for phrase in must_not if "".join(phrase.split()) in text]
    assert all("".join(phrase.split()) in text for phrase in must)
    furniture = [run for run in marked_text(pdf) if run.text.strip().startswith(("Tudalen", "Contract CP-"))]
    assert furniture and {run.tag for run in furniture} == {"/Artifact"}
