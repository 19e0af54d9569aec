"""Lists of cases for the caseload tabs."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache

from sqlalchemy import Select, and_, bindparam, false, func, select, true, union
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
    search = _Search.of(query.search)
    count, listed = _statements(query.tab, query.sort, query.descending, query.state is not None, search.shape)
    values = {
        "team_id": actor.team_id,
        "actor_id": actor.id,
        "state": query.state.value if query.state is not None else None,
        "now": now,
        "count_limit": COUNT_LIMIT + 1,
        **search.values,
    }
    counted = session.scalar(count, values) or 0
    more_than_total = counted > COUNT_LIMIT
    total = min(counted, COUNT_LIMIT)
    page = max(1, query.page)
    if not more_than_total:
        page = min(page, max(1, -(-total // query.per_page)))
    # One more than a page, to know whether there is a next page when the total was not counted.
    found = session.execute(
        listed, {**values, "limit": query.per_page + 1, "offset": (page - 1) * query.per_page}
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


@cache
def _statements(tab: Tab, sort: Sort, descending: bool, by_state: bool, search: tuple[str, ...]):
    """The count and the page query for one shape of list, built once with its values as parameters:
    building statements of this size and working out their cache keys cost more than running them."""
    matching = _scoped(select(Case.id), tab=tab, by_state=by_state, search=search)
    count = select(func.count()).select_from(matching.limit(bindparam("count_limit")).subquery())
    appointment = next_appointment(bindparam("now"))
    column = appointment if sort is Sort.APPOINTMENT else SORT_COLUMNS[sort]
    order = (column.desc().nulls_last() if descending else column.asc().nulls_last(), Case.id)
    chosen = matching.order_by(*order).limit(bindparam("limit")).offset(bindparam("offset"))
    # Columns, not entities: a list of 25 rows has no use for the identity map, and building objects
    # cost more than the query.
    listed = (
        select(*LISTED_COLUMNS, appointment)
        .join(Case.person)
        .outerjoin(Case.navigator)
        .where(Case.id.in_(chosen.correlate(None).scalar_subquery()))
        .order_by(*order)
    )
    return count, listed


def _scoped(statement: Select, *, tab: Tab, by_state: bool, search: tuple[str, ...]) -> Select:
    # The generated columns, not the state lists, so that the lists' indexes serve them (models/cases.py).
    statement = statement.where(Case.team_id == bindparam("team_id"))
    if tab is Tab.MINE:
        statement = statement.where(Case.navigator_id == bindparam("actor_id"), Case.in_progress == true())
    elif tab is Tab.UNASSIGNED:
        statement = statement.where(Case.navigator_id.is_(None), Case.in_progress == true())
    else:
        statement = statement.where(Case.unclosed == (true() if tab is Tab.TEAM else false()))
    if by_state:
        statement = statement.where(Case.state == bindparam("state"))
    if search:
        statement = statement.where(Case.id.in_(_search_matches(search, within=statement)))
    return statement


@dataclass(frozen=True)
class _Search:
    """What the typed text could be, as the shape of the lookups (which statement) and their values."""

    shape: tuple[str, ...]
    values: dict

    @classmethod
    def of(cls, typed: str) -> _Search:
        text = typed.strip()
        if not text:
            return cls((), {})
        shape, values = ["references"], {"upper": text.upper()}
        with contextlib.suppress(ValueError):
            values["pnc_id"] = people_rules.normalise_pnc_id(text)
            shape.append("pnc_id")
        with contextlib.suppress(ValueError):
            values["born"] = parse_date(text)
            shape.append("born")
        words = text.lower().split()
        values |= _prefix("family", words[-1]) | _prefix("given", words[0])
        shape.append("either name" if len(words) == 1 else "both names")
        return cls(tuple(shape), values)


def _prefix(name: str, prefix: str) -> dict:
    """A prefix as a range of the column's byte order, which an index serves (a LIKE pattern is
    served only under particular collations), and where % and _ are characters like any other. (The
    last character of all has nothing after it: the range then ends at it, repeated.)"""
    last = ord(prefix[-1])
    end = prefix[:-1] + chr(last + 1) if last < 0x10FFFF else prefix + chr(0x10FFFF) * 8
    return {f"{name}_from": prefix, f"{name}_to": end}


def _search_matches(shape: tuple[str, ...], *, within: Select):
    """The list's cases the text could mean, as a union of lookups each answered by an index: a case
    or crime reference, a PNC ID, a date of birth, or names. (An OR of them in one WHERE could use no
    index on either database.)"""
    # Each lookup is of the list's own cases (`within`, the tab's conditions), so the names index gives
    # only those; correlate(None): each reads cases afresh, not the row of the query it sits in.
    in_team = within.correlate(None)
    upper = bindparam("upper")
    lookups = [in_team.where(Case.reference == upper), in_team.where(Case.crime_reference == upper)]
    if "pnc_id" in shape:
        lookups.append(in_team.join(Case.person).where(Person.pnc_id == bindparam("pnc_id")))
    if "born" in shape:
        lookups.append(in_team.join(Case.person).where(Person.date_of_birth == bindparam("born")))
    family = (Case.search_family_name >= bindparam("family_from"), Case.search_family_name < bindparam("family_to"))
    given = (Case.search_given_names >= bindparam("given_from"), Case.search_given_names < bindparam("given_to"))
    if "either name" in shape:
        # One word may be either name (people search by first name too); two or more are first then last.
        lookups += [in_team.where(*family), in_team.where(*given)]
    else:
        lookups.append(in_team.where(*family, *given))
    return union(*lookups)


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
