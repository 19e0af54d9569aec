"""The offer sheet as downloaded: the witness recorded, the offence date, the contract length; stored
once and served as those bytes until something it prints changes."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from casework.domain.clock import local_today
from casework.domain.roles import Role
from casework.models import AuditEvent, CaseOffence, Offence, OfferSheetDocument
from casework.services import documents, schemes
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


def _downloaded(client, case) -> bytes:
    response = client.get(f"/custody/cases/{case.id}/offer-sheet.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    return response.data


def _disclosed(session, case) -> list[str]:
    """The digest recorded for each download of the case's offer sheet, in order."""
    events = select(AuditEvent).where(AuditEvent.action == "case.offer_sheet_downloaded", AuditEvent.case_id == case.id)
    return [event.detail["sha256"] for event in session.scalars(events.order_by(AuditEvent.sequence))]


def test_a_later_download_is_the_stored_sheet_not_a_new_rendering(client, session, team, monkeypatch):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    case = _case(session, team, sergeant)
    sign_in_quickly(client, session, sergeant)
    first = _downloaded(client, case)

    def no_more_rendering(*_args, **_kwargs):
        raise AssertionError("the offer sheet was rendered again")

    monkeypatch.setattr(documents, "render_offer_sheet", no_more_rendering)
    assert _downloaded(client, case) == first
    assert _disclosed(session, case) == [hashlib.sha256(first).hexdigest()] * 2
    assert session.scalar(select(func.count()).select_from(OfferSheetDocument)) == 1


def _moved_appointment(session, case):
    case.first_appointment_at = datetime(2026, 12, 9, 14, 30, tzinfo=UTC)
    case.first_appointment_place = "Recovery Hub, 3 Old Elvet"
    return "Wednesday9December2026at2:30pm", "RecoveryHub,3OldElvet"


def _corrected_witness(session, case):
    case.consent_witnessed_by = "PC 5678 Robin Hale"
    return ("witnessedbyPC5678RobinHale",)


def _another_offence(session, case):
    offence = session.scalar(select(Offence).where(Offence.code != "ASSAULT-COMMON", Offence.title_cy.is_not(None)))
    session.add(CaseOffence(case_id=case.id, offence_id=offence.id))
    return ("".join(offence.title.split()),)


def _welsh_now(session, case):
    case.person.preferred_language = "cy"
    return ("Ymosodiadcyffredin",)


def _new_scheme_settings(session, case):
    schemes.settings_on(session, local_today(case.consent_at)).contract_length_months = 6
    return ("Howlongthecontractlasts6months",)


@pytest.mark.parametrize(
    "change", [_moved_appointment, _corrected_witness, _another_offence, _welsh_now, _new_scheme_settings]
)
def test_a_sheet_is_made_again_when_anything_it_prints_has_changed(client, session, team, change):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    case = _case(session, team, sergeant)
    sign_in_quickly(client, session, sergeant)
    before = _downloaded(client, case)
    shown = change(session, case)
    session.commit()
    after = _downloaded(client, case)
    assert after != before
    assert all(words in _text(after) for words in shown)
    assert _disclosed(session, case) == [hashlib.sha256(pdf).hexdigest() for pdf in (before, after)]


def test_a_sheet_whose_details_are_changed_back_is_the_copy_first_handed_over(client, session, team):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    case = _case(session, team, sergeant)
    sign_in_quickly(client, session, sergeant)
    first = _downloaded(client, case)
    case.person.preferred_language = "cy"
    session.commit()
    welsh = _downloaded(client, case)
    case.person.preferred_language = "en"
    session.commit()
    assert _downloaded(client, case) == first != welsh
    assert session.scalar(select(func.count()).select_from(OfferSheetDocument)) == 2
