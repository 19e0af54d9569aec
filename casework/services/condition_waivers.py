"""A supervisor waives a condition of the signed contract in force (DOMAIN.md §3.2: every condition
must be met "or waived by supervisor with reason" before completion), recording who, when and why.

A waiver is a decision, so it moves the condition through the status table like any other and
nothing moves it afterwards; a met condition cannot be waived (there is nothing to forgive)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.contract_status import ConditionEvent
from casework.domain.contract_terms import ConditionType
from casework.domain.errors import DomainError, FieldError, IllegalTransition, NotFound
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.models import Case, Condition, ConditionProgress, User
from casework.services import access, audit, contract_status, contracts

MIN_REASON = 10
MAX_REASON = 2000
# The states in which a signed contract is still running, so its conditions can still be decided.
RUNNING = frozenset({CaseState.ACTIVE, CaseState.BREACH_REVIEW, CaseState.SUSPENDED, CaseState.COMPLETION_REVIEW})


def waivable(session: Session, *, actor: User, case: Case, condition_id: int) -> Condition:
    """The condition in force this supervisor may waive, or the reason not (pages offer the button only then)."""
    contract = contracts.in_force(session, case=case)
    condition = next((c for c in (contract.conditions if contract else []) if c.id == condition_id), None)
    return _waivable(actor, case, condition)


def may_waive(actor: User, case: Case, condition: Condition) -> bool:
    """Whether the page offers to waive this condition of the version in force (the rules of `waivable`)."""
    try:
        _waivable(actor, case, condition)
    except DomainError:
        return False
    return True


def _waivable(actor: User, case: Case, condition: Condition | None) -> Condition:
    access.require(actor, Action.WAIVE_CONDITION, team_id=case.team_id)
    if case.case_state.is_terminal:
        raise IllegalTransition(f"This case is {case.case_state.label.lower()}: its conditions can no longer change.")
    if case.case_state not in RUNNING:
        raise IllegalTransition("Conditions can only be waived while the signed contract is running.")
    if condition is None:
        raise NotFound("There is no such condition on the signed contract.")
    if condition.type == ConditionType.OFFENDING.value:
        raise IllegalTransition("The 'no further offending' condition cannot be waived.")
    try:
        contract_status.require_condition(condition, ConditionEvent.WAIVE)
    except IllegalTransition as refusal:
        raise IllegalTransition(f"Condition {condition.position}: {refusal.message}") from None
    return condition


def waive_condition(
    session: Session, *, actor: User, case: Case, condition_id: int, reason: str, now: datetime
) -> Condition:
    """Waive it, and its copy in a variation waiting to be signed, so the waiver carries over."""
    condition = waivable(session, actor=actor, case=case, condition_id=condition_id)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise FieldError("reason", f"Give the reason for waiving the condition, at least {MIN_REASON} characters")
    if len(reason) > MAX_REASON:
        raise FieldError("reason", f"Give the reason in {MAX_REASON} characters or fewer")
    variation = contracts.pending(session, case=case)
    copies = [c for c in (variation.conditions if variation else []) if c.copied_from_id == condition.id]
    # A copy that has moved on its own (met on the variation, say) is left as it is.
    for target in [condition, *[c for c in copies if _may_waive(c)]]:
        contract_status.move_condition(target, ConditionEvent.WAIVE)
        target.waived_by_id, target.waived_at, target.waiver_reason = actor.id, now, reason
        # Also in the condition's own history, where the condition page lists what happened to it.
        target.progress.append(
            ConditionProgress(
                happened_on=local_today(now),
                amount=None,
                evidence="navigator_observed",
                note=f"Waived: {reason}",
                recorded_by_id=actor.id,
                recorded_at=now,
            )
        )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="contract.condition_waived",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        condition=condition.position,
        contract_version=condition.contract.version_number,
        also_on_variation=bool(copies),
    )
    return condition


def _may_waive(condition: Condition) -> bool:
    try:
        contract_status.require_condition(condition, ConditionEvent.WAIVE)
    except IllegalTransition:
        return False
    return True
