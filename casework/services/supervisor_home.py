"""The figures on the supervisor's home page, one function per panel, each one query over the
team's cases (the breach panel is the breach queue's own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from casework.domain import time_limits
from casework.domain.lifecycle import OPEN_STATES, CaseState
from casework.domain.roles import Action, Role
from casework.models import Case, User, UserRole
from casework.services import access, breach_queue, today

DEADLINE_WINDOW_DAYS = 28
TOP = 5

# A case still waiting on someone while the statutory clock runs: open, or ended and awaiting the
# prosecution decision.
_CLOCK_RUNNING = sorted(state.value for state in OPEN_STATES | {CaseState.TERMINATED, CaseState.PROSECUTION_DECISION})


@dataclass(frozen=True)
class Breaches:
    count: int
    top: list[breach_queue.Waiting]


@dataclass(frozen=True)
class NearDeadline:
    case: Case
    days_left: int


@dataclass(frozen=True)
class Caseload:
    navigator: User
    open_cases: int
    outcomes_to_record: int


def breaches_awaiting(session: Session, *, actor: User, on: date) -> Breaches:
    return Breaches(
        count=breach_queue.count(session, actor=actor),
        top=breach_queue.queue(session, actor=actor, today=on, limit=TOP),
    )


def near_deadline(session: Session, *, actor: User, on: date) -> list[NearDeadline]:
    """Cases whose decision deadline is within 28 days, or already passed, soonest first."""
    access.require(actor, Action.VIEW_TEAM, team_id=actor.team_id)
    cases = session.scalars(
        select(Case)
        .where(
            Case.team_id == actor.team_id,
            Case.state.in_(_CLOCK_RUNNING),
            Case.decision_deadline_on <= on + timedelta(days=DEADLINE_WINDOW_DAYS),
        )
        .order_by(Case.decision_deadline_on, Case.id)
    ).all()
    return [NearDeadline(case=case, days_left=time_limits.days_until(case.decision_deadline_on, on)) for case in cases]


def awaiting_sign_off(session: Session, *, actor: User) -> list[Case]:
    """Completions waiting for a supervisor: cases in completion review, the longest waiting first."""
    access.require(actor, Action.VIEW_TEAM, team_id=actor.team_id)
    return list(
        session.scalars(
            select(Case)
            .where(Case.team_id == actor.team_id, Case.state == CaseState.COMPLETION_REVIEW.value)
            .order_by(Case.decision_deadline_on, Case.id)
        )
    )


def caseloads(session: Session, *, actor: User, now: datetime) -> list[Caseload]:
    """Each active navigator's open cases and the check-ins of theirs still without an outcome."""
    access.require(actor, Action.VIEW_TEAM, team_id=actor.team_id)
    # Counted for each navigator from their own range of the index of open cases by navigator. One
    # count grouped by navigator over the team had SQLite walk every open case of the force in
    # navigator order rather than sort the team's (bench/README.md).
    open_cases = (
        select(func.count(Case.id))
        .where(Case.navigator_id == User.id, Case.in_progress == true(), Case.team_id == actor.team_id)
        .correlate(User)
        .scalar_subquery()
    )
    # Only the count this panel shows, not the whole of the team's day.
    to_record = today.outcomes_to_record(session, team_id=actor.team_id, now=now)
    navigators = session.execute(
        select(User, open_cases)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.team_id == actor.team_id, User.is_active, UserRole.role == Role.NAVIGATOR.value)
        .order_by(User.full_name, User.id)
    ).all()
    return [
        Caseload(navigator=navigator, open_cases=count, outcomes_to_record=to_record.get(navigator.id, 0))
        for navigator, count in navigators
    ]
