"""Lists of cases for the caseload tabs."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session, joinedload

from casework.domain import flags, time_limits
from casework.domain import people as people_rules
from casework.domain.clock import local_today, start_of_local_day
from casework.domain.dates import parse_date
from casework.domain.lifecycle import OPEN_STATES, TERMINAL_STATES, CaseState
from casework.domain.roles import Action
from casework.models import Case, CheckIn, Person, User
from casework.services import access, schemes


class Tab(StrEnum):
    MINE = "mine"
    UNASSIGNED = "unassigned"
    TEAM = "team"
    CLOSED = "closed"


class Sort(StrEnum):
    DEADLINE = "deadline"
    REFERENCE = "reference"
    NAME = "name"
    STATE = "state"
    APPOINTMENT = "appointment"


SORT_COLUMNS = {
    Sort.DEADLINE: Case.decision_deadline_on,
    Sort.REFERENCE: Case.reference,
    Sort.NAME: Person.family_name_folded,
    Sort.STATE: Case.state,
}


def next_appointment(now: datetime):
    """The next time the navigator expects to see the person: the first appointment until first
    contact (check-ins are planned only after it), then the next check-in still to happen. One
    correlated subquery per row, answered from the index on check_ins(case_id, scheduled_at), so
    the caseload stays one page query however many rows it shows."""
    next_check_in = (
        select(CheckIn.scheduled_at)
        .where(CheckIn.case_id == Case.id, CheckIn.scheduled_at >= now)
        .where(CheckIn.cancelled_at.is_(None), CheckIn.outcome.is_(None))
        .order_by(CheckIn.scheduled_at)
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    is_open = Case.state.in_([s.value for s in OPEN_STATES])
    # A closed case has no next appointment, whatever was left planned on it.
    return when(
        (and_(is_open, Case.first_contact_at.is_(None)), Case.first_appointment_at),
        (is_open, next_check_in),
        else_=None,
    ).label("next_appointment_at")


@dataclass(frozen=True)
class CaseloadQuery:
    tab: Tab = Tab.MINE
    state: CaseState | None = None
    search: str = ""
    sort: Sort = Sort.DEADLINE
    descending: bool = False
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class CaseRow:
    case: Case
    days_to_deadline: int | None
    deadline_band: str
    first_contact_overdue: bool
    next_appointment_at: datetime | None = None


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[CaseRow]
    total: int
    query: CaseloadQuery

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def caseload(session: Session, *, actor: User, query: CaseloadQuery, now: datetime) -> CaseloadPage:
    """One count and one page query whatever the page size (tested), plus the settings lookup."""
    access.require(actor, Action.VIEW_CASE, team_id=actor.team_id)
    today = local_today(now)
    statement = _scoped(select(Case).join(Case.person), actor=actor, query=query)
    total = session.scalar(statement.with_only_columns(func.count(Case.id)).order_by(None)) or 0
    appointment = next_appointment(now)
    column = appointment if query.sort is Sort.APPOINTMENT else SORT_COLUMNS[query.sort]
    order = column.desc().nulls_last() if query.descending else column.asc().nulls_last()
    page = max(1, min(query.page, max(1, -(-total // query.per_page))))
    found = (
        session.execute(
            statement.add_columns(appointment)
            .options(joinedload(Case.navigator))
            .order_by(order, Case.id)
            .limit(query.per_page)
            .offset((page - 1) * query.per_page)
        )
        .unique()
        .all()
    )
    target = schemes.settings_on(session, today).first_contact_working_days
    rows = [_row(found_case, today=today, first_contact_days=target, next_at=at) for found_case, at in found]
    return CaseloadPage(rows=rows, total=total, query=CaseloadQuery(**{**query.__dict__, "page": page}))


def _scoped(statement: Select, *, actor: User, query: CaseloadQuery) -> Select:
    statement = statement.where(Case.team_id == actor.team_id)
    open_values = [s.value for s in OPEN_STATES]
    if query.tab is Tab.MINE:
        statement = statement.where(Case.navigator_id == actor.id, Case.state.in_(open_values))
    elif query.tab is Tab.UNASSIGNED:
        statement = statement.where(Case.navigator_id.is_(None), Case.state.in_(open_values))
    elif query.tab is Tab.TEAM:
        statement = statement.where(Case.state.notin_([s.value for s in TERMINAL_STATES]))
    else:
        statement = statement.where(Case.state.in_([s.value for s in TERMINAL_STATES]))
    if query.state is not None:
        statement = statement.where(Case.state == query.state.value)
    if query.search.strip():
        statement = statement.where(_search_condition(query.search))
    return statement


def _search_condition(text: str):
    text = text.strip()
    conditions = [Case.reference == text.upper(), Case.crime_reference == text.upper()]
    with contextlib.suppress(ValueError):
        conditions.append(Person.pnc_id == people_rules.normalise_pnc_id(text))
    with contextlib.suppress(ValueError):
        conditions.append(Person.date_of_birth == parse_date(text))
    words = text.lower().split()
    # autoescape: a typed % or _ is a character to find, not a LIKE wildcard.
    last = Person.family_name_folded.startswith(words[-1], autoescape=True)
    first = func.lower(Person.given_names).startswith(words[0], autoescape=True)
    # One word may be either name (people search by first name too); two or more are first then last.
    conditions.append(or_(first, last) if len(words) == 1 else first & last)
    return or_(*conditions)


def _first_contact_overdue(case: Case, *, today: date, first_contact_days: int) -> bool:
    """Referred, not yet seen, and past the scheme's first-contact target in working days."""
    if case.case_state is not CaseState.REFERRED or case.first_contact_at or case.referred_at is None:
        return False
    return flags.first_contact_overdue(local_today(case.referred_at), today, first_contact_days)


def first_contact_overdue_condition(*, today: date, first_contact_days: int):
    """The same rule as `_first_contact_overdue`, as SQL for lists and sweeps that must not load every
    case: referred before the end of the latest London day whose referrals are overdue today."""
    latest = flags.latest_overdue_referral_day(today, first_contact_days)
    cutoff = start_of_local_day(latest + timedelta(days=1))
    return and_(
        Case.state == CaseState.REFERRED.value,
        Case.first_contact_at.is_(None),
        Case.referred_at.is_not(None),
        Case.referred_at < cutoff,
    )


def first_contact_target(session: Session, *, today: date) -> int:
    return schemes.settings_on(session, today).first_contact_working_days


def first_contact_overdue(session: Session, *, case: Case, today: date) -> bool:
    target = schemes.settings_on(session, today).first_contact_working_days
    return _first_contact_overdue(case, today=today, first_contact_days=target)


def _row(case: Case, *, today: date, first_contact_days: int, next_at: datetime | None) -> CaseRow:
    overdue = _first_contact_overdue(case, today=today, first_contact_days=first_contact_days)
    return CaseRow(
        case=case,
        days_to_deadline=time_limits.days_until(case.decision_deadline_on, today),
        deadline_band=time_limits.deadline_band(case.decision_deadline_on, today).value,
        first_contact_overdue=overdue,
        next_appointment_at=next_at,
    )
