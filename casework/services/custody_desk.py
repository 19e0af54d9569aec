"""What the custody desk and the supervisor see first: recent cases, and cases waiting for a navigator.
Decisions waiting for a supervisor are in services/approvals.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


def unassigned_count(session: Session, *, actor: User) -> int:
    """Open cases in the actor's team that have no navigator yet."""
    access.require(actor, Action.ALLOCATE_CASE, team_id=actor.team_id)
    open_states = [s.value for s in OPEN_STATES]
    query = select(func.count()).select_from(Case)
    query = query.where(Case.team_id == actor.team_id, Case.navigator_id.is_(None), Case.state.in_(open_states))
    return session.scalar(query) or 0


@dataclass(frozen=True)
class GateFigures:
    """The team's custody funnel (DOMAIN.md §2.4). Cases withdrawn in error were never a decision
    about a person, so they are counted apart and never as "not offered"."""

    not_offered: int
    declined: int
    accepted: int
    withdrawn_in_error: int


def gate_figures(session: Session, *, actor: User, since: datetime) -> GateFigures:
    access.require(actor, Action.VIEW_TEAM, team_id=actor.team_id)
    rows = session.execute(
        select(Case.state, Case.offer_outcome, func.count())
        .where(Case.team_id == actor.team_id, Case.opened_at >= since)
        .group_by(Case.state, Case.offer_outcome)
    ).all()
    counted: dict[str | None, int] = {}
    for state, outcome, count in rows:
        key = "withdrawn_in_error" if state == CaseState.WITHDRAWN_IN_ERROR.value else outcome
        counted[key] = counted.get(key, 0) + count
    return GateFigures(
        not_offered=counted.get("not_offered", 0),
        declined=counted.get("declined", 0),
        accepted=counted.get("accepted", 0),
        withdrawn_in_error=counted.get("withdrawn_in_error", 0),
    )
