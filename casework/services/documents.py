"""Documents given to the person. Each download is a disclosure, audited with its recipient,
purpose and the exact bytes' digest, so the copy handed over can be proven later."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.db import writing
from casework.domain import standard_wordings
from casework.domain.clock import local_today
from casework.domain.contract_status import ContractStatus
from casework.domain.errors import IllegalTransition, NotFound
from casework.domain.roles import Action
from casework.models import Case, Condition, Contract, ContractDocument, Offence, OfferSheetDocument, User
from casework.services import access, audit, check_ins, schemes
from casework.services.concurrency import is_lost_race
from contracts import (
    ContractCondition,
    OfferSheet,
    ScheduledCheckIn,
    SupportContract,
    offer_sheet_made_from,
    render_offer_sheet,
    render_support_contract,
)

Stored = TypeVar("Stored", ContractDocument, OfferSheetDocument)


def offer_sheet(session: Session, *, actor: User, case: Case, now: datetime) -> OfferSheetDocument:
    """The offer sheet as handed over. Stored the first time and served as those bytes after,
    for as long as everything it prints is unchanged: a moved appointment, a corrected offence or
    witness, another language or new scheme settings make a new sheet, because the stored copy is
    kept under a digest of what it was made from. Each download is an audited disclosure."""
    access.require(actor, Action.DOWNLOAD_OFFER_SHEET, team_id=case.team_id)
    if case.consent_at is None or case.first_appointment_at is None:
        raise IllegalTransition("There is no offer sheet until the person has accepted and an appointment is booked.")
    sheet = _offer_sheet(session, case)
    made_from = offer_sheet_made_from(sheet)
    stored = _stored_sheet(session, case, made_from)
    if stored is None:
        rendered = render_offer_sheet(sheet)
        copy = OfferSheetDocument(
            case_id=case.id,
            made_from=made_from,
            template_version=rendered.template_version,
            language=rendered.language,
            sha256=rendered.sha256,
            pdf=rendered.pdf,
            created_at=now,
        )
        writing(session)  # rendered while reading: SQLite's write lock is taken only to store it
        stored = _first_stored(session, copy, lambda: _stored_sheet(session, case, made_from))
    writing(session)
    audit.record(
        session,
        actor=actor,
        action="case.offer_sheet_downloaded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        recipient="the person",
        purpose="given at custody",
        sha256=stored.sha256,
        template_version=stored.template_version,
        language=stored.language,
    )
    return stored


def _offer_sheet(session: Session, case: Case) -> OfferSheet:
    settings = schemes.settings_on(session, local_today(case.consent_at))
    language = case.person.preferred_language
    return OfferSheet(
        case_reference=case.reference,
        crime_reference=case.crime_reference or "",
        person_name=case.person.full_name,
        offences=tuple(_offence_title(link.offence, language) for link in case.offences),
        consent_at=case.consent_at,
        sergeant_name=case.opened_by.full_name,
        witness_name=case.consent_witnessed_by or "",
        offence_first_on=case.offence_first_on,
        offence_last_on=case.offence_last_on,
        contract_length_months=settings.contract_length_months,
        retention_years=settings.retention_years,
        appointment_at=case.first_appointment_at,
        appointment_place=case.first_appointment_place or "",
        team_name=case.team.name,
        team_phone=case.team.phone or "",
        team_email=case.team.email or "",
        scheme_name=settings.scheme_name,
        force_name=settings.force_name,
        language=language,
    )


def _stored_sheet(session: Session, case: Case, made_from: str) -> OfferSheetDocument | None:
    stored = OfferSheetDocument.case_id == case.id, OfferSheetDocument.made_from == made_from
    return session.scalar(select(OfferSheetDocument).where(*stored))


CONTRACT_LANGUAGES = ("en", "cy")


def issuable(*, actor: User, case: Case, contract: Contract | None, language: str) -> None:
    """Raises the reason this version cannot be given to the person in this language."""
    access.require(actor, Action.DRAFT_CONTRACT, team_id=case.team_id)
    if contract is None or contract.contract_status not in (ContractStatus.SIGNED, ContractStatus.SUPERSEDED):
        raise NotFound("There is no signed contract with that version.")
    if language not in CONTRACT_LANGUAGES:
        raise NotFound("Contracts are issued in English or Welsh.")


def contract_pdf(
    session: Session, *, actor: User, case: Case, version_number: int, language: str, now: datetime
) -> ContractDocument:
    """The signed contract as issued. Rendered once per language and stored, so every later
    download is the same bytes; each download is an audited disclosure to the person."""
    contract = session.scalar(
        select(Contract).where(Contract.case_id == case.id, Contract.version_number == version_number)
    )
    issuable(actor=actor, case=case, contract=contract, language=language)
    issued = _issued(session, contract, language)
    if issued is None:
        # Rendered before anything is written: no row lock is held while WeasyPrint works.
        rendered = render_support_contract(_support_contract(session, case, contract, language))
        copy = ContractDocument(
            contract_id=contract.id,
            language=language,
            template_version=rendered.template_version,
            sha256=rendered.sha256,
            pdf=rendered.pdf,
            created_at=now,
        )
        writing(session)  # rendered while reading: SQLite's write lock is taken only to store it
        issued = _first_stored(session, copy, lambda: _issued(session, contract, language))
    writing(session)
    audit.record(
        session,
        actor=actor,
        action="contract.pdf_downloaded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        recipient="the person",
        purpose="copy of the signed contract",
        sha256=issued.sha256,
        template_version=issued.template_version,
        language=language,
        contract_version=version_number,
    )
    return issued


def _issued(session: Session, contract: Contract, language: str) -> ContractDocument | None:
    stored = ContractDocument.contract_id == contract.id, ContractDocument.language == language
    return session.scalar(select(ContractDocument).where(*stored))


def _first_stored(session: Session, copy: Stored, stored: Callable[[], Stored | None]) -> Stored:
    """Simultaneous first downloads all render, and the first to store its copy wins: the others
    serve the stored bytes, so every copy ever handed over is the same. On PostgreSQL a losing
    INSERT waits for the winner's commit and then fails on the unique key; it holds no other lock
    by then (the audit chain's head is taken afterwards), so the wait is short and cannot deadlock."""
    try:
        with session.begin_nested():
            session.add(copy)
    except IntegrityError as clash:
        winner = stored() if is_lost_race(clash) else None
        if winner is None:
            raise
        return winner
    return copy


def _support_contract(session: Session, case: Case, contract: Contract, language: str) -> SupportContract:
    settings = schemes.settings_on(session, contract.starts_on)
    person = case.person
    welsh = language == "cy"
    first, last = case.offence_first_on, case.offence_last_on
    if first and last and first != last:
        offence_dates = f"{first:%d/%m/%Y} to {last:%d/%m/%Y}"  # as template version 1 printed them
    else:
        offence_dates = f"{last:%d/%m/%Y}" if last else ""
    navigator = session.get(User, contract.signed_by_navigator_id)
    countersigned = session.get(User, contract.risk_accepted_by_id) if contract.risk_accepted_by_id else None
    offences = [link.offence for link in case.offences]
    return SupportContract(
        scheme_name=settings.scheme_name,
        force_name=settings.force_name,
        case_reference=case.reference,
        version_number=contract.version_number,
        crime_reference=case.crime_reference or "",
        custody_record_number=case.custody_record_number or "",
        person_name=person.full_name,
        date_of_birth=person.date_of_birth,
        address_lines=tuple(
            x for x in (person.address_line_1, person.address_line_2, person.town, person.postcode) if x
        ),
        offences=tuple(_offence_title(o, language) for o in offences),
        offence_legislation=tuple((o.legislation_cy if welsh else o.legislation) or "" for o in offences),
        offence_dates=offence_dates,
        offence_first_on=first,
        offence_last_on=last,
        offence_place=case.offence_place or "",
        offence_description=case.offence_description or "",
        admission=case.gate_answers.get("admission_stance", ""),
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        length_months=settings.contract_length_months,
        conditions=tuple(_condition(c, language) for c in contract.conditions),
        first_appointment=None,
        navigator_name=case.navigator.full_name if case.navigator else navigator.full_name,
        team_phone=case.team.phone or "",
        team_email=case.team.email or "",
        partners=tuple(sorted({c.partner.name for c in contract.conditions if c.partner})),
        retention_years=settings.retention_years,
        signed_at=contract.signed_at,
        person_signature=(  # template version 1's words, in English only
            f"{contract.signature_name} (typed on screen)"
            if contract.person_signature == "typed_name"
            else "signed on the paper copy"
        ),
        signature_method=contract.person_signature or "",
        signature_name=contract.signature_name or "",
        navigator_signature=navigator.full_name,
        countersigned_by=countersigned.full_name if countersigned else "",
        latest_charge_on=case.latest_charge_on,
        check_ins=tuple(
            ScheduledCheckIn(at=c.scheduled_at, mode=c.mode, place=c.place)
            for c in check_ins.for_case(session, case=case)
            if c.cancelled_at is None and c.scheduled_at >= contract.signed_at
        ),
        interpreter_present=bool(contract.interpreter_present),
        appropriate_adult_present=bool(contract.appropriate_adult_present),
        language=language,
    )


def _offence_title(offence: Offence, language: str) -> str:
    """The Welsh title on Welsh documents; an offence added without one keeps its English title."""
    return (offence.title_cy or offence.title) if language == "cy" else offence.title


def _condition(condition: Condition, language: str) -> ContractCondition:
    """An unedited standard wording prints in the document's language; a navigator's own words as written."""
    partner = condition.partner.name if condition.partner else ""
    return ContractCondition(
        number=condition.position,
        kind=condition.type,
        wording=standard_wordings.in_language(condition.standard_wording, condition.wording, language, partner=partner),
        partner=partner,
        due=condition.due_on,
        rule=condition.rule,
        target=condition.target,
    )
