"""The offer sheet as downloaded: the witness recorded, the offence date, the contract length."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from casework.domain.roles import Role
from casework.models import CaseOffence, Offence
from tests.conftest import make_case, make_person, make_user, sign_in_quickly


def _text(pdf: bytes) -> str:
    return "".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _case(session, team, sergeant, language="en"):
    person = make_person(session, creator=sergeant)
    person.preferred_language = language
    case = make_case(
        session,
        team=team,
        opened_by=sergeant,
        person=person,
        consent_witnessed_by="PC 1234 Jordan Blake",
        offence_first_on=date(2026, 11, 20),
        offence_last_on=date(2026, 11, 20),
    )
    offence = session.scalar(select(Offence).where(Offence.code == "ASSAULT-COMMON"))
    session.add(CaseOffence(case_id=case.id, offence_id=offence.id))
    session.commit()
    return case


def test_the_offer_sheet_names_the_witness_recorded_not_whoever_opened_the_case(client, session, team):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team, full_name="Alex Reed")
    case = _case(session, team, sergeant)
    sign_in_quickly(client, session, sergeant)
    text = _text(client.get(f"/custody/cases/{case.id}/offer-sheet.pdf").data)
    assert "witnessedbyPC1234JordanBlake" in text and "AlexReed" not in text
    assert "Dateoftheoffence20November2026" in text
    assert "Howlongthecontractlasts4months" in text
    assert "Youcanwithdrawyourconsentatanytime" in text


def test_a_welsh_speakers_offer_sheet_names_the_offence_in_welsh(client, session, team):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    case = _case(session, team, sergeant, language="cy")
    sign_in_quickly(client, session, sergeant)
    text = _text(client.get(f"/custody/cases/{case.id}/offer-sheet.pdf").data)
    assert "Ymosodiadcyffredin" in text and "Commonassault" not in text
    assert "aPC1234JordanBlakeoeddytyst" in text
