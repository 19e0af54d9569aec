"""A navigator's day: check-ins today, outcomes still to record, explanations overdue and first
contacts overdue, across their open cases; and the same counted per navigator for a supervisor.

Each list is one query whose cost follows the items due, not the size of the check-ins table:
the open and the awaiting-explanation check-ins have their own partial indexes, and everything
else is reached through the navigator's or the team's open cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, lazyload

from casework.domain.check_ins import Outcome
from casework.domain.clock import local_today, start_of_local_day
from casework.domain.errors import NotFound
from casework.domain.lifecycle import OPEN_STATES
from casework.domain.roles import Action, Role
from casework.models import Case, CheckIn, User, UserRole
from casework.services import access, caseload, check_in_outcomes

OPEN_VALUES = [state.value for state in OPEN_STATES]


@dataclass(frozen=True)
class Appointment:
    """A check-in with its case (and so its person), as the lists show it."""

    check_in: CheckIn
    case: Case
    started: bool

    @property
    def recorded(self) -> bool:
        """An outcome a person recorded; the system's "missed" mark still waits for the navigator."""
        return self.check_in.outcome is not None and self.check_in.outcome_recorded_by_id is not None


@dataclass(frozen=True)
class Day:
    day: date
    navigator: User
    check_ins: list[Appointment]
    outcomes_to_record: list[Appointment]
    explanations_overdue: list[Appointment]
    first_contacts_overdue: list[Case]


@dataclass(frozen=True)
class NavigatorCounts:
    navigator: User
    check_ins: int = 0
    outcomes_to_record: int = 0
    explanations_overdue: int = 0
    first_contacts_overdue: int = 0

    @property
    def total(self) -> int:
        return self.outcomes_to_record + self.explanations_overdue + self.first_contacts_overdue


@dataclass(frozen=True)
class TeamDay:
    day: date
    navigators: list[NavigatorCounts]
    # Referrals past their first-contact target that nobody holds yet: the supervisor's to allocate.
    unallocated_first_contacts_overdue: int


# --- the conditions, each stated once ------------------------------------------------------------


def held_by(navigator: User):
    return and_(Case.navigator_id == navigator.id, Case.team_id == navigator.team_id, Case.state.in_(OPEN_VALUES))


def _team(team_id: int):
    return and_(Case.team_id == team_id, Case.state.in_(OPEN_VALUES))


def _on_day(day: date):
    return and_(
        CheckIn.scheduled_at >= start_of_local_day(day),
        CheckIn.scheduled_at < start_of_local_day(day + timedelta(days=1)),
        CheckIn.cancelled_at.is_(None),
    )


def awaiting_outcome(now: datetime):
    """services.check_ins.awaiting_outcome as SQL: started, not cancelled, and nothing recorded, or
    only the system's "missed" mark. Each arm matches one partial index's predicate."""
    return or_(
        and_(CheckIn.outcome.is_(None), CheckIn.cancelled_at.is_(None), CheckIn.scheduled_at <= now),
        and_(
            CheckIn.outcome == Outcome.AWAITING_EXPLANATION.value,
            CheckIn.outcome_recorded_by_id.is_(None),
            CheckIn.scheduled_at <= now,
        ),
    )


def _first_contacts_overdue(session: Session, today: date):
    target = caseload.first_contact_target(session, today=today)
    return caseload.first_contact_overdue_condition(today=today, first_contact_days=target)


# --- reading ---------------------------------------------------------------------------------------


def navigator_in_team(session: Session, *, actor: User, user_id: int) -> User:
    """A navigator whose day a supervisor may look at: their own team's only."""
    access.require(actor, Action.VIEW_TEAM)
    navigator = session.get(User, user_id)
    if navigator is None or not navigator.has_role(Role.NAVIGATOR):
        raise NotFound("There is no such navigator.")
    access.require(actor, Action.VIEW_TEAM, team_id=navigator.team_id)
    return navigator


def _may_read(actor: User, navigator: User) -> None:
    if actor.id == navigator.id:
        access.require(actor, Action.WORK_CASELOAD, team_id=navigator.team_id)
    else:
        access.require(actor, Action.VIEW_TEAM, team_id=navigator.team_id)


def _appointments(session: Session, statement, *, now: datetime) -> list[Appointment]:
    # The lists never show a check-in's history or notes, so those are not loaded.
    rows = session.execute(statement.options(lazyload(CheckIn.changes), lazyload(CheckIn.condition_notes))).all()
    return [Appointment(check_in=c, case=k, started=c.scheduled_at <= now) for c, k in rows]


def _check_in_rows():
    return select(CheckIn, Case).join(Case, Case.id == CheckIn.case_id)


def day_for(session: Session, *, actor: User, navigator: User, now: datetime) -> Day:
    """A navigator's day, read by themselves or by a supervisor of their team."""
    _may_read(actor, navigator)
    today = local_today(now)
    mine = held_by(navigator)
    todays = _check_in_rows().where(mine, _on_day(today)).order_by(CheckIn.scheduled_at, CheckIn.id)
    to_record = _check_in_rows().where(mine, awaiting_outcome(now)).order_by(CheckIn.scheduled_at, CheckIn.id)
    overdue = (
        check_in_outcomes.overdue_explanations(session, today=today, team_id=navigator.team_id)
        .add_columns(Case)
        .where(mine)
        .order_by(CheckIn.scheduled_at, CheckIn.id)
    )
    first_contacts = (
        select(Case).where(mine, _first_contacts_overdue(session, today)).order_by(Case.referred_at, Case.id)
    )
    return Day(
        day=today,
        navigator=navigator,
        check_ins=_appointments(session, todays, now=now),
        outcomes_to_record=_appointments(session, to_record, now=now),
        explanations_overdue=_appointments(session, overdue, now=now),
        first_contacts_overdue=list(session.scalars(first_contacts).unique()),
    )


def outcomes_to_record_count(session: Session, *, actor: User, now: datetime) -> int:
    """For the home page's banner: how many of the navigator's check-ins still need an outcome."""
    access.require(actor, Action.WORK_CASELOAD, team_id=actor.team_id)
    return (
        session.scalar(
            select(func.count(CheckIn.id))
            .join(Case, Case.id == CheckIn.case_id)
            .where(held_by(actor), awaiting_outcome(now))
        )
        or 0
    )


_CHECK_INS = select(func.count(CheckIn.id)).join(Case, Case.id == CheckIn.case_id)


def _per_navigator(session: Session, statement, *, team_id: int) -> dict[int | None, int]:
    grouped = statement.add_columns(Case.navigator_id).where(_team(team_id)).group_by(Case.navigator_id)
    return {navigator_id: count for count, navigator_id in session.execute(grouped)}


def outcomes_to_record(session: Session, *, team_id: int, now: datetime) -> dict[int | None, int]:
    """How many check-ins each navigator of the team has still to record an outcome for."""
    return _per_navigator(session, _CHECK_INS.where(awaiting_outcome(now)), team_id=team_id)


def team_day(session: Session, *, actor: User, now: datetime) -> TeamDay:
    """The team's active navigators, each with the count of every list on their day."""
    access.require(actor, Action.VIEW_TEAM, team_id=actor.team_id)
    today = local_today(now)

    def per_navigator(statement) -> dict[int | None, int]:
        return _per_navigator(session, statement, team_id=actor.team_id)

    todays = per_navigator(_CHECK_INS.where(_on_day(today)))
    to_record = outcomes_to_record(session, team_id=actor.team_id, now=now)
    overdue = per_navigator(
        check_in_outcomes.overdue_explanations(session, today=today, team_id=actor.team_id)
        .with_only_columns(func.count(CheckIn.id))
        .order_by(None)
    )
    first_contacts = per_navigator(select(func.count(Case.id)).where(_first_contacts_overdue(session, today)))
    navigators = session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.team_id == actor.team_id, User.is_active, UserRole.role == Role.NAVIGATOR.value)
        .order_by(User.full_name, User.id)
    ).all()
    return TeamDay(
        day=today,
        navigators=[
            NavigatorCounts(
                navigator=navigator,
                check_ins=todays.get(navigator.id, 0),
                outcomes_to_record=to_record.get(navigator.id, 0),
                explanations_overdue=overdue.get(navigator.id, 0),
                first_contacts_overdue=first_contacts.get(navigator.id, 0),
            )
            for navigator in navigators
        ],
        unallocated_first_contacts_overdue=first_contacts.get(None, 0),
    )
