"""The contract PDF as the service issues it: who signs, who countersigns, and a Welsh contract
with no English in its conditions or offences."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from casework.domain import standard_wordings
from casework.domain.contract_terms import OFFENDING_WORDING, OFFENDING_WORDING_CY
from casework.domain.errors import FieldError
from casework.domain.roles import Role
from casework.models import CaseOffence, Offence
from casework.services import check_ins, contract_signing, contracts, documents, referrals
from casework.services.referrals import ServiceDetails
from tests.conftest import NOW, make_user
from tests.services.test_contract_signing import _draft, _signing
from tests.services.test_contracts import DUE, _assessed_case


def _text(pdf: bytes) -> str:
    return "".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _squashed(phrase: str) -> str:
    return "".join(phrase.split())


def _with_offence(session, case, code="ASSAULT-COMMON"):
    offence = session.scalar(select(Offence).where(Offence.code == code))
    case.offences = [CaseOffence(offence_id=offence.id)]
    case.offence_place, case.offence_description = "Market Place, Durham", "Pushed a man to the ground."
    session.flush()
    return offence


def test_a_supervisor_signing_for_the_time_limit_risk_countersigns_and_the_navigator_signs(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Grace Johnson")
    case, contract = _draft(session, team, navigator, latest_charge_on=date(2027, 3, 1))
    _with_offence(session, case)
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team, full_name="Alex Reed")
    contract_signing.sign(
        session,
        actor=supervisor,
        case=case,
        signing=_signing(risk_accepted="Low-level offence; the victim has been told the risk."),
        seen_version=contract.version,
        now=NOW,
    )
    assert (contract.signed_by_navigator_id, contract.signing_recorded_by_id) == (navigator.id, supervisor.id)
    issued = documents.contract_pdf(session, actor=supervisor, case=case, version_number=1, language="en", now=NOW)
    text = _text(issued.pdf)
    assert issued.template_version == "support_contract_v3"
    assert _squashed("Navigator, who explained this contract to you: Grace Johnson") in text
    assert _squashed("Countersigned by Alex Reed, supervisor.") in text
    assert _squashed("(1 March 2027)") in text
    assert _squashed("Common assault, contrary to section 39 of the Criminal Justice Act 1988.") in text
    assert _squashed("at Market Place, Durham") in text


def test_the_navigator_who_explained_it_must_be_one_of_the_teams_navigators(session, team, other_team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case, contract = _draft(session, team, navigator)
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    for stranger in (
        make_user(session, roles=[Role.NAVIGATOR], team=other_team),
        make_user(session, roles=[Role.SUPERVISOR], team=team),
    ):
        with pytest.raises(FieldError) as refused:
            contract_signing.sign(
                session,
                actor=navigator,
                case=case,
                signing=_signing(explained_by_id=stranger.id),
                seen_version=contract.version,
                now=NOW,
            )
        assert refused.value.field == "explained_by_id"
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team)
    contract_signing.sign(
        session,
        actor=navigator,
        case=case,
        signing=_signing(explained_by_id=colleague.id),
        seen_version=contract.version,
        now=NOW,
    )
    assert contract.signed_by_navigator_id == colleague.id and contract.signing_recorded_by_id == navigator.id


def signed_with_standard_wordings(session, team):
    """A signed contract with the mandatory condition and a suggested pathway condition, both in
    their standard wording (the navigator only added the pathway's date), for an offence."""
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    hub = referrals.add_service(
        session,
        actor=make_user(session, roles=[Role.SUPERVISOR], team=team),
        now=NOW,
        details=ServiceDetails(name="Hwb Adfer Durham", pathway="drugs", data_accepted="Name", phone="0191 555 0100"),
    )
    case = _assessed_case(session, team, navigator)
    offence = _with_offence(session, case)
    contract = contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)
    _offending, pathway, unlinked = contract.conditions
    contracts.remove_condition(
        session, actor=navigator, case=case, condition_id=unlinked.id, seen_version=contract.version, now=NOW
    )
    contracts.update_condition(
        session,
        actor=navigator,
        case=case,
        condition_id=pathway.id,
        condition=replace(contracts.as_draft(pathway), due_on=DUE),
        seen_version=contract.version,
        now=NOW,
    )
    assert pathway.standard_wording == "pathway_sessions:drugs" and pathway.partner_service_id == hub.id
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(), seen_version=contract.version, now=NOW
    )
    return navigator, case, hub, offence


def english_and_welsh_wordings(hub, offence):
    """What must not appear in the Welsh contract, and what must appear instead."""
    pathway = "pathway_sessions:drugs"
    english = (
        OFFENDING_WORDING,
        standard_wordings.text(pathway, "en", partner=hub.name),
        offence.title,
        offence.legislation,
        "contrary to",
        "typed on screen",
    )
    welsh = (
        OFFENDING_WORDING_CY,
        standard_wordings.text(pathway, "cy", partner=hub.name),
        f"{offence.title_cy}, yn groes i {offence.legislation_cy}",
        "(wedi'i deipio ar y sgrin)",
    )
    return english, welsh


def test_a_welsh_contract_prints_no_english_condition_or_offence_wording(session, team):
    navigator, case, hub, offence = signed_with_standard_wordings(session, team)
    welsh = _text(
        documents.contract_pdf(session, actor=navigator, case=case, version_number=1, language="cy", now=NOW).pdf
    )
    must_not, must = english_and_welsh_wordings(hub, offence)
    for phrase in must_not:
        assert _squashed(phrase) not in welsh, phrase
    for phrase in must:
        assert _squashed(phrase) in welsh, phrase
    english = _text(
        documents.contract_pdf(session, actor=navigator, case=case, version_number=1, language="en", now=NOW).pdf
    )
    assert _squashed(OFFENDING_WORDING) in english and _squashed(must_not[1]) in english


def test_a_navigators_own_wording_prints_as_written_in_both_languages(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case, contract = _draft(session, team, navigator)
    offending = contract.conditions[0]
    own = "Do not commit any offence, and keep away from the Market Place pubs."
    contracts.update_condition(
        session,
        actor=navigator,
        case=case,
        condition_id=offending.id,
        condition=replace(contracts.as_draft(offending), wording=own),
        seen_version=contract.version,
        now=NOW,
    )
    assert offending.standard_wording is None
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(), seen_version=contract.version, now=NOW
    )
    welsh = _text(
        documents.contract_pdf(session, actor=navigator, case=case, version_number=1, language="cy", now=NOW).pdf
    )
    assert _squashed(own) in welsh and _squashed(OFFENDING_WORDING_CY) not in welsh


@pytest.mark.parametrize(
    ("language", "caption", "first", "how"),
    [
        ("en", "Your check-ins with the navigator team", "Tuesday 1 December 2026 at 2:30pm", "Phone call"),
        ("cy", "Eich apwyntiadau gyda'r tîm llywio", "Dydd Mawrth 1 Rhagfyr 2026 am 2:30yh", "Galwad ffôn"),
    ],
)
def test_the_signed_contract_prints_the_check_in_schedule_in_its_language(session, team, language, caption, first, how):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case, contract = _draft(session, team, navigator)
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    plan = check_ins.SchedulePlan(time_of_day=time(14, 30), mode="phone", place="07700 900123")
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(check_ins=plan), seen_version=contract.version, now=NOW
    )
    moved, cancelled = check_ins.for_case(session, case=case)[1:3]
    moved.scheduled_at += timedelta(hours=1)
    cancelled.cancelled_at, cancelled.cancel_reason, cancelled.requested_by = NOW, "Leave", "service"
    session.flush()
    text = _text(
        documents.contract_pdf(session, actor=navigator, case=case, version_number=1, language=language, now=NOW).pdf
    )
    assert _squashed(caption) in text
    assert _squashed(f"{first} {how} 07700 900123") in text
    assert _squashed("8 December 2026 at 3:30pm" if language == "en" else "8 Rhagfyr 2026 am 3:30yh") in text
    # The cancelled check-in is left out (with its year: the person's generated birthday may fall on 15 December).
    assert _squashed("15 December 2026") not in text and _squashed("15 Rhagfyr 2026") not in text
