"""A supervisor gives a case to a navigator in their team; reassignments are kept as history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from casework.domain.errors import FieldError, IllegalTransition, StaleRecord
from casework.domain.lifecycle import OPEN_STATES
from casework.domain.roles import Action, Role
from casework.models import Allocation, Case, User, UserRole
from casework.services import access, audit
from casework.services.concurrency import flush_or_stale, stale_message


def navigators_with_caseloads(session: Session, *, actor: User) -> list[tuple[User, int]]:
    """The team's active navigators with how many open cases each holds, lightest first."""
    access.require(actor, Action.ALLOCATE_CASE, team_id=actor.team_id)
    open_cases = (
        select(Case.navigator_id, func.count().label("held"))
        .where(Case.state.in_([s.value for s in OPEN_STATES]))
        .group_by(Case.navigator_id)
        .subquery()
    )
    rows = session.execute(
        select(User, func.coalesce(open_cases.c.held, 0))
        .join(UserRole, UserRole.user_id == User.id)
        .outerjoin(open_cases, open_cases.c.navigator_id == User.id)
        .where(User.team_id == actor.team_id, User.is_active, UserRole.role == Role.NAVIGATOR.value)
        .order_by(func.coalesce(open_cases.c.held, 0), User.full_name)
    ).all()
    return [(user, held) for user, held in rows]


def allocate(
    session: Session,
    *,
    actor: User,
    case: Case,
    navigator: User | None,
    reason: str,
    seen_version: int,
    now: datetime,
) -> Case:
    access.require(actor, Action.ALLOCATE_CASE, team_id=case.team_id)
    if case.version != seen_version:
        who = f" to {case.navigator.full_name}" if case.navigator else ""
        raise StaleRecord(
            f"Someone else changed case {case.reference} (it is now allocated{who or ' to nobody'}). "
            "Check and choose again.",
            case_id=case.id,
        )
    if case.case_state not in OPEN_STATES:
        raise IllegalTransition(f"A case that is '{case.case_state.label}' cannot be allocated.")
    if navigator is None or not navigator.is_active or not navigator.has_role(Role.NAVIGATOR):
        raise FieldError("navigator_id", "Select a navigator")
    if navigator.team_id != case.team_id:
        raise FieldError("navigator_id", "Select a navigator from this case's team")
    if navigator.id == case.navigator_id:
        raise FieldError("navigator_id", f"The case is already allocated to {navigator.full_name}")
    previous = case.navigator_id
    if previous is not None and not reason.strip():
        raise FieldError("reason", "Explain why the case is being reallocated")
    session.execute(
        update(Allocation).where(Allocation.case_id == case.id, Allocation.ended_at.is_(None)).values(ended_at=now)
    )
    session.add(
        Allocation(
            case_id=case.id,
            navigator_id=navigator.id,
            allocated_by_id=actor.id,
            allocated_at=now,
            reason=reason.strip() or None,
        )
    )
    case.navigator_id = navigator.id
    # The version check: two supervisors allocating at once cannot both win.
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.allocated" if previous is None else "case.reallocated",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        navigator_id=navigator.id,
        previous_navigator_id=previous,
    )
    return case


def history(session: Session, *, case: Case) -> list[Allocation]:
    return list(session.scalars(select(Allocation).where(Allocation.case_id == case.id).order_by(Allocation.id)))
