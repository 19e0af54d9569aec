"""The team's partner service directory, and referrals to partners with their status history.

Sending a referral discloses personal data to another organisation: it needs the person's
recorded consent, shares only the minimum data set, and is audited with the recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain import needs
from casework.domain import referrals as rules
from casework.domain.clock import local_today
from casework.domain.errors import FieldError, IllegalTransition, NotFound, StaleRecord
from casework.domain.lifecycle import OPEN_STATES
from casework.domain.referrals import ReferralStatus
from casework.domain.roles import Action
from casework.models import Case, PartnerService, Referral, ReferralUpdate, User
from casework.services import access, audit
from casework.services.concurrency import flush_or_stale, stale_message


@dataclass(frozen=True)
class ServiceDetails:
    name: str
    pathway: str
    data_accepted: str
    phone: str = ""
    email: str = ""
    address: str = ""


def directory(session: Session, *, actor: User, include_inactive: bool = False) -> list[PartnerService]:
    access.require(actor, Action.REFER_TO_PARTNER, team_id=actor.team_id)
    query = select(PartnerService).where(PartnerService.team_id == actor.team_id).order_by(PartnerService.name)
    if not include_inactive:
        query = query.where(PartnerService.is_active)
    return list(session.scalars(query))


def _checked(details: ServiceDetails) -> None:
    if not details.name.strip():
        raise FieldError("name", "Enter the service's name")
    if details.pathway not in needs.DOMAIN_LABELS:
        raise FieldError("pathway", "Select the need this service helps with")
    if not details.data_accepted.strip():
        raise FieldError("data_accepted", "Say what information the service accepts")
    if not (details.phone.strip() or details.email.strip()):
        raise FieldError("phone", "Enter a phone number or an email address")


def add_service(session: Session, *, actor: User, details: ServiceDetails, now: datetime) -> PartnerService:
    access.require(actor, Action.MANAGE_DIRECTORY)
    _checked(details)
    service = PartnerService(
        team_id=actor.team_id,
        name=details.name.strip(),
        pathway=details.pathway,
        phone=details.phone.strip() or None,
        email=details.email.strip() or None,
        address=details.address.strip() or None,
        data_accepted=details.data_accepted.strip(),
    )
    session.add(service)
    session.flush()
    audit.record(session, actor=actor, action="directory.service_added", now=now, service_id=service.id)
    return service


def update_service(
    session: Session,
    *,
    actor: User,
    service: PartnerService,
    details: ServiceDetails,
    active: bool,
    seen_version: int,
    now: datetime,
) -> PartnerService:
    access.require(actor, Action.MANAGE_DIRECTORY, team_id=service.team_id)
    if service.version != seen_version:
        raise StaleRecord(stale_message(service.name))
    _checked(details)
    service.name, service.pathway = details.name.strip(), details.pathway
    service.phone, service.email = details.phone.strip() or None, details.email.strip() or None
    service.address, service.data_accepted = details.address.strip() or None, details.data_accepted.strip()
    service.is_active = active
    flush_or_stale(session, stale_message(service.name))
    audit.record(
        session, actor=actor, action="directory.service_changed", now=now, service_id=service.id, active=active
    )
    return service


def get_service(session: Session, *, actor: User, service_id: int) -> PartnerService:
    service = session.get(PartnerService, service_id)
    if service is None:
        raise NotFound("There is no such service.")
    access.require(actor, Action.MANAGE_DIRECTORY, team_id=service.team_id)
    return service


def send_referral(
    session: Session,
    *,
    actor: User,
    case: Case,
    service_id: int | None,
    need_domain: str,
    sent_on: date,
    method: str,
    data_shared: list[str],
    consent_recorded: bool,
    now: datetime,
) -> Referral:
    access.require(actor, Action.REFER_TO_PARTNER, team_id=case.team_id)
    if case.case_state not in OPEN_STATES:
        raise IllegalTransition(f"A case that is '{case.case_state.label}' cannot make new referrals.")
    service = session.get(PartnerService, service_id) if service_id else None
    if service is None or service.team_id != case.team_id or not service.is_active:
        raise FieldError("service_id", "Select a service from your team's directory")
    if need_domain not in needs.DOMAIN_LABELS:
        raise FieldError("need_domain", "Select the need the referral is for")
    if method not in rules.METHODS:
        raise FieldError("method", "Select how the referral was sent")
    if sent_on > local_today(now):
        raise FieldError("sent_on", "The date sent must be today or in the past")
    if not consent_recorded:
        raise FieldError("consent_recorded", "A referral can only be sent with the person's consent")
    if not data_shared or not set(data_shared) <= set(rules.SHAREABLE):
        raise FieldError("data_shared", "Select the information shared with the partner")
    referral = Referral(
        case_id=case.id,
        partner_service_id=service.id,
        need_domain=need_domain,
        sent_on=sent_on,
        method=method,
        data_shared=sorted(data_shared),
        consent_recorded=True,
        status=ReferralStatus.SENT.value,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(referral)
    session.flush()
    referral.updates.append(
        ReferralUpdate(
            status=ReferralStatus.SENT.value,
            happened_on=sent_on,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
    )
    # A disclosure under DPA 2018 s.62: the recipient and exactly which items were shared.
    audit.record(
        session,
        actor=actor,
        action="case.referral_sent",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        recipient=service.name,
        purpose=f"referral for {need_domain}",
        data_shared=sorted(data_shared),
        method=method,
    )
    return referral


def update_status(
    session: Session,
    *,
    actor: User,
    referral: Referral,
    case: Case,
    status: str,
    happened_on: date,
    evidence: str,
    note: str,
    seen_version: int,
    now: datetime,
) -> Referral:
    access.require(actor, Action.REFER_TO_PARTNER, team_id=case.team_id)
    if referral.version != seen_version:
        raise StaleRecord(stale_message("this referral"), case_id=case.id)
    if status not in ReferralStatus._value2member_map_:
        raise FieldError("status", "Select the new status")
    wanted = rules.next_status(ReferralStatus(referral.status), ReferralStatus(status))
    if happened_on > local_today(now) or happened_on < referral.sent_on:
        raise FieldError("happened_on", "The date must be between the day the referral was sent and today")
    if wanted in rules.NEEDS_EVIDENCE and evidence not in rules.EVIDENCE_SOURCES:
        raise FieldError("evidence", "Say how you know")
    referral.status = wanted.value
    referral.updates.append(
        ReferralUpdate(
            status=wanted.value,
            happened_on=happened_on,
            evidence=evidence or None,
            note=note.strip() or None,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
    )
    flush_or_stale(session, stale_message("this referral"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.referral_updated",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        referral_id=referral.id,
        status=wanted.value,
    )
    return referral


def for_case(session: Session, *, case: Case) -> list[Referral]:
    return list(session.scalars(select(Referral).where(Referral.case_id == case.id).order_by(Referral.id)))


def get_referral(session: Session, *, actor: User, case: Case, referral_id: int) -> Referral:
    access.require(actor, Action.REFER_TO_PARTNER, team_id=case.team_id)
    referral = session.get(Referral, referral_id)
    if referral is None or referral.case_id != case.id:
        raise NotFound("There is no such referral.")
    return referral
