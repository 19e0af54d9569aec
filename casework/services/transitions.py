"""The one way a case changes state (DOMAIN.md §3).

The lifecycle table decides whether the step is allowed; the data the database ties to a state (a
closed case has its closing time, a referred case its referral time) is set in the same step; the
version check catches a concurrent change; the audit trail records who moved it, from what, to what.
tests/test_architecture.py fails if any other module assigns a case's state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.domain.errors import IllegalTransition
from casework.domain.lifecycle import ENDED_EARLY_STATES, CaseEvent, CaseState, next_state
from casework.models import Case, User
from casework.services import audit, check_in_schedule, reoffending_follow_ups, victim_updates
from casework.services.concurrency import flush_or_stale, stale_message


def require_allowed(case: Case, *events: CaseEvent) -> None:
    """Refuse before touching anything, so a refused step leaves the case exactly as it was.
    With several events, any one of them being allowed is enough."""
    refusal: IllegalTransition | None = None
    for event in events:
        try:
            next_state(case.case_state, event)
            return
        except IllegalTransition as problem:
            refusal = problem
    if refusal is not None:
        raise refusal


def move(session: Session, case: Case, event: CaseEvent, *, actor: User | None, now: datetime, **detail) -> CaseState:
    """Apply one lifecycle event: state, the data tied to it, the version check and the audit event."""
    before = case.case_state
    after = next_state(before, event)
    case.state = after.value
    _tie_data(case, after, now)
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action=f"case.{event.value}",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        from_state=before.value,
        to_state=after.value,
        **detail,
    )
    if after.is_terminal or after in ENDED_EARLY_STATES:
        check_in_schedule.cancel_for_closed_case(session, case=case, actor=actor, now=now)
    # What the victim is owed (contract start, outcome) and the reoffending checks of a closed case.
    victim_updates.owe_for_transition(session, case, before, after, now)
    reoffending_follow_ups.create_for_transition(session, case, after, now)
    if after is CaseState.TERMINATED:
        # A terminated contract is not a resting place: the case goes straight on to the
        # prosecution decision, so the s.127 clock is always in someone's queue (DOMAIN.md §3.1).
        return move(session, case, CaseEvent.PASS_FOR_DECISION, actor=None, now=now)
    return after


def _tie_data(case: Case, state: CaseState, now: datetime) -> None:
    """What the CHECK constraints on `cases` require of each state (models/cases.py)."""
    case.closed_at = now if state.is_terminal else None
    if state is CaseState.REFERRED and case.referred_at is None:
        case.referred_at = now
