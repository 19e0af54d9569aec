"""Drafting the support contract: typed conditions, checked against the scheme's limits as they
are added, so a draft never holds a sixth condition or an hours figure outside the range."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain import contract_terms as terms
from casework.domain import standard_wordings, time_limits
from casework.domain.clock import local
from casework.domain.contract_status import ContractEvent, ContractStatus
from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.errors import FieldError, IllegalTransition, NotFound, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Action
from casework.models import Case, Condition, Contract, PartnerService, User
from casework.services import access, assessment, audit, contract_status, schemes, transitions
from casework.services.concurrency import flush_or_stale, stale_message


def current(session: Session, *, case: Case) -> Contract | None:
    """The newest version, whatever its status: use `in_force` where the signed contract is meant."""
    return session.scalar(
        select(Contract).where(Contract.case_id == case.id).order_by(Contract.version_number.desc()).limit(1)
    )


def in_force(session: Session, *, case: Case) -> Contract | None:
    """The signed version the person is bound by. It stays in force, with its conditions and
    progress, while a variation is drafted and approved, until the variation is signed."""
    return session.scalar(
        select(Contract)
        .where(Contract.case_id == case.id, Contract.status == ContractStatus.SIGNED.value)
        .order_by(Contract.version_number.desc())
        .limit(1)
    )


def pending(session: Session, *, case: Case) -> Contract | None:
    """The version being prepared, not yet signed: a first draft, or a variation."""
    newest = current(session, case=case)
    return newest if newest is not None and newest.contract_status in UNSIGNED else None


UNSIGNED = (ContractStatus.DRAFT, ContractStatus.AWAITING_APPROVAL)


def measured_in_force(session: Session, *, case: Case, condition_id: int) -> bool:
    """Whether a condition of the version in force counts sessions or hours (so progress needs an amount)."""
    contract = in_force(session, case=case)
    condition = next((c for c in (contract.conditions if contract else []) if c.id == condition_id), None)
    return condition is not None and condition.rule in (CompletionRule.SESSIONS.value, CompletionRule.HOURS.value)


def expected_case_state(contract: Contract) -> CaseState:
    """A first contract is prepared before the case is active; a variation while it is active."""
    return CaseState.ACTIVE if contract.version_number > 1 else CaseState.CONTRACT_DRAFT


def provisional_end(session: Session, *, on: date) -> date:
    """If signed on `on`, when the contract would end (the term starts on signing)."""
    months = schemes.settings_on(session, on).contract_length_months
    return time_limits.contract_end_date(on, months=months)


def limits(session: Session, *, now: datetime, contract: Contract | None = None) -> terms.ContractLimits:
    """The scheme's limits, with the end date a draft would have: a variation's planned end, or
    for a first contract the end it would have if signed today."""
    today = local(now).date()
    settings = schemes.settings_on(session, today)
    end_on = contract.planned_ends_on if contract is not None and contract.planned_ends_on else None
    return terms.ContractLimits(
        max_conditions=settings.max_conditions,
        hours_min=settings.community_hours_min,
        hours_max=settings.community_hours_max,
        end_on=end_on or provisional_end(session, on=today),
    )


def startable(session: Session, *, actor: User, case: Case) -> None:
    """Raises the reason a first draft cannot be started now."""
    access.require(actor, Action.DRAFT_CONTRACT, team_id=case.team_id)
    transitions.require_allowed(case, CaseEvent.START_CONTRACT)
    if "entry" not in assessment.summary(session, actor=actor, case=case).by_stage:
        raise IllegalTransition("Record the needs assessment before drafting the contract.")


def start_contract(session: Session, *, actor: User, case: Case, seen_version: int, now: datetime) -> Contract:
    """Open a draft with the mandatory condition and, as suggestions, the two highest-priority
    offending-linked needs as pathway conditions (DOMAIN.md §4.3)."""
    access.require(actor, Action.DRAFT_CONTRACT, team_id=case.team_id)
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)
    startable(session, actor=actor, case=case)
    summary = assessment.summary(session, actor=actor, case=case)
    contract = Contract(
        case_id=case.id,
        version_number=1,
        status=ContractStatus.DRAFT.value,
        created_by_id=actor.id,
        created_at=now,
        changed_at=now,
        version=1,
    )
    contract.conditions.append(
        Condition(
            position=1,
            type=ConditionType.OFFENDING.value,
            wording=terms.OFFENDING_WORDING,
            rule=CompletionRule.WHOLE_TERM.value,
            standard_wording=standard_wordings.OFFENDING,
        )
    )
    for position, score in enumerate(summary.priorities[: terms.MAX_PATHWAY_CONDITIONS], start=2):
        partner = session.scalar(
            select(PartnerService)
            .where(
                PartnerService.team_id == case.team_id, PartnerService.pathway == score.domain, PartnerService.is_active
            )
            .order_by(PartnerService.name)
            .limit(1)
        )
        key = standard_wordings.pathway_key(score.domain)
        contract.conditions.append(
            Condition(
                position=position,
                type=ConditionType.PATHWAY.value,
                wording=standard_wordings.text(key, "en", partner=partner.name if partner else ""),
                rule=CompletionRule.SESSIONS.value,
                target=4,
                partner_service_id=partner.id if partner else None,
                standard_wording=key,
            )
        )
    session.add(contract)
    transitions.move(
        session,
        case,
        CaseEvent.START_CONTRACT,
        actor=actor,
        now=now,
        contract_version=1,
        suggested_pathways=len(contract.conditions) - 1,
    )
    return contract


def changeable(session: Session, *, actor: User, case: Case) -> Contract:
    """The draft whose conditions may be changed now, or the reason none may."""
    access.require(actor, Action.DRAFT_CONTRACT, team_id=case.team_id)
    contract = pending(session, case=case)
    if contract is None:
        raise IllegalTransition("There is no draft to change. A signed version is frozen: vary it instead.")
    contract_status.require_contract(contract, ContractEvent.CHANGE_CONDITIONS)
    if case.case_state is not expected_case_state(contract):
        raise IllegalTransition(f"A case that is '{case.case_state.label}' has no draft contract to change.")
    return contract


def _draft(session: Session, *, actor: User, case: Case, seen_version: int) -> Contract:
    contract = changeable(session, actor=actor, case=case)
    if contract.version != seen_version:
        raise StaleRecord(stale_message("this draft"), case_id=case.id)
    return contract


def as_draft(condition: Condition) -> DraftCondition:
    return DraftCondition(
        type=ConditionType(condition.type),
        wording=condition.wording,
        rule=CompletionRule(condition.rule),
        target=condition.target,
        due_on=condition.due_on,
        partner_service_id=condition.partner_service_id,
        victim_asked=condition.type == ConditionType.VICTIM.value,  # stored ones were confirmed when added
    )


def _check(
    session: Session,
    case: Case,
    proposed: list[DraftCondition],
    changed: DraftCondition | None,
    now: datetime,
    contract: Contract | None = None,
) -> None:
    bounds = limits(session, now=now, contract=contract)
    if changed is not None:
        problem = terms.condition_problem(changed, bounds)
        if problem:
            raise FieldError(*problem)
        if changed.partner_service_id is not None:
            partner = session.get(PartnerService, changed.partner_service_id)
            if partner is None or partner.team_id != case.team_id or not partner.is_active:
                raise FieldError("partner_service_id", "Select a service from your team's directory")
    problem = terms.collection_problem(proposed, bounds)
    if problem:
        raise FieldError("type", problem)


def add_condition(
    session: Session, *, actor: User, case: Case, condition: DraftCondition, seen_version: int, now: datetime
) -> Condition:
    contract = _draft(session, actor=actor, case=case, seen_version=seen_version)
    _check(session, case, [*map(as_draft, contract.conditions), condition], condition, now, contract)
    row = Condition(
        position=len(contract.conditions) + 1,
        type=condition.type.value,
        wording=condition.wording.strip(),
        rule=condition.rule.value,
        target=condition.target,
        due_on=condition.due_on,
        partner_service_id=condition.partner_service_id,
    )
    contract.conditions.append(row)
    _touch(contract, now)
    flush_or_stale(session, stale_message("this draft"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="contract.condition_added",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        condition_type=condition.type.value,
    )
    return row


def update_condition(
    session: Session,
    *,
    actor: User,
    case: Case,
    condition_id: int,
    condition: DraftCondition,
    seen_version: int,
    now: datetime,
) -> Condition:
    contract = _draft(session, actor=actor, case=case, seen_version=seen_version)
    row = _find(contract, condition_id)
    if row.type == ConditionType.OFFENDING.value and condition.type is not ConditionType.OFFENDING:
        raise FieldError("type", "The 'no further offending' condition cannot become another kind")
    proposed = [condition if c.id == row.id else as_draft(c) for c in contract.conditions]
    _check(session, case, proposed, condition, now, contract)
    if condition.wording.strip() != row.wording or condition.type.value != row.type:
        row.standard_wording = None  # the navigator's own words now: printed as written
    row.type, row.wording, row.rule = condition.type.value, condition.wording.strip(), condition.rule.value
    row.target, row.due_on, row.partner_service_id = condition.target, condition.due_on, condition.partner_service_id
    _touch(contract, now)
    flush_or_stale(session, stale_message("this draft"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="contract.condition_changed",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        condition_type=condition.type.value,
    )
    return row


def remove_condition(
    session: Session, *, actor: User, case: Case, condition_id: int, seen_version: int, now: datetime
) -> None:
    contract = _draft(session, actor=actor, case=case, seen_version=seen_version)
    row = _find(contract, condition_id)
    if row.type == ConditionType.OFFENDING.value:
        raise IllegalTransition("The 'no further offending' condition is part of every contract.")
    contract.conditions.remove(row)
    for position, remaining in enumerate(contract.conditions, start=1):
        remaining.position = position
    _touch(contract, now)
    flush_or_stale(session, stale_message("this draft"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="contract.condition_removed",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        condition_type=row.type,
    )


def _touch(contract: Contract, now: datetime) -> None:
    """Every change moves the version on. A variation a supervisor has already approved needs
    approving again: what is signed must be what was approved."""
    contract.changed_at = now
    contract.version += 1
    contract.approved_by_id, contract.approved_at = None, None


def _find(contract: Contract, condition_id: int) -> Condition:
    for condition in contract.conditions:
        if condition.id == condition_id:
            return condition
    raise NotFound("There is no such condition in this draft.")
