"""Varying a signed contract (DOMAIN.md §5.3): a new version with the person's consent and a
reason, approved by a supervisor and re-signed; the earlier version stays readable."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.contract_status import ContractEvent, ContractStatus
from casework.domain.errors import FieldError, IllegalTransition, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.models import Case, Condition, ConditionProgress, Contract, User
from casework.services import access, audit, contract_status
from casework.services.concurrency import flush_or_stale, stale_message
from casework.services.contracts import in_force, pending

MAX_EXTENSION_WEEKS = 8


def variable(session: Session, *, actor: User, case: Case) -> Contract:
    """The signed contract this actor may start varying now, or the reason they may not."""
    access.require(actor, Action.DRAFT_CONTRACT, team_id=case.team_id)
    signed = in_force(session, case=case)
    if case.case_state is not CaseState.ACTIVE or signed is None:
        raise IllegalTransition("Only a signed contract on an active case can be varied.")
    if pending(session, case=case) is not None:
        raise IllegalTransition("A variation of this contract is already being prepared.")
    contract_status.require_contract(signed, ContractEvent.VARY)
    return signed


def approvable_variation(session: Session, *, actor: User, case: Case) -> Contract:
    """The variation waiting for this supervisor's approval, or the reason it is not theirs to approve."""
    access.require(actor, Action.APPROVE_CONTRACT, team_id=case.team_id)
    variation = pending(session, case=case)
    if variation is None or variation.version_number < 2 or case.case_state is not CaseState.ACTIVE:
        raise IllegalTransition("There is no variation waiting for approval.")
    contract_status.require_contract(variation, ContractEvent.APPROVE_VARIATION)
    if variation.approved_at is not None:
        raise IllegalTransition("A supervisor has already approved this variation.")
    if variation.created_by_id == actor.id:
        raise IllegalTransition("You started this variation, so another supervisor must approve it.")
    return variation


def start_variation(
    session: Session,
    *,
    actor: User,
    case: Case,
    reason: str,
    consent: bool,
    extend_weeks: int,
    seen_version: int,
    now: datetime,
) -> Contract:
    signed = variable(session, actor=actor, case=case)
    if signed.version != seen_version:
        raise StaleRecord(stale_message("this contract"), case_id=case.id)
    if not reason.strip():
        raise FieldError("reason", "Explain why the contract is being varied")
    if not consent:
        raise FieldError("consent", "A variation needs the person's consent")
    if not 0 <= extend_weeks <= MAX_EXTENSION_WEEKS:
        raise FieldError("extend_weeks", f"Extend by 0 to {MAX_EXTENSION_WEEKS} weeks")
    variation = Contract(
        case_id=case.id,
        version_number=signed.version_number + 1,
        status=ContractStatus.DRAFT.value,
        created_by_id=actor.id,
        created_at=now,
        changed_at=now,
        version=1,
        variation_reason=reason.strip(),
        planned_ends_on=signed.ends_on + timedelta(weeks=extend_weeks),
    )
    for old in signed.conditions:
        copy = Condition(
            position=old.position,
            type=old.type,
            wording=old.wording,
            rule=old.rule,
            target=old.target,
            due_on=old.due_on,
            partner_service_id=old.partner_service_id,
            status=old.status,
            standard_wording=old.standard_wording,
            copied_from_id=old.id,
        )
        # Progress already made still counts under the new version.
        copy.progress = [
            ConditionProgress(
                happened_on=p.happened_on,
                amount=p.amount,
                evidence=p.evidence,
                note=p.note,
                recorded_by_id=p.recorded_by_id,
                recorded_at=p.recorded_at,
            )
            for p in old.progress
        ]
        variation.conditions.append(copy)
    session.add(variation)
    # Two variations started at once both take the next version number: the unique key refuses one.
    flush_or_stale(session, stale_message("this contract"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="contract.variation_started",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        contract_version=variation.version_number,
        extend_weeks=extend_weeks,
    )
    return variation


def approve_variation(session: Session, *, actor: User, case: Case, seen_version: int, now: datetime) -> Contract:
    """Variations always need a supervisor, and not the one who asked for the variation."""
    variation = approvable_variation(session, actor=actor, case=case)
    if variation.version != seen_version:
        raise StaleRecord(stale_message("this variation"), case_id=case.id)
    variation.approved_by_id, variation.approved_at = actor.id, now
    variation.version += 1
    flush_or_stale(session, stale_message("this variation"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="contract.variation_approved",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        contract_version=variation.version_number,
    )
    return variation


def versions(session: Session, *, case: Case) -> list[Contract]:
    return list(
        session.scalars(select(Contract).where(Contract.case_id == case.id).order_by(Contract.version_number.desc()))
    )
