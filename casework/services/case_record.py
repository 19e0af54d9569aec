"""What every section of the case record shows or decides on, loaded in two statements: the case
(with its person, offences, navigator and opener) and the facts about it in one row, then every
version of its contract with the conditions and their progress.

The sections' services (case_actions, completion_panel, the supervision panel) take this record
instead of each querying the same contract, suspensions and assessments again. The record is read
for one page: anything that changes the case loads it afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, exists, false, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, lazyload

from casework.domain.breaches import BreachStatus
from casework.domain.contract_status import ContractStatus
from casework.domain.errors import NotFound
from casework.domain.lifecycle import CaseState
from casework.domain.needs import Stage
from casework.domain.roles import Action
from casework.models import (
    Assessment,
    Breach,
    Case,
    CaseOutcome,
    CheckIn,
    CompletionReview,
    Condition,
    ConditionProgress,
    Contract,
    Suspension,
    User,
)
from casework.models.assessments import COMPLETED
from casework.services import access

# The states in which the case has a completion review to show (completion.current_review).
_REVIEWED = frozenset({CaseState.COMPLETION_REVIEW, CaseState.COMPLETED})


@dataclass(frozen=True)
class CaseRecord:
    case: Case
    contracts: tuple[Contract, ...]  # every version, newest first
    stages: frozenset[str]  # assessment stages completed
    paused_days: int  # every day the term was paused and then resumed
    awaiting_review: int  # breaches waiting for the supervisor (the live breach banner)
    any_breach: bool
    suspension: Suspension | None  # the one not yet resumed
    next_check_in: CheckIn | None  # the next one booked, not cancelled, from `now` (None without `now`)
    outcome: CaseOutcome | None
    review: CompletionReview | None  # while in completion review, or once completed

    @property
    def current(self) -> Contract | None:
        """The newest version, whatever its status (contracts.current)."""
        return self.contracts[0] if self.contracts else None

    @property
    def signed(self) -> Contract | None:
        """The version in force (contracts.in_force)."""
        return next((c for c in self.contracts if c.status == ContractStatus.SIGNED.value), None)

    @property
    def term_end(self) -> date | None:
        """The signed end moved on by the days paused (suspensions.term_end)."""
        signed = self.signed
        if signed is None or signed.ends_on is None:
            return None
        return signed.ends_on + timedelta(days=self.paused_days)


def _no_roles(*path):
    """People shown by name only: their roles are not loaded with them (one statement each otherwise)."""
    return joinedload(*path).lazyload(User.role_grants)


# Both statements are built once, with the case and the time as parameters: building a statement of
# this size and working out its cache key cost more than running it (bench/README.md).
@cache
def _facts(*, with_now: bool):
    # Subqueries correlate with the case only: the tables they read are also joined to the row.
    stage_done = [
        exists().where(Assessment.case_id == Case.id, Assessment.stage == stage.value, Assessment.status == COMPLETED)
        for stage in Stage
    ]
    next_check_in = (
        select(CheckIn.id)
        .where(CheckIn.case_id == Case.id, CheckIn.scheduled_at >= bindparam("now"), CheckIn.cancelled_at.is_(None))
        .where(CheckIn.outcome.is_(None))
        .order_by(CheckIn.scheduled_at)
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
        if with_now
        else None
    )
    latest_review = (
        select(CompletionReview.id)
        .where(CompletionReview.case_id == Case.id)
        .order_by(CompletionReview.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    paused = (
        select(func.coalesce(func.sum(Suspension.paused_days), 0))
        .where(Suspension.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    awaiting = (
        select(func.count(Breach.id))
        .where(Breach.case_id == Case.id, Breach.status == BreachStatus.REVIEW.value)
        .scalar_subquery()
    )
    any_breach = exists().where(Breach.case_id == Case.id)
    open_suspension = and_(Suspension.case_id == Case.id, Suspension.resumed_on.is_(None))
    return (
        select(Case, Suspension, CheckIn, CaseOutcome, CompletionReview, paused, awaiting, any_breach, *stage_done)
        .outerjoin(Suspension, open_suspension)
        .outerjoin(CheckIn, CheckIn.id == next_check_in if next_check_in is not None else false())
        .outerjoin(CaseOutcome, CaseOutcome.case_id == Case.id)
        .outerjoin(CompletionReview, CompletionReview.id == latest_review)
        .where(Case.id == bindparam("case_id"))
        .options(
            joinedload(Case.offences),
            _no_roles(Case.navigator),
            _no_roles(Case.opened_by),
            _no_roles(Suspension.suspended_by),
            _no_roles(Suspension.resumed_by),
            lazyload(CheckIn.changes),
            lazyload(CheckIn.condition_notes),
            _no_roles(CaseOutcome.decided_by),
            _no_roles(CaseOutcome.force_recorded_by),
            _no_roles(CompletionReview.requested_by),
        )
    )


@cache
def _contracts():
    return (
        select(Contract)
        .outerjoin(Contract.conditions)
        .outerjoin(Condition.progress)
        .where(Contract.case_id == bindparam("case_id"))
        .order_by(Contract.version_number.desc(), Condition.position, ConditionProgress.id)
        .options(
            _no_roles(Contract.created_by),
            contains_eager(Contract.conditions).options(
                _no_roles(Condition.waived_by),
                contains_eager(Condition.progress).options(_no_roles(ConditionProgress.recorded_by)),
            ),
        )
    )


def load(session: Session, *, actor: User, case_id: int, action: Action, now: datetime | None = None) -> CaseRecord:
    """The record of a case this actor may do `action` on, refused as case_views.case_for_display
    refuses, before anything else is read. The view still fetches the case through `displayed_case`
    (which records the consultation): Session.get finds it loaded and runs no statement."""

    def check(case: Case) -> None:
        access.require(actor, action, team_id=case.team_id)

    return _load(session, case_id=case_id, now=now, check=check)


def of(session: Session, *, case: Case, now: datetime | None = None) -> CaseRecord:
    """The record of a case its caller has already been allowed to see."""
    return _load(session, case_id=case.id, now=now, check=lambda _case: None)


def _load(session: Session, *, case_id: int, now: datetime | None, check: Callable[[Case], None]) -> CaseRecord:
    row = session.execute(_facts(with_now=now is not None), {"case_id": case_id, "now": now}).unique().one_or_none()
    if row is None:
        raise NotFound("There is no such case.")
    case, suspension, check_in, outcome, review, paused, awaiting, any_breach, *stages = row
    check(case)
    return CaseRecord(
        case=case,
        contracts=tuple(session.scalars(_contracts(), {"case_id": case_id}).unique()),
        stages=frozenset(stage.value for stage, done in zip(Stage, stages, strict=True) if done),
        paused_days=paused,
        awaiting_review=awaiting,
        any_breach=bool(any_breach),
        suspension=suspension,
        next_check_in=check_in,
        outcome=outcome,
        review=review if case.case_state in _REVIEWED else None,
    )
