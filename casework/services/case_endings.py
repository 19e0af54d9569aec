"""Two ways out that were missing (DOMAIN.md §3.1): a referral that never made contact ends for a
prosecution decision; a case opened by mistake is withdrawn in error, kept for audit and left out
of the not-offered figures (it was never a decision about the person)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.clock import local
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Action, Role
from casework.models import AuditEvent, Case, User
from casework.services import access, transitions
from casework.services.audit import CONSULTATIONS
from casework.services.concurrency import stale_message

WITHDRAWAL_REASONS = {
    "duplicate": "A duplicate of another case",
    "wrong_person": "Opened for the wrong person",
    "opened_by_mistake": "Opened by mistake",
    "other": "Another reason",
}
MIN_REASON = 20
MAX_TEXT = 2000


def _require_version(case: Case, seen_version: int) -> None:
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)


def withdrawal_refusal(session: Session, *, actor: User, case: Case) -> str | None:
    """Why this actor may not withdraw this case, or None: pages offer the button only when they may.
    An eligibility check is the custody desk's own work; once it has left the desk, only a
    supervisor can say it was a mistake."""
    access.require(actor, Action.WITHDRAW_CASE, team_id=case.team_id)
    if case.case_state.is_terminal:
        return f"This case is {case.case_state.label.lower()} and can no longer change."
    if actor.has_role(Role.SUPERVISOR):
        return None
    if case.case_state is not CaseState.ELIGIBILITY_DRAFT:
        return "Only a supervisor can withdraw a case once the eligibility check is finished."
    if not _working_on(session, actor, case):
        return "Only the sergeant working on this eligibility check, or a supervisor, can withdraw it."
    return None


def _working_on(session: Session, actor: User, case: Case) -> bool:
    """The sergeant who opened the check, or who has recorded anything on it since (looking at it is
    not working on it)."""
    if case.opened_by_id == actor.id:
        return True
    mine = (
        select(AuditEvent.sequence)
        .where(AuditEvent.case_id == case.id, AuditEvent.actor_id == actor.id, AuditEvent.action.notin_(CONSULTATIONS))
        .limit(1)
    )
    return session.scalar(mine) is not None


def withdraw_in_error(
    session: Session, *, actor: User, case: Case, reason: str, detail: str, seen_version: int, now: datetime
) -> Case:
    refusal = withdrawal_refusal(session, actor=actor, case=case)
    _require_version(case, seen_version)
    transitions.require_allowed(case, CaseEvent.WITHDRAW_IN_ERROR)
    if refusal:
        raise NotPermitted(refusal)
    problems = []
    if reason not in WITHDRAWAL_REASONS:
        problems.append(FieldError("reason", "Select why the case is being withdrawn"))
    if not detail.strip():
        problems.append(FieldError("detail", "Explain what happened, for example which case this one duplicates"))
    elif len(detail.strip()) > MAX_TEXT:
        problems.append(FieldError("detail", f"Explain in {MAX_TEXT} characters or fewer"))
    FieldErrors.raise_any(problems)
    case.withdrawal_reason, case.withdrawal_detail = reason, detail.strip()
    transitions.move(session, case, CaseEvent.WITHDRAW_IN_ERROR, actor=actor, now=now, reason=reason)
    return case


def end_for_no_contact(
    session: Session, *, actor: User, case: Case, reason: str, seen_version: int, now: datetime
) -> Case:
    """A supervisor ends a referral whose person never made contact: the case is terminated and
    passes for a prosecution decision, instead of sitting in the referred queue for ever."""
    access.require(actor, Action.TERMINATE_CASE, team_id=case.team_id)
    _require_version(case, seen_version)
    transitions.require_allowed(case, CaseEvent.TERMINATE_NO_CONTACT)
    if case.first_appointment_at and case.first_appointment_at > now:
        shown = local(case.first_appointment_at)
        raise IllegalTransition(
            f"The first appointment, on {shown.day} {shown:%B %Y}, has not happened yet. "
            "End the case for no contact only after the person has had the chance to attend."
        )
    if len(reason.strip()) < MIN_REASON:
        raise FieldError("reason", f"Write why the case is ending, at least {MIN_REASON} characters")
    if len(reason.strip()) > MAX_TEXT:
        raise FieldError("reason", f"Write the reason in {MAX_TEXT} characters or fewer")
    case.termination_reason = reason.strip()
    transitions.move(session, case, CaseEvent.TERMINATE_NO_CONTACT, actor=actor, now=now)
    return case
