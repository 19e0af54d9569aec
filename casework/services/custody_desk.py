"""What the custody desk and the supervisor see first: recent cases and work waiting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain.lifecycle import OPEN_STATES, CaseState
from casework.domain.roles import Action
from casework.models import Case, User
from casework.services import access


def recent_cases(session: Session, *, actor: User, limit: int = 20) -> list[Case]:
    """The team's most recently opened cases, for answering questions at the desk (status only)."""
    access.require(actor, Action.SEE_CASE_STATUS, team_id=actor.team_id)
    return list(
        session.scalars(select(Case).where(Case.team_id == actor.team_id).order_by(Case.opened_at.desc()).limit(limit))
    )


@dataclass(frozen=True)
class SupervisorQueue:
    unassigned: int
    awaiting_acceptance: list[Case]


def supervisor_queue(session: Session, *, actor: User) -> SupervisorQueue:
    access.require(actor, Action.ALLOCATE_CASE, team_id=actor.team_id)
    unassigned = session.scalar(
        select(func.count())
        .select_from(Case)
        .where(
            Case.team_id == actor.team_id, Case.navigator_id.is_(None), Case.state.in_([s.value for s in OPEN_STATES])
        )
    )
    waiting = session.scalars(
        select(Case)
        .where(Case.team_id == actor.team_id, Case.state == CaseState.PENDING_ACCEPTANCE.value)
        .order_by(Case.opened_at)
    ).all()
    return SupervisorQueue(unassigned=unassigned or 0, awaiting_acceptance=list(waiting))
