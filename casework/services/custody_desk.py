"""What the custody desk and the supervisor see first: recent cases, and cases waiting for a navigator.
Decisions waiting for a supervisor are in services/approvals.py."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain.lifecycle import OPEN_STATES
from casework.domain.roles import Action
from casework.models import Case, User
from casework.services import access


def recent_cases(session: Session, *, actor: User, limit: int = 20) -> list[Case]:
    """The team's most recently opened cases, for answering questions at the desk (status only)."""
    access.require(actor, Action.SEE_CASE_STATUS, team_id=actor.team_id)
    return list(
        session.scalars(select(Case).where(Case.team_id == actor.team_id).order_by(Case.opened_at.desc()).limit(limit))
    )


def unassigned_count(session: Session, *, actor: User) -> int:
    """Open cases in the actor's team that have no navigator yet."""
    access.require(actor, Action.ALLOCATE_CASE, team_id=actor.team_id)
    open_states = [s.value for s in OPEN_STATES]
    query = select(func.count()).select_from(Case)
    query = query.where(Case.team_id == actor.team_id, Case.navigator_id.is_(None), Case.state.in_(open_states))
    return session.scalar(query) or 0
