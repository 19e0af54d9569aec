"""The supervisor's breach queue: the breaches awaiting a decision in their team, most urgent first.

Urgency is the statutory clock (DOMAIN.md §3.4): the fewest days left to the case's decision
deadline first, a deadline already passed on top, a case with no deadline last; then the oldest
breach. The breaches awaiting review are few whatever the history: the query starts from the
partial index on them (ix_breaches_awaiting_review) and joins each one's case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain import time_limits
from casework.domain.breaches import BreachKind, BreachStatus, ReviewReason
from casework.domain.roles import Action
from casework.models import Breach, Case, User
from casework.services import access


@dataclass(frozen=True)
class Waiting:
    breach: Breach
    case: Case
    days_left: int | None

    @property
    def kind(self) -> BreachKind:
        return self.breach.breach_kind

    @property
    def reason(self) -> ReviewReason | None:
        return ReviewReason(self.breach.review_reason) if self.breach.review_reason else None

    @property
    def raised_by(self) -> str:
        return self.breach.raised_by.full_name if self.breach.raised_by else "the system"


def _awaiting(team_id: int):
    return (
        select(Breach, Case)
        .join(Case, Case.id == Breach.case_id)
        .where(Breach.status == BreachStatus.REVIEW.value, Case.team_id == team_id)
    )


def queue(session: Session, *, actor: User, today: date, limit: int | None = None) -> list[Waiting]:
    access.require(actor, Action.DECIDE_BREACH, team_id=actor.team_id)
    statement = _awaiting(actor.team_id).order_by(
        Case.decision_deadline_on.is_(None),
        Case.decision_deadline_on,
        Breach.raised_at,
        Breach.id,
    )
    if limit is not None:
        statement = statement.limit(limit)
    return [
        Waiting(breach=breach, case=case, days_left=time_limits.days_until(case.decision_deadline_on, today))
        for breach, case in session.execute(statement).all()
    ]


def count(session: Session, *, actor: User) -> int:
    access.require(actor, Action.DECIDE_BREACH, team_id=actor.team_id)
    statement = _awaiting(actor.team_id).with_only_columns(func.count(Breach.id))
    return session.scalar(statement) or 0


def in_review(session: Session, *, case: Case) -> list[Breach]:
    """The case's breaches awaiting a decision, oldest first; the caller may already see the case."""
    return list(
        session.scalars(
            select(Breach)
            .where(Breach.case_id == case.id, Breach.status == BreachStatus.REVIEW.value)
            .order_by(Breach.raised_at, Breach.id)
        )
    )
