"""Documents given to the person. Each download is a disclosure, audited with its recipient,
purpose and the exact bytes' digest, so the copy handed over can be proven later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.domain import standard_wordings
from casework.domain.clock import local_today
from casework.domain.contract_status import ContractStatus
from casework.domain.errors import IllegalTransition, NotFound
from casework.domain.roles import Action
from casework.models import Case, Condition, Contract, ContractDocument, Offence, User
from casework.services import access, audit, check_ins, schemes
from casework.services.concurrency import is_lost_race
from contracts import (
    ContractCondition,
    OfferSheet,
    RenderedDocument,
    ScheduledCheckIn,
    SupportContract,
    render_offer_sheet,
    render_support_contract,
)


def offer_sheet(session: Session, *, actor: User, case: Case, now: datetime) -> RenderedDocument:
    access.require(actor, Action.DOWNLOAD_OFFER_SHEET, team_id=case.team_id)
    if case.consent_at is None or case.first_appointment_at is None:
        raise IllegalTransition("There is no offer sheet until the person has accepted and an appointment is booked.")
    settings = schemes.settings_on(session, local_today(case.consent_at))
    language = case.person.preferred_language
    document = render_offer_sheet(
        OfferSheet(
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
        issued = _store_first_copy(session, contract, language, rendered, now)
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


def _store_first_copy(
    session: Session, contract: Contract, language: str, rendered: RenderedDocument, now: datetime
) -> ContractDocument:
    """Simultaneous first downloads all render, and the first to store its copy wins: the others
    serve the stored bytes, so every copy ever handed over is the same. On PostgreSQL a losing
    INSERT waits for the winner's commit and then fails on the unique key; it holds no other lock
    by then (the audit chain's head is taken afterwards), so the wait is short and cannot deadlock."""
    issued = ContractDocument(
        contract_id=contract.id,
        language=language,
        template_version=rendered.template_version,
        sha256=rendered.sha256,
        pdf=rendered.pdf,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(issued)
    except IntegrityError as clash:
        stored = _issued(session, contract, language) if is_lost_race(clash) else None
        if stored is None:
            raise
        return stored
    return issued


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
