"""The scheduler's flag sweeps and the open flags the case page and the supervisor's home show.

Each sweep asks the database for the cases due now by indexed ranges (referred before a day, a
deadline or a contract end by a day), leaves out those already flagged, and inserts the rest with
ON CONFLICT DO NOTHING on (case, kind, subject): a rerun, two schedulers racing, or a catch-up
after downtime raises each flag once, and only the inserts that took are audited.

A flag ends when its situation does (first contact recorded, the case moved on or closed, a more
urgent deadline warning reached). One predicate per kind says whether a flag still holds: the
resolving sweep uses it to record the end (resolved_at, audited), and readers use it too, so a
navigator who has just recorded first contact does not see the flag until the next sweep.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from casework.db import dialect_insert
from casework.domain import flags as rules
from casework.domain.check_ins import Outcome
from casework.domain.clock import local_today
from casework.domain.contract_status import ContractStatus
from casework.domain.flags import DEADLINE_THRESHOLDS, FlagKind
from casework.domain.lifecycle import OPEN_STATES, CaseState
from casework.domain.notifications import Event
from casework.domain.roles import Action, Role
from casework.models import Case, CaseFlag, CheckIn, Contract, Suspension, User, UserRole
from casework.services import access, audit, caseload, staff_notifications

_BATCH = 500


def _batched(items: Sequence, size: int = _BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


_OPEN = [state.value for state in OPEN_STATES]
_LOOKBACK = timedelta(days=366)


@dataclass(frozen=True)
class Due:
    case_id: int
    team_id: int
    subject: str = ""


def raise_flags(session: Session, *, kind: str, due: Sequence[Due], now: datetime) -> int:
    """Insert the flags not raised yet and audit each one this call raised; returns how many.
    Sweeps of other areas (check-ins) raise their flags through this too."""
    teams = {item.case_id: item.team_id for item in due}
    # Sorted here, not by the query: an ORDER BY id tempts SQLite to walk the whole table in id order.
    # One order also means racing writers take the rows' locks in the same order.
    ordered = sorted(due, key=lambda item: (item.case_id, item.subject))
    raised = 0
    for chunk in _batched(ordered):
        statement = (
            dialect_insert(session)(CaseFlag)
            .values([dict(case_id=i.case_id, kind=kind, subject=i.subject, raised_at=now) for i in chunk])
            .on_conflict_do_nothing(index_elements=["case_id", "kind", "subject"])
            .returning(CaseFlag.case_id, CaseFlag.subject)
        )
        for case_id, subject in (taken := session.execute(statement).all()):
            audit.record(
                session,
                actor=None,
                action="flag.raised",
                now=now,
                case_id=case_id,
                team_id=teams[case_id],
                kind=kind,
                subject=subject,
            )
            raised += 1
        _tell_staff(session, kind=kind, raised=taken, now=now)
    return raised


# Who hears of each flag: the navigator always; the team's supervisors as well where the scheme
# puts the decision or the oversight with them (DOMAIN.md §3.3, §3.4).
_EVENTS = {
    FlagKind.FIRST_CONTACT_OVERDUE: (Event.FIRST_CONTACT_OVERDUE, True),
    FlagKind.COMPLETION_REVIEW: (Event.COMPLETION_REVIEW_DUE, True),
    FlagKind.DEADLINE: (Event.CHARGE_DEADLINE_WARNING, True),
    FlagKind.EXPLANATION_OVERDUE: (Event.EXPLANATION_OVERDUE, False),
}


def _tell_staff(session: Session, *, kind: str, raised, now: datetime) -> None:
    """Each flag just raised, as a notification to the people who act on it, by their own choice of
    an email now, the daily digest or nothing; the flag's key makes it once per person."""
    if not raised or kind not in _EVENTS:
        return
    event, supervisors_too = _EVENTS[FlagKind(kind)]
    cases = {case.id: case for case in session.scalars(select(Case).where(Case.id.in_({r[0] for r in raised})))}
    supervisors: dict[int, list[User]] = {}
    if supervisors_too:
        for user in session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.is_active, UserRole.role == Role.SUPERVISOR.value)
            .where(User.team_id.in_({case.team_id for case in cases.values()}))
        ):
            supervisors.setdefault(user.team_id, []).append(user)
    for case_id, subject in raised:
        case = cases[case_id]
        people = ([case.navigator] if case.navigator else []) + supervisors.get(case.team_id, [])
        for user in {person.id: person for person in people if person.is_active}.values():
            staff_notifications.notify(
                session,
                user=user,
                event=event,
                case=case,
                text=rules.describe(kind, subject),
                now=now,
                key=f"flag:{kind}:{case_id}:{subject}",
            )


def _not_flagged(kind: str, subject) -> ColumnElement[bool]:
    return ~exists().where(CaseFlag.case_id == Case.id, CaseFlag.kind == kind, CaseFlag.subject == subject)


def raise_first_contact_overdue(session: Session, *, now: datetime) -> int:
    """Referred cases not yet seen past the scheme's first-contact target in working days."""
    today = local_today(now)
    overdue = caseload.first_contact_overdue_condition(
        today=today, first_contact_days=caseload.first_contact_target(session, today=today)
    )
    rows = session.execute(
        select(Case.id, Case.team_id).where(overdue, _not_flagged(FlagKind.FIRST_CONTACT_OVERDUE, literal("")))
    ).all()
    return raise_flags(session, kind=FlagKind.FIRST_CONTACT_OVERDUE, due=[Due(*row) for row in rows], now=now)


def raise_completion_reviews(session: Session, *, now: datetime) -> int:
    """Active cases whose signed contract in force has reached its end date: one flag per end date,
    so a variation that moves the end later is flagged again when the new date comes."""
    today = local_today(now)
    # A closed case's contract stays signed, so ended signed contracts pile up with the years: start
    # from the active cases (work in progress, an IN list from the state index) and look up theirs.
    active = select(Case.id).where(Case.state == CaseState.ACTIVE.value)
    rows = session.execute(
        select(Case.id, Case.team_id, Contract.ends_on)
        .join(Contract, Contract.case_id == Case.id)
        .where(
            Contract.case_id.in_(active),
            Contract.status == ContractStatus.SIGNED.value,
            Contract.ends_on <= today,
            Case.state == CaseState.ACTIVE.value,
            _not_flagged(FlagKind.COMPLETION_REVIEW, cast(Contract.ends_on, String)),
        )
    ).all()
    # A suspension's paused days move the term's end on (services/suspensions.py): not yet due.
    paused = (
        dict(
            session.execute(
                select(Suspension.case_id, func.sum(Suspension.paused_days))
                .where(Suspension.case_id.in_([row[0] for row in rows]), Suspension.paused_days > 0)
                .group_by(Suspension.case_id)
            ).all()
        )
        if rows
        else {}
    )
    due = [
        Due(case_id, team_id, ends_on.isoformat())
        for case_id, team_id, ends_on in rows
        if ends_on + timedelta(days=paused.get(case_id) or 0) <= today
    ]
    return raise_flags(session, kind=FlagKind.COMPLETION_REVIEW, due=due, now=now)


def raise_deadline_warnings(session: Session, *, now: datetime) -> int:
    """Open cases 28, 14 and 7 days or fewer from their decision deadline (DOMAIN.md §3.4): the most
    urgent warning each has reached, counted in London days."""
    today = local_today(now)
    due: list[Due] = []
    for threshold in DEADLINE_THRESHOLDS:
        after, until = rules.deadline_band(threshold, today)
        # The 7-day band has no lower end, but a deadline that passed over a year ago was warned of
        # then: bounding the range keeps SQLite's planner on the index instead of scanning cases.
        after = after or today - _LOOKBACK
        rows = session.execute(
            select(Case.id, Case.team_id).where(
                Case.state.in_(_OPEN),
                Case.decision_deadline_on <= until,
                Case.decision_deadline_on > after,
                _not_flagged(FlagKind.DEADLINE, literal(str(threshold))),
            )
        ).all()
        due += [Due(case_id, team_id, str(threshold)) for case_id, team_id in rows]
    return raise_flags(session, kind=FlagKind.DEADLINE, due=due, now=now)


# ---- when a flag still holds -------------------------------------------------------------------


def _first_contact_holds(_today: date) -> ColumnElement[bool]:
    return and_(Case.state == CaseState.REFERRED.value, Case.first_contact_at.is_(None))


def _completion_review_holds(today: date) -> ColumnElement[bool]:
    ended = exists().where(
        Contract.case_id == Case.id,
        Contract.status == ContractStatus.SIGNED.value,
        Contract.ends_on <= today,
    )
    return and_(Case.state == CaseState.ACTIVE.value, ended)


def _deadline_holds(today: date) -> ColumnElement[bool]:
    bands = []
    for threshold in DEADLINE_THRESHOLDS:
        after, until = rules.deadline_band(threshold, today)
        bands.append(
            and_(
                CaseFlag.subject == str(threshold),
                Case.decision_deadline_on <= until,
                Case.decision_deadline_on > after if after else true(),
            )
        )
    return and_(Case.state.in_(_OPEN), or_(*bands))


# kind -> whether its flag still holds today, over CaseFlag joined to its Case. A kind raised by
# another area and not listed here holds until that area resolves it.
def _explanation_holds(_today: date) -> ColumnElement[bool]:
    """Until the navigator classifies the absence (or the case closes)."""
    waiting = exists().where(
        cast(CheckIn.id, String) == CaseFlag.subject,
        CheckIn.outcome == Outcome.AWAITING_EXPLANATION.value,
    )
    return and_(Case.state.in_(_OPEN), waiting)


HOLDS: dict[str, Callable[[date], ColumnElement[bool]]] = {
    FlagKind.EXPLANATION_OVERDUE: _explanation_holds,
    FlagKind.FIRST_CONTACT_OVERDUE: _first_contact_holds,
    FlagKind.COMPLETION_REVIEW: _completion_review_holds,
    FlagKind.DEADLINE: _deadline_holds,
}


def _holds(today: date) -> ColumnElement[bool]:
    known = [and_(CaseFlag.kind == kind, holds(today)) for kind, holds in HOLDS.items()]
    return or_(*known, CaseFlag.kind.notin_(list(HOLDS)) if HOLDS else false())


def resolve_ended(session: Session, *, now: datetime) -> int:
    """Record the end of every open flag whose situation has ended; returns how many."""
    rows = session.execute(
        select(CaseFlag.id, CaseFlag.case_id, Case.team_id, CaseFlag.kind, CaseFlag.subject)
        .join(Case, Case.id == CaseFlag.case_id)
        .where(CaseFlag.resolved_at.is_(None), ~_holds(local_today(now)))
    ).all()
    found = {row.id: row for row in sorted(rows)}  # in id order, sorted here for the reason raise_flags gives
    resolved = 0
    for chunk in _batched(list(found)):
        statement = (
            update(CaseFlag)
            .where(CaseFlag.id.in_(chunk), CaseFlag.resolved_at.is_(None))  # guarded: once, whoever races
            .values(resolved_at=now)
            .returning(CaseFlag.id)
            .execution_options(synchronize_session=False)
        )
        for flag_id in session.scalars(statement).all():
            row = found[flag_id]
            audit.record(
                session,
                actor=None,
                action="flag.resolved",
                now=now,
                case_id=row.case_id,
                team_id=row.team_id,
                kind=row.kind,
                subject=row.subject,
            )
            resolved += 1
    return resolved


# ---- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenFlag:
    case: Case
    kind: str
    subject: str
    raised_at: datetime

    @property
    def text(self) -> str:
        return rules.describe(self.kind, self.subject)


def _open(today: date):
    return (
        select(CaseFlag, Case)
        .join(Case, Case.id == CaseFlag.case_id)
        .where(CaseFlag.resolved_at.is_(None), _holds(today))
        .order_by(CaseFlag.raised_at, CaseFlag.id)
    )


@lru_cache(maxsize=2)
def _open_for_a_case(today: date):
    """Built once a day (its rules depend on the date), with the case as a parameter: building this
    statement cost more than running it, on every page of a case."""
    return _open(today).where(CaseFlag.case_id == bindparam("case_id")).with_only_columns(CaseFlag)


def open_for_case(session: Session, *, case: Case, today: date) -> list[OpenFlag]:
    """The case's open flags; the caller has already been allowed to see the case."""
    # The case is the caller's, loaded already: only the flags are read (loading the case again, with
    # everything joined to it, took PostgreSQL longer to plan than every other query of the page).
    flags = session.scalars(_open_for_a_case(today), {"case_id": case.id}).all()
    return [OpenFlag(case=case, kind=f.kind, subject=f.subject, raised_at=f.raised_at) for f in flags]


def open_for_team(session: Session, *, actor: User, today: date, limit: int = 50) -> list[OpenFlag]:
    """The open flags on the actor's team's cases, oldest first."""
    access.require(actor, Action.VIEW_TEAM, team_id=actor.team_id)
    rows = session.execute(_open(today).where(Case.team_id == actor.team_id).limit(limit)).all()
    return [OpenFlag(case=c, kind=f.kind, subject=f.subject, raised_at=f.raised_at) for f, c in rows]
