"""Lists of cases for the caseload tabs."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from casework.domain import flags, time_limits
from casework.domain import people as people_rules
from casework.domain.clock import local_today
from casework.domain.dates import parse_date
from casework.domain.lifecycle import OPEN_STATES, TERMINAL_STATES, CaseState
from casework.domain.roles import Action
from casework.models import Case, Person, User
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
    Sort.APPOINTMENT: Case.first_appointment_at,
}


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


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[CaseRow]
    total: int
    query: CaseloadQuery

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def caseload(session: Session, *, actor: User, query: CaseloadQuery, today: date) -> CaseloadPage:
    """One count and one page query whatever the page size (tested), plus the settings lookup."""
    access.require(actor, Action.VIEW_CASE, team_id=actor.team_id)
    statement = _scoped(select(Case).join(Case.person), actor=actor, query=query)
    total = session.scalar(statement.with_only_columns(func.count(Case.id)).order_by(None)) or 0
    column = SORT_COLUMNS[query.sort]
    order = column.desc().nulls_last() if query.descending else column.asc().nulls_last()
    page = max(1, min(query.page, max(1, -(-total // query.per_page))))
    cases = (
        session.scalars(
            statement.options(joinedload(Case.navigator))
            .order_by(order, Case.id)
            .limit(query.per_page)
            .offset((page - 1) * query.per_page)
        )
        .unique()
        .all()
    )
    target = schemes.settings_on(session, today).first_contact_working_days
    rows = [_row(case, today=today, first_contact_days=target) for case in cases]
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


def first_contact_overdue(session: Session, *, case: Case, today: date) -> bool:
    target = schemes.settings_on(session, today).first_contact_working_days
    return _first_contact_overdue(case, today=today, first_contact_days=target)


def _row(case: Case, *, today: date, first_contact_days: int) -> CaseRow:
    overdue = _first_contact_overdue(case, today=today, first_contact_days=first_contact_days)
    return CaseRow(
        case=case,
        days_to_deadline=time_limits.days_until(case.decision_deadline_on, today),
        deadline_band=time_limits.deadline_band(case.decision_deadline_on, today).value,
        first_contact_overdue=overdue,
    )
