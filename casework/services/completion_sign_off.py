"""Signing off a completion (DOMAIN.md §3.2): a supervisor other than the case's navigator, and other
than whoever asked for the review, confirms it; the case closes with the scheme's completion outcome
code and the date to enter on force systems. Or the supervisor finds a condition not met, and the
case goes back to a breach review.

Who may not sign off: the navigator (their own work) and the person who asked for the review (their
own request; LESSONS.md "nobody approves their own request"). Whoever last recorded progress on a
condition is not barred: recording evidence is routine work any supervisor covering a caseload does,
and the sign-off rests on the conditions' statuses and the open breaches, not on one entry; barring
them would leave small teams without a signer while adding no second pair of eyes the two rules
above do not already give."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.breaches import BreachKind, BreachStatus, ReviewReason
from casework.domain.clock import local_today
from casework.domain.contract_status import ConditionEvent
from casework.domain.contract_terms import ConditionType
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseEvent
from casework.domain.outcome_codes import Route
from casework.domain.roles import Action
from casework.models import Breach, Case, CaseOutcome, CompletionReview, Condition, Contract, User
from casework.services import (
    access,
    audit,
    breach_evidence,
    completion,
    contract_status,
    contracts,
    outcome_codes,
    schemes,
    transitions,
)
from casework.services.concurrency import flush_or_stale, stale_message

MIN_TEXT = 10
MAX_TEXT = 4000


def sign_off_refusal(session: Session, *, actor: User, case: Case) -> str | None:
    """Why this user may not sign off this case now, or None (the page offers the button only then).
    The completion preconditions are listed separately, by completion.unmet."""
    return sign_off_refusal_given(actor, case, review=completion.current_review(session, case=case))


def sign_off_refusal_given(actor: User, case: Case, *, review: CompletionReview | None) -> str | None:
    """`sign_off_refusal` given the case's current review, for a page that has loaded it already."""
    if not access.can(actor, Action.SIGN_OFF_COMPLETION, team_id=case.team_id):
        return "Only a supervisor in the case's team can sign off a completion."
    try:
        transitions.require_allowed(case, CaseEvent.COMPLETE)
    except IllegalTransition as refusal:
        return refusal.message
    if case.navigator_id == actor.id:
        return "You are this case's navigator: another supervisor must sign off its completion."
    if review is not None and review.requested_by_id == actor.id:
        return "You asked for this completion review: another supervisor must sign it off."
    return None


def _seen(case: Case, seen_version: int) -> None:
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)


def _text(field: str, value: str, what: str) -> str:
    value = (value or "").strip()
    if len(value) < MIN_TEXT:
        raise FieldError(field, f"{what}, at least {MIN_TEXT} characters")
    if len(value) > MAX_TEXT:
        raise FieldError(field, f"{what} in {MAX_TEXT} characters or fewer")
    return value


def sign_off(
    session: Session,
    *,
    actor: User,
    case: Case,
    rationale: str,
    exit_not_done_reason: str,
    seen_version: int,
    now: datetime,
) -> CaseOutcome:
    """Close the case as completed: COMPLETION_REVIEW -> COMPLETED with its CaseOutcome."""
    access.require(actor, Action.SIGN_OFF_COMPLETION, team_id=case.team_id)
    refusal = sign_off_refusal(session, actor=actor, case=case)
    _seen(case, seen_version)
    transitions.require_allowed(case, CaseEvent.COMPLETE)
    if refusal:
        raise NotPermitted(refusal)
    today = local_today(now)
    exit_done = completion.exit_assessment_done(session, case=case)
    reasons = completion.unmet(
        session, case=case, today=today, signing_off=True, exit_not_done_reason=exit_not_done_reason
    )
    problems = [
        FieldError("exit_not_done_reason" if r.what == "exit_assessment" else "completion", r.text) for r in reasons
    ]
    try:
        rationale = _text("rationale", rationale, "Write why the contract is complete")
    except FieldError as problem:
        problems.append(problem)
    FieldErrors.raise_any(problems)
    # The code the scheme closes completed cases with, checked against the code table for today.
    settings = schemes.settings_on(session, today)
    code = outcome_codes.require(
        session, code=settings.completion_outcome_code, route=Route.COMPLETION, on=today, field="completion"
    )
    review = completion.current_review(session, case=case) or completion.record_review(session, case=case, now=now)
    if not exit_done:
        review.exit_not_done_reason = _text("exit_not_done_reason", exit_not_done_reason, "Say why it was not done")
        review.exit_not_done_by_id = actor.id
    transitions.move(session, case, CaseEvent.COMPLETE, actor=actor, now=now, code=code.code)
    outcome = CaseOutcome(
        case_id=case.id,
        route=Route.COMPLETION.value,
        code=code.code,
        rationale=rationale,
        decided_by_id=actor.id,
        decided_at=now,
        effective_on=today,
    )
    session.add(outcome)
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.outcome_recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        route=Route.COMPLETION.value,
        code=code.code,
        effective_on=today.isoformat(),
        exit_assessment="done" if exit_done else "not done, reason recorded",
    )
    return outcome


def outcome_for(session: Session, *, case: Case) -> CaseOutcome | None:
    return session.scalar(select(CaseOutcome).where(CaseOutcome.case_id == case.id))


def unmet_choices(session: Session, *, case: Case) -> list[Condition]:
    """The conditions in force a supervisor may find not met at completion review."""
    return unmet_choices_in(contracts.in_force(session, case=case))


def unmet_choices_in(contract: Contract | None) -> list[Condition]:
    """`unmet_choices` from the version in force, for a page that has loaded it already."""
    return [c for c in (contract.conditions if contract else []) if _may_find_not_met(c)]


def _may_find_not_met(condition: Condition) -> bool:
    if condition.type == ConditionType.OFFENDING.value:
        return False  # an offence is a breach of its own kind, recorded as a new offence
    try:
        contract_status.require_condition(condition, ConditionEvent.FIND_NOT_MET)
    except IllegalTransition:
        return False
    return True


def find_condition_unmet(
    session: Session,
    *,
    actor: User,
    case: Case,
    condition_id: int | None,
    reason: str,
    seen_version: int,
    now: datetime,
) -> Breach:
    """In review, a supervisor finds a condition not met: the condition is marked so, a breach of that
    condition goes to a supervisor's decision, and the case goes back to breach review."""
    access.require(actor, Action.SIGN_OFF_COMPLETION, team_id=case.team_id)
    _seen(case, seen_version)
    transitions.require_allowed(case, CaseEvent.FIND_CONDITION_UNMET)
    condition = next((c for c in unmet_choices(session, case=case) if c.id == condition_id), None)
    if condition_id is None:
        raise FieldError("condition_id", "Select the condition that was not met")
    if condition is None:
        raise NotFound("That condition cannot be found not met: it is met, waived, or not on the signed contract.")
    reason = _text("reason", reason, "Write why the condition was not met")
    taken = session.scalar(
        select(Breach.id).where(Breach.kind == BreachKind.CONDITION_NOT_MET.value, Breach.condition_id == condition.id)
    )
    if taken is not None:
        raise IllegalTransition(
            f"A breach of condition {condition.position} has already been recorded and decided: "
            "record what has happened since as a new breach."
        )
    today = local_today(now)
    contract_status.move_condition(condition, ConditionEvent.FIND_NOT_MET)
    breach = Breach(
        case_id=case.id,
        kind=BreachKind.CONDITION_NOT_MET.value,
        status=BreachStatus.REVIEW.value,
        occurred_on=today,
        summary=reason,
        raised_by_id=actor.id,
        raised_at=now,
        contract_id=condition.contract_id,
        condition_id=condition.id,
        # The §7.3 evidence as it stood when the supervisor found the condition not met, like any breach.
        evidence={
            **breach_evidence.snapshot(
                session,
                case=case,
                kind=BreachKind.CONDITION_NOT_MET,
                contract=condition.contract,
                condition=condition,
                evidence_note=reason,
                now=now,
            ),
            "found_at": "completion review",
        },
        review_reason=ReviewReason.FOUND_AT_COMPLETION.value,
        review_requested_at=now,
        review_requested_by_id=actor.id,
    )
    session.add(breach)
    transitions.move(session, case, CaseEvent.FIND_CONDITION_UNMET, actor=actor, now=now, condition=condition.position)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="breach.recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        kind=BreachKind.CONDITION_NOT_MET.value,
        breach_id=breach.id,
        condition=condition.position,
        review_reason=ReviewReason.FOUND_AT_COMPLETION.value,
    )
    return breach
