"""Progress against the signed contract's conditions: evidence in, status worked out."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.contract_terms import CompletionRule, ConditionStatus
from casework.domain.errors import FieldError, IllegalTransition, NotFound
from casework.domain.lifecycle import CaseState
from casework.domain.referrals import EVIDENCE_SOURCES
from casework.domain.roles import Action
from casework.models import Case, Condition, ConditionProgress, User
from casework.services import access, audit
from casework.services.contracts import current

RUNNING = {CaseState.ACTIVE, CaseState.BREACH_REVIEW, CaseState.SUSPENDED, CaseState.COMPLETION_REVIEW}


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
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    if case.case_state not in RUNNING:
        raise IllegalTransition("Progress can only be recorded while the contract is running.")
    contract = current(session, case=case)
    condition = next((c for c in (contract.conditions if contract else []) if c.id == condition_id), None)
    if condition is None or contract.status != "signed":
        raise NotFound("There is no such condition on the signed contract.")
    rule = CompletionRule(condition.rule)
    if happened_on > local_today(now) or (contract.starts_on and happened_on < contract.starts_on):
        raise FieldError("happened_on", "The date must be between the start of the contract and today")
    if evidence not in EVIDENCE_SOURCES:
        raise FieldError("evidence", "Say how you know")
    if rule in (CompletionRule.SESSIONS, CompletionRule.HOURS) and not (amount or 0) >= 1:
        raise FieldError("amount", "Enter how many sessions or hours")
    condition.progress.append(
        ConditionProgress(
            happened_on=happened_on,
            amount=amount,
            evidence=evidence,
            note=note.strip() or None,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
    )
    condition.status = _status(condition, rule, at_risk=at_risk).value
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
    )
    return condition


def _status(condition: Condition, rule: CompletionRule, *, at_risk: bool) -> ConditionStatus:
    if rule in (CompletionRule.SESSIONS, CompletionRule.HOURS):
        if condition.achieved >= (condition.target or 0):
            return ConditionStatus.MET
    elif rule in (CompletionRule.DOCUMENT, CompletionRule.BY_DATE):
        return ConditionStatus.MET
    return ConditionStatus.AT_RISK if at_risk else ConditionStatus.IN_PROGRESS


SUPERVISOR_OUTCOMES = (ConditionStatus.WAIVED, ConditionStatus.NOT_MET)


def decide_condition(
    session: Session, *, actor: User, case: Case, condition_id: int, outcome: str, reason: str, now: datetime
) -> Condition:
    """A supervisor waives a condition or finds it not met; either way with a recorded reason."""
    access.require(actor, Action.APPROVE_CONTRACT, team_id=case.team_id)
    if case.case_state not in RUNNING:
        raise IllegalTransition("Conditions can only be decided while the contract is running.")
    contract = current(session, case=case)
    condition = next((c for c in (contract.conditions if contract else []) if c.id == condition_id), None)
    if condition is None or contract.status != "signed":
        raise NotFound("There is no such condition on the signed contract.")
    if outcome not in {s.value for s in SUPERVISOR_OUTCOMES}:
        raise FieldError("outcome", "Select waived or not met")
    if condition.type == "offending" and outcome == ConditionStatus.WAIVED.value:
        raise FieldError("outcome", "The 'no further offending' condition cannot be waived")
    if len(reason.strip()) < 10:
        raise FieldError("reason", "Give the reason, at least 10 characters")
    condition.status = outcome
    condition.progress.append(
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
