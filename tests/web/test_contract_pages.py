"""Drafting a contract through the pages."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from casework.domain import needs
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.services.assessment import DomainInput
from tests.assessments import record_whole_assessment
from tests.conftest import NOW, csrf_token, hidden_fields, make_case, make_user, sign_in_quickly
from tests.form_posts import shown_fields

DUE = NOW.date() + timedelta(days=30)  # by when a test condition is due: inside any term


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_navigator_starts_and_edits_a_draft(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    record_whole_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        flags={},
        now=NOW,
        scores=[DomainInput(d, 0, False) for d, _ in needs.NEED_DOMAINS],
    )
    session.commit()
    sign_in_quickly(client, session, navigator)
    token = csrf_token(client, f"/cases/{case.id}/contract/")
    assert (
        client.post(f"/cases/{case.id}/contract/start", data={"csrf_token": token, "version": case.version}).status_code
        == 302
    )
    page = _soup(client.get(f"/cases/{case.id}/contract/"))
    assert "No further offending" in page.get_text()
    first_tab, second_tab = (hidden_fields(client, f"/cases/{case.id}/contract/", "/conditions") for _ in range(2))

    bad = {
        **first_tab,
        "type": "community",
        "wording": "Volunteer at the food bank",
        "rule": "hours",
        "target": "50",
        "partner_service_id": "0",
        "due_on": "1/2/2027",
    }
    refused = client.post(f"/cases/{case.id}/contract/conditions", data=bad)
    soup = _soup(refused)
    assert "between 18 and 36" in soup.select_one("#target-error").get_text()
    assert soup.select_one("textarea#wording").get_text() == "Volunteer at the food bank"
    assert client.post(f"/cases/{case.id}/contract/conditions", data={**bad, "target": "24"}).status_code == 302

    stale = client.post(f"/cases/{case.id}/contract/conditions", data={**bad, **second_tab, "target": "20"})
    assert "Someone else changed this draft" in stale.text
    titles = [
        h.get_text() for h in _soup(client.get(f"/cases/{case.id}/contract/")).select(".govuk-summary-card__title")
    ]
    assert titles == ["1. No further offending", "2. Community hours"]


def test_custody_cannot_draft_contracts(client, session, team):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    session.commit()
    sign_in_quickly(client, session, make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team))
    assert client.get(f"/cases/{case.id}/contract/").status_code == 403


def test_agreement_and_signing_make_the_case_active(client, session, team):
    from casework.domain.clock import local
    from casework.models import Case

    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    record_whole_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        flags={},
        now=NOW,
        scores=[DomainInput(d, 0, False) for d, _ in needs.NEED_DOMAINS],
    )
    session.commit()
    sign_in_quickly(client, session, navigator)
    token = csrf_token(client, f"/cases/{case.id}/contract/")
    client.post(f"/cases/{case.id}/contract/start", data={"csrf_token": token, "version": case.version})

    def version():
        page = _soup(client.get(f"/cases/{case.id}/contract/"))
        return page.select_one("form[action$='/agreement'] input[name=version]")["value"]

    refused = client.post(
        f"/cases/{case.id}/contract/agreement",
        data={"csrf_token": token, "version": version(), "agreement": "could_not_answer", "reason": ""},
    )
    assert "Say why" in _soup(refused).select_one("#reason-error").get_text()
    client.post(
        f"/cases/{case.id}/contract/agreement",
        data={"csrf_token": token, "version": version(), "agreement": "agrees", "reason": ""},
    )
    now = local(NOW)
    data = {
        **shown_fields(client, f"/cases/{case.id}/contract/sign"),
        "csrf_token": token,
        "version": version(),
        "signed_date": now.strftime("%d/%m/%Y"),
        "signed_time": now.strftime("%H:%M"),
        "place": "Navigator office",
        "language": "en",
        "interpreter_present": "no",
        "appropriate_adult_present": "no",
        "solicitor_present": "no",
        "person_signature": "typed_name",
        "signature_name": "",
        "copy_given": "paper",
    }
    missing_name = client.post(f"/cases/{case.id}/contract/sign", data=data)
    assert "type their name" in _soup(missing_name).select_one("#signature_name-error").get_text()
    assert (
        client.post(f"/cases/{case.id}/contract/sign", data={**data, "signature_name": "Casey Rowe"}).status_code == 302
    )
    session.expire_all()
    assert session.get(Case, case.id).case_state is CaseState.ACTIVE


def test_the_signed_contract_downloads_as_the_same_bytes_in_english_and_welsh(client, session, team):
    import io

    from pypdf import PdfReader
    from sqlalchemy import select

    from casework.models import AuditEvent

    test_agreement_and_signing_make_the_case_active(client, session, team)
    case_id = session.scalars(select(AuditEvent.case_id).where(AuditEvent.action == "case.sign_contract")).one()
    first = client.get(f"/cases/{case_id}/contract/1.pdf?lang=en")
    again = client.get(f"/cases/{case_id}/contract/1.pdf?lang=en")
    assert first.status_code == 200 and first.data == again.data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(first.data)).pages)
    squashed = "".join(text.split())
    for expected in [
        "supportcontract",
        "version1",
        "Nofurtheroffending",
        "maychargeyouwiththeoriginaloffence",
        "enoughevidencetochargeyou",
        "CaseyRowe(typedonscreen)",
    ]:
        assert expected in squashed, expected
    welsh = client.get(f"/cases/{case_id}/contract/1.pdf?lang=cy")
    welsh_text = "".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(welsh.data)).pages).split())
    assert "Dimtroseddupellach" in welsh_text and "gall yr heddlu eich cyhuddo".replace(" ", "") in welsh_text
    downloads = session.scalars(select(AuditEvent).where(AuditEvent.action == "contract.pdf_downloaded")).all()
    assert [(d.detail["language"], d.detail["recipient"]) for d in downloads] == [
        ("en", "the person"),
        ("en", "the person"),
        ("cy", "the person"),
    ]
    assert client.get(f"/cases/{case_id}/contract/2.pdf").status_code == 404


def test_a_variation_through_the_pages_keeps_the_first_version_downloadable(app, client, session, team):
    from sqlalchemy import select

    from casework.domain.clock import local
    from casework.models import AuditEvent, Contract

    test_agreement_and_signing_make_the_case_active(client, session, team)
    case_id = session.scalars(select(AuditEvent.case_id).where(AuditEvent.action == "case.sign_contract")).one()
    page = _soup(client.get(f"/cases/{case_id}/contract/"))
    token = page.select_one("input[name=csrf_token]")["value"]
    version = page.select_one("form[action$='/variation'] input[name=version]")["value"]
    refused = client.post(
        f"/cases/{case_id}/contract/variation",
        data={"csrf_token": token, "version": version, "reason": "Waiting list", "extend_weeks": "4"},
    )
    assert "needs the person's consent" in _soup(refused).select_one("#consent-error").get_text()
    client.post(
        f"/cases/{case_id}/contract/variation",
        data={"csrf_token": token, "version": version, "reason": "Waiting list", "extend_weeks": "4", "consent": "y"},
    )
    assert "Variation of version 1" in client.get(f"/cases/{case_id}/contract/").text

    def draft_version():
        session.expire_all()
        return (
            session.scalars(
                select(Contract).where(Contract.case_id == case_id).order_by(Contract.version_number.desc())
            )
            .first()
            .version
        )

    client.post(
        f"/cases/{case_id}/contract/agreement",
        data={"csrf_token": token, "version": draft_version(), "agreement": "agrees", "reason": ""},
    )
    supervisor = app.test_client()
    sign_in_quickly(supervisor, session, make_user(session, roles=[Role.SUPERVISOR], team=team))
    supervisor_token = csrf_token(supervisor, f"/cases/{case_id}/contract/")
    assert (
        supervisor.post(
            f"/cases/{case_id}/contract/variation/approve",
            data={"csrf_token": supervisor_token, "version": draft_version()},
        ).status_code
        == 302
    )
    now = local(NOW)
    signed = client.post(
        f"/cases/{case_id}/contract/sign",
        data={
            **shown_fields(client, f"/cases/{case_id}/contract/sign"),
            "csrf_token": token,
            "version": draft_version(),
            "signed_date": now.strftime("%d/%m/%Y"),
            "signed_time": now.strftime("%H:%M"),
            "place": "Office",
            "language": "en",
            "interpreter_present": "no",
            "appropriate_adult_present": "no",
            "solicitor_present": "no",
            "person_signature": "wet_ink",
            "signature_name": "",
            "copy_given": "paper",
        },
    )
    assert signed.status_code == 302
    assert client.get(f"/cases/{case_id}/contract/1.pdf").status_code == 200
    assert client.get(f"/cases/{case_id}/contract/2.pdf").status_code == 200
    assert "All versions" in client.get(f"/cases/{case_id}/contract/").text


def test_a_stale_agreement_is_refused_in_the_error_summary_naming_who(client, session, team):
    from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
    from casework.services import contracts

    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    record_whole_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        now=NOW,
        scores=[DomainInput(d, 0, False) for d, _ in needs.NEED_DOMAINS],
    )
    contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)
    session.commit()
    sign_in_quickly(client, session, navigator)
    page = _soup(client.get(f"/cases/{case.id}/contract/"))
    seen = page.select_one("form[action$='/agreement'] input[name=version]")["value"]
    token = page.select_one("form[action$='/agreement'] input[name=csrf_token]")["value"]
    course = DraftCondition(ConditionType.EDUCATION, "Attend the course", CompletionRule.SESSIONS, 1, DUE)
    contracts.add_condition(  # a colleague changes the draft while the page is open
        session, actor=colleague, case=case, condition=course, seen_version=int(seen), now=NOW
    )
    session.commit()

    refused = client.post(
        f"/cases/{case.id}/contract/agreement",
        data={"csrf_token": token, "version": seen, "agreement": "agrees", "reason": ""},
    )
    soup = _soup(refused)
    assert soup.title.get_text().startswith("Error:")
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Someone else changed this contract while you were working on it." in summary
    assert f"The latest change was made by {colleague.full_name}" in summary
