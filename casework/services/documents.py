"""Documents given to the person. Each download is a disclosure, audited with its recipient,
purpose and the exact bytes' digest, so the copy handed over can be proven later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.domain.errors import IllegalTransition
from casework.domain.roles import Action
from casework.models import Case, User
from casework.services import access, audit, schemes
from contracts import OfferSheet, RenderedDocument, render_offer_sheet


def offer_sheet(session: Session, *, actor: User, case: Case, now: datetime) -> RenderedDocument:
    access.require(actor, Action.DOWNLOAD_OFFER_SHEET, team_id=case.team_id)
    if case.consent_at is None or case.first_appointment_at is None:
        raise IllegalTransition("There is no offer sheet until the person has accepted and an appointment is booked.")
    settings = schemes.settings_on(session, case.consent_at.date())
    sergeant = case.opened_by
    document = render_offer_sheet(
        OfferSheet(
            case_reference=case.reference,
            crime_reference=case.crime_reference or "",
            person_name=case.person.full_name,
            offences=tuple(link.offence.title for link in case.offences),
            consent_at=case.consent_at,
            sergeant_name=sergeant.full_name,
            appointment_at=case.first_appointment_at,
            appointment_place=case.first_appointment_place or "",
            team_name=case.team.name,
            team_phone=case.team.phone or "",
            team_email=case.team.email or "",
            scheme_name=settings.scheme_name,
            force_name=settings.force_name,
            language=case.person.preferred_language,
        )
    )
    audit.record(
        session,
        actor=actor,
        action="case.offer_sheet_downloaded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        recipient="the person",
        purpose="given at custody",
        sha256=document.sha256,
        template_version=document.template_version,
        language=document.language,
    )
    return document
