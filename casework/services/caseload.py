"""Lists of cases for the caseload tabs."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Select, and_, false, func, select, true, union
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from casework.domain import flags, time_limits
from casework.domain import people as people_rules
from casework.domain.clock import local_today, start_of_local_day
from casework.domain.dates import parse_date
from casework.domain.lifecycle import CaseState
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
    Sort.NAME: Case.search_family_name,
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
    is_open = Case.in_progress == true()
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
    case: ListedCase
    days_to_deadline: int | None
    deadline_band: str
    first_contact_overdue: bool
    next_appointment_at: datetime | None = None


@dataclass(frozen=True)
class ListedCase:
    """What a caseload row shows of a case, and what its deadline and first-contact flags need."""

    id: int
    reference: str
    state: str
    decision_deadline_on: date | None
    referred_at: datetime | None
    first_contact_at: datetime | None
    family_name: str
    given_names: str
    navigator_name: str | None

    @property
    def case_state(self) -> CaseState:
        return CaseState(self.state)


LISTED_COLUMNS = (
    Case.id,
    Case.reference,
    Case.state,
    Case.decision_deadline_on,
    Case.referred_at,
    Case.first_contact_at,
    Person.family_name,
    Person.given_names,
    User.full_name,
)

# Lists count their cases exactly up to here and then say "more than": an exact count of a force's
# tens of thousands of open cases costs more than the rest of the page, and tells no one anything.
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[CaseRow]
    total: int
    query: CaseloadQuery
    # True when more than COUNT_LIMIT cases match: `total` is then COUNT_LIMIT.
    more_than_total: bool = False
    has_next: bool = False

    @property
    def pages(self) -> int | None:
        """The number of pages, or None when the cases were too many to count."""
        return None if self.more_than_total else max(1, -(-self.total // self.query.per_page))


def caseload(session: Session, *, actor: User, query: CaseloadQuery, now: datetime) -> CaseloadPage:
    """A capped count and one page query whatever the page size (tested), plus the settings lookup.

    Both read the cases table alone, through indexes that hold the list's cases in deadline order
    (models/cases.py); only the page's own rows are then joined to their people and navigators."""
    access.require(actor, Action.VIEW_CASE, team_id=actor.team_id)
    today = local_today(now)
    matching = _scoped(select(Case.id), actor=actor, query=query)
    counted = session.scalar(select(func.count()).select_from(matching.limit(COUNT_LIMIT + 1).subquery())) or 0
    more_than_total = counted > COUNT_LIMIT
    total = min(counted, COUNT_LIMIT)
    page = max(1, query.page)
    if not more_than_total:
        page = min(page, max(1, -(-total // query.per_page)))
    appointment = next_appointment(now)
    column = appointment if query.sort is Sort.APPOINTMENT else SORT_COLUMNS[query.sort]
    order = (column.desc().nulls_last() if query.descending else column.asc().nulls_last(), Case.id)
    # One more than a page, to know whether there is a next page when the total was not counted.
    chosen = matching.order_by(*order).limit(query.per_page + 1).offset((page - 1) * query.per_page)
    # Columns, not entities: a list of 25 rows has no use for the identity map, and building objects
    # cost more than the query.
    found = session.execute(
        select(*LISTED_COLUMNS, appointment)
        .join(Case.person)
        .outerjoin(Case.navigator)
        .where(Case.id.in_(chosen.correlate(None).scalar_subquery()))
        .order_by(*order)
    ).all()
    target = schemes.settings_on(session, today).first_contact_working_days
    rows = [_row(ListedCase(*values), today=today, first_contact_days=target, next_at=at) for *values, at in found]
    return CaseloadPage(
        rows=rows[: query.per_page],
        total=total,
        query=CaseloadQuery(**{**query.__dict__, "page": page}),
        more_than_total=more_than_total,
        has_next=len(rows) > query.per_page,
    )


def _scoped(statement: Select, *, actor: User, query: CaseloadQuery) -> Select:
    # The generated columns, not the state lists, so that the lists' indexes serve them (models/cases.py).
    statement = statement.where(Case.team_id == actor.team_id)
    if query.tab is Tab.MINE:
        statement = statement.where(Case.navigator_id == actor.id, Case.in_progress == true())
    elif query.tab is Tab.UNASSIGNED:
        statement = statement.where(Case.navigator_id.is_(None), Case.in_progress == true())
    else:
        statement = statement.where(Case.unclosed == (true() if query.tab is Tab.TEAM else false()))
    if query.state is not None:
        statement = statement.where(Case.state == query.state.value)
    if query.search.strip():
        statement = statement.where(Case.id.in_(_search_matches(query.search, within=statement)))
    return statement


def _search_matches(text: str, *, within: Select):
    """The team's cases the text could mean, as a union of lookups each answered by an index: a case
    or crime reference, a PNC ID, a date of birth, or names. (An OR of them in one WHERE could use no
    index on either database.)"""
    text = text.strip()
    # Each lookup is of the list's own cases (`within`, the tab's conditions), so the names index gives
    # only those; correlate(None): each reads cases afresh, not the row of the query it sits in.
    in_team = within.correlate(None)
    lookups = [
        in_team.where(Case.reference == text.upper()),
        in_team.where(Case.crime_reference == text.upper()),
    ]
    with contextlib.suppress(ValueError):
        pnc_id = people_rules.normalise_pnc_id(text)
        lookups.append(in_team.join(Case.person).where(Person.pnc_id == pnc_id))
    with contextlib.suppress(ValueError):
        born = parse_date(text)
        lookups.append(in_team.join(Case.person).where(Person.date_of_birth == born))
    words = text.lower().split()
    family, given = _starts_with(Case.search_family_name, words[-1]), _starts_with(Case.search_given_names, words[0])
    if len(words) == 1:
        # One word may be either name (people search by first name too); two or more are first then last.
        lookups += [in_team.where(*family), in_team.where(*given)]
    else:
        lookups.append(in_team.where(*family, *given))
    return union(*lookups)


def _starts_with(column, prefix: str) -> tuple:
    """A prefix as a range of the column's byte order, which an index serves (a LIKE pattern is
    served only under particular collations), and where % and _ are characters like any other."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return (column >= prefix,)
    return (column >= prefix, column < prefix[:-1] + chr(last + 1))


def _first_contact_overdue(case: Case | ListedCase, *, today: date, first_contact_days: int) -> bool:
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


def _row(case: ListedCase, *, today: date, first_contact_days: int, next_at: datetime | None) -> CaseRow:
    overdue = _first_contact_overdue(case, today=today, first_contact_days=first_contact_days)
    return CaseRow(
        case=case,
        days_to_deadline=time_limits.days_until(case.decision_deadline_on, today),
        deadline_band=time_limits.deadline_band(case.decision_deadline_on, today).value,
        first_contact_overdue=overdue,
        next_appointment_at=next_at,
    )
