"""The funnel (DOMAIN.md §8.2): how many of the cases whose custody gate was started in a range of
London dates reached each stage, the share of the stage before, why people left, and the same
counts by demographic group in a shape `domain.suppression.suppress` takes.

A case belongs to the range by `cases.opened_at` (when its gate was started), London dates inclusive.
Cases withdrawn in error are left out: they were never a decision about a person. Each stage is read
from recorded facts, not the current state, so a case that moved on counts at every stage it passed;
each stage also requires the one before, so no share exceeds 100%:

- gate started: opened in the range;
- eligible: the checklist found them provisionally eligible, or a supervisor overrode it with a rationale;
- offered: the offer was put to them (their answer, accepted or declined, is recorded);
- accepted: they consented (offer outcome "accepted");
- first contact: a navigator recorded first contact;
- signed: a version of their contract was signed;
- completed: a completion outcome was recorded;
- terminated: the signed case ended early (terminated, awaiting or given a prosecution decision:
  states reached only through termination, and never left for an earlier one);
- outcome: the completed or terminated case has an outcome code recorded.

A scope narrowed to an offence group keeps the cases holding an offence in it (`ReportScope.cases`),
so a case with offences in two groups is in each group's funnel.

After signing, disproportionality (DOMAIN.md §8.3) follows two more steps by group, which are not
funnel steps and so are not in `STAGES` (`stage_flags(with_breaches=True)` adds them):

- breached: the signed case has at least one breach recorded, whatever the supervisor then decided.
  A withdrawal is left out: it is recorded as a breach but is the person's choice, not a failure
  (DOMAIN.md §7.1);
- prosecuted after breach: the breached case then went for a prosecution decision (the
  `terminated` step). Once signed, a case ends early only by a supervisor's decision on a breach,
  so this counts the breached people a supervisor terminated, a later withdrawal included.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    Text,
    and_,
    case,
    cast,
    extract,
    func,
    inspect,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import visitors

from casework.domain.breaches import BreachKind
from casework.domain.ethnic_groups import headline_group
from casework.domain.lifecycle import ENDED_EARLY_STATES, CaseState
from casework.domain.outcome_codes import Route
from casework.models import Breach, Case, CaseOutcome, Contract, Person, PersonMonitoring
from casework.services.report_scope import ReportScope

STAGES = (
    ("gate_started", "Gate started"),
    ("eligible", "Eligible"),
    ("offered", "Offered"),
    ("accepted", "Accepted"),
    ("first_contact", "First contact"),
    ("signed", "Contract signed"),
    ("completed", "Completed"),
    ("terminated", "Terminated"),
    ("outcome", "Outcome recorded"),
)
# The stage each share is taken of: completed and terminated both follow signing, and the outcome
# follows either.
PREVIOUS = {"completed": ("signed",), "terminated": ("signed",), "outcome": ("completed", "terminated")}

GROUPINGS = ("ethnicity", "sex", "age_band", "disability")
# Lower bounds of the age bands, in years on the London day the gate was started.
AGE_BANDS = ((0, "under_18"), (18, "18_24"), (25, "25_34"), (35, "35_44"), (45, "45_54"), (55, "55_and_over"))

# Terminated, and the states only a termination leads to (the prosecution decision and its closings).
_CLOSED_BY_DECISION = {
    CaseState.CLOSED_CHARGED,
    CaseState.CLOSED_ALTERNATIVE,
    CaseState.CLOSED_TIME_BARRED,
    CaseState.CLOSED_EVIDENTIAL,
}
_ENDED_EARLY = sorted(state.value for state in ENDED_EARLY_STATES | _CLOSED_BY_DECISION)

# The facts the stages after first contact read, one row per case at most (`with_case_facts`): the
# case's first contract version, the case's outcome (one per case), and the cases with a breach
# other than a withdrawal. Only the first version is signed before the case is active, and a
# variation (a later version) is made only once it is (services.contract_signing), so "a version
# was signed" is "the first version was signed", read through the (case, version) unique index.
_FIRST_CONTRACT = aliased(Contract, name="first_contract")
_OUTCOME = aliased(CaseOutcome, name="outcome")
_BREACHED = (
    select(Breach.case_id)
    .where(Breach.kind != BreachKind.WITHDRAWAL.value)
    .group_by(Breach.case_id)
    .subquery("breached")
)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    previous: int | None  # the count the share is taken of; None at the first stage

    @property
    def share(self) -> float | None:
        return self.count / self.previous if self.previous else None


@dataclass(frozen=True)
class GroupTable:
    """One row per group, one column per stage (`columns`, STAGES order in the funnel's):
    `suppress(counts, row_totals=False)`."""

    grouping: str
    groups: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    columns: tuple[str, ...]

    def count(self, group: str, column: str) -> int:
        """People in a group at a stage; none for a group no one in the scope belongs to."""
        if group not in self.groups:
            return 0
        return self.counts[self.groups.index(group)][self.columns.index(column)]


@dataclass(frozen=True)
class Funnel:
    stages: tuple[Stage, ...]
    ineligible_reasons: dict[str, int]  # a person found ineligible for several reasons counts under each
    not_offered_reasons: dict[str, int]
    declined_reasons: dict[str, int]
    outcome_codes: dict[int, int]
    by_group: dict[str, GroupTable]
    # London month ("2026-10") to the count at each stage (STAGES order), months with no cases left out.
    by_month: dict[str, tuple[int, ...]]


def funnel(session: Session, scope: ReportScope) -> Funnel:
    """The funnel of the cases in a scope (one team, or every team for a performance lead)."""
    cohort = scope.cases()
    first_day, last_day = scope.first_day, scope.last_day

    flags = stage_flags()
    # Query 1: every stage count, by each combination of the demographics. Every grouping counts
    # everyone once, so any one of them adds up to the totals.
    groups = by_group(session, scope, flags)
    totals = [sum(column) for column in zip(*groups[GROUPINGS[0]].counts, strict=True)] or [0] * len(STAGES)

    # Query 2: why people left at the gate and at the offer. Reason codes are a JSON list: grouped by
    # its text in SQL (few distinct lists), counted code by code here.
    eligible, offered = flags["eligible"], flags["offered"]
    ineligible, not_offered, declined = Counter(), Counter(), Counter()
    for is_eligible, is_offered, answer, reason, codes, count in session.execute(
        select(eligible, offered, Case.offer_outcome, Case.offer_reason, cast(Case.reason_codes, Text), func.count())
        .where(*cohort)
        .group_by(eligible, offered, Case.offer_outcome, Case.offer_reason, cast(Case.reason_codes, Text))
    ).all():
        if is_eligible is False and codes:
            for code in json.loads(codes):
                ineligible[code] += count
        elif is_eligible and not is_offered and answer == "not_offered":
            not_offered[reason] += count
        elif answer == "declined":
            declined[reason] += count

    # Query 3: the outcome codes of the completed and terminated.
    outcome_codes = dict(
        session.execute(
            with_case_facts(select(_OUTCOME.code, func.count()).select_from(Case), [flags["outcome"]])
            .where(*cohort, flags["outcome"])
            .group_by(_OUTCOME.code)
            .order_by(_OUTCOME.code)
        ).all()
    )

    # Query 4: each stage by the London month the gate was started, for the trend.
    month = _london_month(session, first_day, last_day)
    by_month = {
        str(key): tuple(int(count or 0) for count in counts)
        for key, *counts in session.execute(
            with_case_facts(
                select(month, *(func.sum(cast(flag, Integer)) for flag in flags.values())).select_from(Case),
                flags.values(),
            )
            .where(*cohort)
            .group_by(month)
            .order_by(month)
        ).all()
    }

    return Funnel(
        by_month=by_month,
        stages=_stages([totals[index] for index in range(len(STAGES))]),
        ineligible_reasons=dict(sorted(ineligible.items())),
        not_offered_reasons=dict(sorted(not_offered.items())),
        declined_reasons=dict(sorted(declined.items())),
        outcome_codes={int(code): count for code, count in outcome_codes.items()},
        by_group=groups,
    )


def by_group(session: Session, scope: ReportScope, flags: dict) -> dict[str, GroupTable]:
    """How many people in a scope each flag (a boolean SQL expression on `Case`, such as
    `stage_flags()`'s) holds for, by ethnicity (headline groups), sex, age band and disability:
    one grouped query however many cases."""
    age = _age(session, scope.first_day, scope.last_day)
    group_columns = (PersonMonitoring.ethnicity, PersonMonitoring.sex, PersonMonitoring.disability, age)
    statement = (
        select(*group_columns, *(func.sum(cast(flag, Integer)) for flag in flags.values()))
        .select_from(Case)
        .join(Person, Person.id == Case.person_id)
        .outerjoin(PersonMonitoring, PersonMonitoring.person_id == Case.person_id)
    )
    rows = session.execute(
        with_case_facts(statement, flags.values()).where(*scope.cases()).group_by(*group_columns)
    ).all()
    split: dict[str, Counter] = {grouping: Counter() for grouping in GROUPINGS}
    for ethnicity, sex, disability, years, *counts in rows:
        # No monitoring row yet counts as not stated, as a person who chose not to say does.
        keys = (headline_group(ethnicity), sex or "not_stated", age_band(int(years)), disability or "not_stated")
        for index, count in enumerate(counts):
            for grouping, key in zip(GROUPINGS, keys, strict=True):
                split[grouping][(key, index)] += int(count or 0)
    return {grouping: _table(grouping, counter, tuple(flags)) for grouping, counter in split.items()}


def stage_flags(*, with_breaches: bool = False) -> dict:
    """One boolean SQL expression per stage, each requiring the one before; with the two breach
    stages after signing (`breached`, `prosecuted_after_breach`) when asked. The stages after first
    contact read facts from other tables: a statement using them adds those tables with
    `with_case_facts`; a case with no row there reads as not having reached them."""
    signed_contract = _FIRST_CONTRACT.signed_at.is_not(None)
    completion = _OUTCOME.route.is_not_distinct_from(Route.COMPLETION.value)
    any_outcome = _OUTCOME.id.is_not(None)
    eligible = or_(Case.provisional_eligible.is_(True), Case.override_rationale.is_not(None))
    offered = and_(eligible, Case.offer_outcome.in_(("accepted", "declined")))
    accepted = and_(offered, Case.offer_outcome == "accepted")
    first_contact = and_(accepted, Case.first_contact_at.is_not(None))
    signed = and_(first_contact, signed_contract)
    completed = and_(signed, completion)
    terminated = and_(signed, Case.state.in_(_ENDED_EARLY))
    outcome = and_(or_(completed, terminated), any_outcome)
    flags = dict(
        gate_started=literal(True),
        eligible=eligible,
        offered=offered,
        accepted=accepted,
        first_contact=first_contact,
        signed=signed,
        completed=completed,
        terminated=terminated,
        outcome=outcome,
    )
    if with_breaches:
        breached = and_(signed, _BREACHED.c.case_id.is_not(None))
        flags.update(breached=breached, prosecuted_after_breach=and_(breached, terminated))
    return flags


def with_case_facts(statement: Select, flags: Iterable) -> Select:
    """The statement (whose FROM has `Case`) with the facts the flags read outer-joined to each case,
    at most one row per case. Joined once, rather than asked in correlated subqueries that ran again
    for every flag that repeats them (about 4 index probes per case; at a million cases the joins
    took a quarter to a third off the by-group query on PostgreSQL)."""
    read = {getattr(element, "table", None) for flag in flags for element in visitors.iterate(flag)}
    for facts, on in (
        (_FIRST_CONTRACT, and_(_FIRST_CONTRACT.case_id == Case.id, _FIRST_CONTRACT.version_number == 1)),
        (_OUTCOME, _OUTCOME.case_id == Case.id),
        (_BREACHED, _BREACHED.c.case_id == Case.id),
    ):
        if inspect(facts).selectable in read:
            statement = statement.outerjoin(facts, on)
    return statement


def age_band(years: int) -> str:
    """AGE_BANDS' label for an age in whole years."""
    return next(label for lower, label in reversed(AGE_BANDS) if years >= lower)


def _age(session: Session, first_day: date, last_day: date):
    """Age in whole years on the London day the gate was started, worked out in SQL so that cases
    are counted there rather than fetched. Grouped by age and banded here: a CASE choosing the band
    in SQL works the age out again for each band it tries (about a second at a million cases)."""
    day = _london_opened_day(session, first_day, last_day)
    birthday_to_come = case(
        (
            extract("month", day) * 100 + extract("day", day)
            < extract("month", Person.date_of_birth) * 100 + extract("day", Person.date_of_birth),
            1,
        ),
        else_=0,
    )
    return (extract("year", day) - extract("year", Person.date_of_birth) - birthday_to_come).label("age")


def _london_opened_day(session: Session, first_day: date, last_day: date):
    return london_time(session, Case.opened_at, range(first_day.year, last_day.year + 1))


def london_time(session: Session, column, years: range):
    """The London wall-clock time of a UTC time column, worked out in SQL. SQLite knows no time
    zones: there it is shifted by an hour inside British Summer Time of the given years, and an
    instant outside them is taken as GMT."""
    if session.get_bind().dialect.name == "postgresql":
        return func.timezone("Europe/London", func.timezone("UTC", column))
    summer = [and_(column >= begins, column < ends) for begins, ends in map(_summer_time, years)]
    shift = case((or_(*summer), "+1 hours"), else_="+0 hours")
    return func.datetime(column, shift, type_=String)


def london_date(session: Session, column, years: range):
    """The London date of a UTC time column (`london_time`'s), as a date."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(london_time(session, column, years), Date)
    return func.date(london_time(session, column, years), type_=Date)


def _london_month(session: Session, first_day: date, last_day: date):
    return london_month(session, Case.opened_at, range(first_day.year, last_day.year + 1))


def london_month(session: Session, column, years: range):
    """The London month of a UTC time column ("2026-10"), as the trend rows name it."""
    day = london_time(session, column, years)
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(day, "YYYY-MM").label("month")
    return func.strftime("%Y-%m", day).label("month")


def _summer_time(year: int) -> tuple[datetime, datetime]:
    """The UTC instants British Summer Time begins and ends in a year: 01:00 UTC on the last Sunday
    of March and of October (the rule since 1996)."""

    def change_in(month: int) -> datetime:
        sunday = max(date(year, month, day) for day in range(25, 32) if date(year, month, day).weekday() == 6)
        return datetime(sunday.year, sunday.month, sunday.day, 1, tzinfo=UTC)

    return change_in(3), change_in(10)


def _stages(totals: list[int]) -> tuple[Stage, ...]:
    count = {key: total for (key, _), total in zip(STAGES, totals, strict=True)}
    stages, before = [], None
    for key, label in STAGES:
        previous = sum(count[k] for k in PREVIOUS[key]) if key in PREVIOUS else before
        stages.append(Stage(key, label, count[key], previous))
        before = count[key]
    return tuple(stages)


def _table(grouping: str, counter: Counter, columns: tuple[str, ...]) -> GroupTable:
    groups = tuple(sorted({key for key, _ in counter}))
    counts = tuple(tuple(counter[(group, index)] for index in range(len(columns))) for group in groups)
    return GroupTable(grouping, groups, counts, columns)
