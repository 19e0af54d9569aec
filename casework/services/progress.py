"""Progress against the signed contract's conditions: evidence in, status worked out through the
condition status table (domain.contract_status).

Progress is recorded against the version in force. While a variation waits to be approved and
signed, each entry is recorded on the variation's copy of the condition too, so it carries over
when the variation is signed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.contract_status import ConditionEvent
from casework.domain.contract_terms import CompletionRule, ConditionStatus, ConditionType
from casework.domain.errors import DomainError, FieldError, IllegalTransition, NotFound
from casework.domain.lifecycle import CaseState
from casework.domain.referrals import EVIDENCE_SOURCES
from casework.domain.roles import Action
from casework.models import Case, Condition, ConditionProgress, Contract, User
from casework.services import access, audit, condition_waivers, contract_status
from casework.services.contracts import in_force, pending

RUNNING = {CaseState.ACTIVE, CaseState.BREACH_REVIEW, CaseState.SUSPENDED, CaseState.COMPLETION_REVIEW}


def _condition_in_force(session: Session, *, case: Case, condition_id: int) -> Condition:
    if case.case_state not in RUNNING:
        raise IllegalTransition("Progress can only be recorded while the contract is running.")
    contract = in_force(session, case=case)
    condition = next((c for c in (contract.conditions if contract else []) if c.id == condition_id), None)
    if condition is None:
        raise NotFound("There is no such condition on the signed contract.")
    return condition


def _carried(session: Session, *, case: Case, condition: Condition) -> list[Condition]:
    """The condition, and its copy in a variation waiting to be signed (if the variation kept it)."""
    variation = pending(session, case=case)
    copies = [c for c in (variation.conditions if variation else []) if c.copied_from_id == condition.id]
    return [condition, *copies]


@dataclass(frozen=True)
class ConditionChoices:
    """What this user may do with one condition in force: the page offers only these."""

    condition: Condition
    record: bool
    decide: bool


def choices(session: Session, *, actor: User, case: Case, condition_id: int) -> ConditionChoices:
    condition = _condition_in_force(session, case=case, condition_id=condition_id)
    return ConditionChoices(
        condition=condition,
        record=_works(lambda: recordable(session, actor=actor, case=case, condition_id=condition_id)),
        decide=_works(lambda: decidable(session, actor=actor, case=case, condition_id=condition_id)),
    )


def recordable_ids(session: Session, *, actor: User, case: Case) -> frozenset[int]:
    """The conditions in force this user may record progress against now, for the case page.
    One query for the version in force, then the same checks `recordable` makes, per condition."""
    return recordable_in(actor=actor, case=case, signed=in_force(session, case=case))


def recordable_in(*, actor: User, case: Case, signed: Contract | None) -> frozenset[int]:
    """`recordable_ids` given the version in force, for a page that has loaded it already."""
    if case.case_state not in RUNNING or not access.can(actor, Action.RECORD_CONTACT, team_id=case.team_id):
        return frozenset()
    return frozenset(c.id for c in (signed.conditions if signed else []) if _works(lambda c=c: _may_record(c)))


def _works(check: Callable[[], object]) -> bool:
    try:
        check()
    except DomainError:
        return False
    return True


def progress_event(condition: Condition, achieved: int, *, at_risk: bool) -> ConditionEvent:
    """What new evidence does to a condition: its target reached, still going, or at risk."""
    rule = CompletionRule(condition.rule)
    if rule in (CompletionRule.SESSIONS, CompletionRule.HOURS) and achieved >= (condition.target or 0):
        return ConditionEvent.REACH_TARGET
    if rule in (CompletionRule.DOCUMENT, CompletionRule.BY_DATE):
        return ConditionEvent.REACH_TARGET
    return ConditionEvent.REPORT_AT_RISK if at_risk else ConditionEvent.RECORD_PROGRESS


def recordable(session: Session, *, actor: User, case: Case, condition_id: int) -> Condition:
    """The condition in force this actor may record progress against, or the reason not."""
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    condition = _condition_in_force(session, case=case, condition_id=condition_id)
    _may_record(condition)
    return condition


def _may_record(condition: Condition) -> None:
    """Refuses a condition nobody records progress against: the offending one, or one decided."""
    if condition.type == ConditionType.OFFENDING.value:
        raise IllegalTransition("The 'no further offending' condition is kept, not worked towards.")
    if condition.condition_status in (ConditionStatus.WAIVED, ConditionStatus.NOT_MET):
        _require(condition, ConditionEvent.RECORD_PROGRESS)


def record_progress(
    session: Session,
    *,
    actor: User,
    case: Case,
    condition_id: int,
    happened_on: date,
    amount: int | None,
    evidence: str,
    note: str,
    at_risk: bool,
    now: datetime,
) -> Condition:
    condition = recordable(session, actor=actor, case=case, condition_id=condition_id)
    rule = CompletionRule(condition.rule)
    if happened_on > local_today(now) or (condition.contract.starts_on and happened_on < condition.contract.starts_on):
        raise FieldError("happened_on", "The date must be between the start of the contract and today")
    if evidence not in EVIDENCE_SOURCES:
        raise FieldError("evidence", "Say how you know")
    if rule in (CompletionRule.SESSIONS, CompletionRule.HOURS) and not (amount or 0) >= 1:
        raise FieldError("amount", "Enter how many sessions or hours")
    event = progress_event(condition, condition.achieved + (amount or 0), at_risk=at_risk)
    _require(condition, event)  # checked before anything is written, so a refusal changes nothing
    moves = [(condition, event)]
    for copy in _carried(session, case=case, condition=condition)[1:]:
        copied_event = progress_event(copy, copy.achieved + (amount or 0), at_risk=at_risk)
        if _allows(copy, copied_event):
            moves.append((copy, copied_event))
    for target, event in moves:
        target.progress.append(
            ConditionProgress(
                happened_on=happened_on,
                amount=amount,
                evidence=evidence,
                note=note.strip() or None,
                recorded_by_id=actor.id,
                recorded_at=now,
            )
        )
        contract_status.move_condition(target, event)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="contract.progress_recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        condition=condition.position,
        status=condition.status,
        also_on_variation=len(moves) > 1,
    )
    return condition


def _require(condition: Condition, event: ConditionEvent) -> None:
    try:
        contract_status.require_condition(condition, event)
    except IllegalTransition as refusal:
        raise IllegalTransition(f"Condition {condition.position}: {refusal.message}") from None


SUPERVISOR_OUTCOMES = {ConditionStatus.WAIVED.value: ConditionEvent.WAIVE, "not_met": ConditionEvent.FIND_NOT_MET}


def decidable(session: Session, *, actor: User, case: Case, condition_id: int) -> Condition:
    """The condition in force this supervisor may decide, or the reason not."""
    access.require(actor, Action.APPROVE_CONTRACT, team_id=case.team_id)
    if case.case_state not in RUNNING:
        raise IllegalTransition("Conditions can only be decided while the contract is running.")
    condition = _condition_in_force(session, case=case, condition_id=condition_id)
    _require(condition, ConditionEvent.FIND_NOT_MET)  # waiving is open from the same statuses
    return condition


def _allows(condition: Condition, event: ConditionEvent) -> bool:
    return _works(lambda: contract_status.require_condition(condition, event))


def decide_condition(
    session: Session, *, actor: User, case: Case, condition_id: int, outcome: str, reason: str, now: datetime
) -> Condition:
    """A supervisor waives a condition or finds it not met; either way with a recorded reason."""
    condition = decidable(session, actor=actor, case=case, condition_id=condition_id)
    if outcome not in SUPERVISOR_OUTCOMES:
        raise FieldError("outcome", "Select waived or not met")
    if condition.type == ConditionType.OFFENDING.value and outcome == ConditionStatus.WAIVED.value:
        raise FieldError("outcome", "The 'no further offending' condition cannot be waived")
    if len(reason.strip()) < 10:
        raise FieldError("reason", "Give the reason, at least 10 characters")
    if outcome == ConditionStatus.WAIVED.value:
        # One way to waive, recording who, when and why on the condition itself.
        return condition_waivers.waive_condition(
            session, actor=actor, case=case, condition_id=condition_id, reason=reason, now=now
        )
    event = SUPERVISOR_OUTCOMES[outcome]
    _require(condition, event)
    for target in [c for c in _carried(session, case=case, condition=condition) if _allows(c, event)]:
        contract_status.move_condition(target, event)
        target.progress.append(
            ConditionProgress(
                happened_on=local_today(now),
                amount=None,
                evidence="navigator_observed",
                note=f"{outcome.replace('_', ' ').capitalize()}: {reason.strip()}",
                recorded_by_id=actor.id,
                recorded_at=now,
            )
        )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="contract.condition_decided",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        condition=condition.position,
        outcome=outcome,
    )
    return condition
