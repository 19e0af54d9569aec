"""Compliance and change (DOMAIN.md §8.2): how contracts ended, breaches, warnings, check-in
absences, conditions, need scores at entry against exit, and referrals, counted in SQL over the
cases of a `ReportScope` (services.compliance_report makes them tables).

Every figure is about the cases whose custody gate was started in the scope's range (as in the
funnel); each case counts as one person. What each figure counts:

- how contracts stand: cases with a signed contract, as completed, terminated (ended early: the
  termination and the prosecution decision and closings only a termination leads to) or still
  running. A case ended before it signed anything is not here: it had no contract to complete;
- warnings: the formal and final warnings given on each signed case, whenever given;
- breaches: every breach recorded on a case, whatever was decided on it later, by kind; a case
  counts once under each kind it had;
- check-ins: those with an outcome recorded (cancelled and future ones have none), by outcome;
- conditions: those of the contract version in force (a superseded version's are replaced by the
  variation's copies). A person with several conditions of one type (or at one partner) counts
  once, by the worst of them: not met, then still open, then waived, then met. A condition kept
  for the whole term (no further offending) is never marked met by progress: on a completed case
  it was kept, so it counts as met, as completion sign-off treats it;
- need scores: completed entry and exit assessments of the same case, domain by domain;
- referrals: every referral of a case, by partner service; acknowledged and attended are read
  from the referral's history, so a referral that moved on still counts; completed and declined
  are where it stands now.

A fixed seven statements, however many cases (tests/services/test_compliance_report.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, distinct, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from casework.domain.contract_status import OPEN_CONDITION_STATUSES, ContractStatus
from casework.domain.contract_terms import CompletionRule, ConditionStatus
from casework.domain.lifecycle import ENDED_EARLY_STATES, CaseState
from casework.domain.referrals import ReferralStatus
from casework.models import (
    Assessment,
    AssessmentDomain,
    Breach,
    BreachWarning,
    Case,
    CheckIn,
    Condition,
    Contract,
    PartnerService,
    Referral,
    ReferralUpdate,
    Team,
)
from casework.models.assessments import COMPLETED
from casework.services.report_scope import ReportScope

STANDINGS = ("completed", "terminated", "running")
# Terminated, and the states only a termination leads to.
_CLOSED_BY_DECISION = {
    CaseState.CLOSED_CHARGED,
    CaseState.CLOSED_ALTERNATIVE,
    CaseState.CLOSED_TIME_BARRED,
    CaseState.CLOSED_EVIDENTIAL,
}
_TERMINATED_STATES = sorted(state.value for state in ENDED_EARLY_STATES | _CLOSED_BY_DECISION)
# Warnings per case are grouped 0, 1, 2 and "3 or more".
MOST_WARNINGS = 3

# How settled a person's conditions of one kind are, worst last: the worst of several is theirs.
SETTLED = ("met", "waived", "open", "not_met")

# A partner took the referral up: it acknowledged it, put the person on its waiting list, or
# offered an appointment (whatever happened next).
_TAKEN_UP = tuple(
    status.value for status in ReferralStatus if status not in (ReferralStatus.SENT, ReferralStatus.DECLINED)
)


@dataclass(frozen=True)
class Counted:
    """People (cases), and the things counted about them (breaches, check-ins)."""

    people: int
    things: int


@dataclass(frozen=True)
class NeedChange:
    """One need domain: people scored at entry and exit, how their need moved, and the sums of
    their levels (for the means); and those scored at entry with no completed exit assessment yet."""

    lower: int
    same: int
    higher: int
    entry_total: int
    exit_total: int
    entry_only: int

    @property
    def paired(self) -> int:
        return self.lower + self.same + self.higher


@dataclass(frozen=True)
class Uptake:
    """People referred to one partner service, and how many of them reached each point."""

    partner: str
    referred: int
    taken_up: int
    attended: int
    did_not_attend: int
    completed: int
    declined: int


@dataclass(frozen=True)
class Compliance:
    # (standing, warnings given, capped at MOST_WARNINGS) -> signed cases, and the warnings they had
    warnings: dict[tuple[str, int], Counted]
    breaches: dict[str, Counted]  # breach kind -> people, breaches
    check_ins: dict[str, Counted]  # check-in outcome -> people, check-ins
    conditions_by_type: dict[tuple[str, str], int]  # (condition type, SETTLED) -> people
    partner_names: dict[int, str]
    conditions_by_partner: dict[tuple[int, str], int]  # (partner service id, SETTLED) -> people
    needs: dict[str, NeedChange]  # need domain -> change
    referrals: dict[int, Uptake]  # partner service id -> uptake

    def standing(self, standing: str) -> int:
        return sum(counted.people for (key, _), counted in self.warnings.items() if key == standing)


def compliance(session: Session, scope: ReportScope) -> Compliance:
    cohort = scope.cases()
    every_team = scope.team_id is None
    warnings = _warnings(session, cohort)
    breaches = _counted(session, cohort, Breach.kind, Breach.case_id, Breach.id)
    check_ins = _counted(session, cohort, CheckIn.outcome, CheckIn.case_id, CheckIn.id, CheckIn.outcome.is_not(None))
    conditions_by_type = _conditions(session, cohort, Condition.type)
    conditions_by_partner, partner_names = _conditions_by_partner(session, cohort, every_team)
    return Compliance(
        warnings=warnings,
        breaches=breaches,
        check_ins=check_ins,
        conditions_by_type=conditions_by_type,
        partner_names=partner_names,
        conditions_by_partner=conditions_by_partner,
        needs=_needs(session, cohort),
        referrals=_referrals(session, cohort, every_team),
    )


def _signed() -> ColumnElement[bool]:
    return (
        select(Contract.id).where(Contract.case_id == Case.id, Contract.signed_at.is_not(None)).correlate(Case).exists()
    )


def _warnings(session: Session, cohort) -> dict[tuple[str, int], Counted]:
    """Statement 1: signed cases by how they stand and how many warnings each was given."""
    standing = case(
        (Case.state == CaseState.COMPLETED.value, "completed"),
        (Case.state.in_(_TERMINATED_STATES), "terminated"),
        else_="running",
    ).label("standing")
    # Joined and grouped by case rather than counted case by case: one hash join over the cohort.
    per_case = (
        select(standing, func.count(BreachWarning.id).label("given"))
        .select_from(Case)
        .outerjoin(BreachWarning, BreachWarning.case_id == Case.id)
        .where(*cohort, _signed())
        .group_by(Case.id, Case.state)
        .subquery()
    )
    band = case((per_case.c.given >= MOST_WARNINGS, MOST_WARNINGS), else_=per_case.c.given).label("band")
    rows = session.execute(
        select(per_case.c.standing, band, func.count(), func.sum(per_case.c.given)).group_by(per_case.c.standing, band)
    ).all()
    return {(standing, int(band)): Counted(people, int(given or 0)) for standing, band, people, given in rows}


def _counted(session: Session, cohort, key, case_id, row_id, *where) -> dict[str, Counted]:
    """Statements 2 and 3: breaches by kind, check-ins by outcome; the people and the rows."""
    rows = session.execute(
        select(key, func.count(distinct(case_id)), func.count(row_id))
        .join(Case, Case.id == case_id)
        .where(*cohort, *where)
        .group_by(key)
    ).all()
    return {str(value): Counted(people, things) for value, people, things in rows}


def _settled():
    """How settled one condition of the version in force is (an index into SETTLED)."""
    kept_to_the_end = and_(
        Condition.rule == CompletionRule.WHOLE_TERM.value,
        Case.state == CaseState.COMPLETED.value,
        Condition.status.in_([status.value for status in OPEN_CONDITION_STATUSES]),
    )
    return case(
        (Condition.status == ConditionStatus.NOT_MET.value, SETTLED.index("not_met")),
        (Condition.status == ConditionStatus.WAIVED.value, SETTLED.index("waived")),
        (or_(Condition.status == ConditionStatus.MET.value, kept_to_the_end), SETTLED.index("met")),
        else_=SETTLED.index("open"),
    )


def _per_person(cohort, key):
    """Each person's worst condition for each value of `key` (a condition type, a partner)."""
    return (
        select(key.label("key"), func.max(_settled()).label("settled"))
        .select_from(Condition)
        .join(Contract, Contract.id == Condition.contract_id)
        .join(Case, Case.id == Contract.case_id)
        .where(*cohort, Contract.status == ContractStatus.SIGNED.value, key.is_not(None))
        .group_by(Case.id, key)
        .subquery()
    )


def _conditions(session: Session, cohort, key) -> dict[tuple[str, str], int]:
    """Statement 4: people by condition type and how settled their conditions of that type are."""
    per_person = _per_person(cohort, key)
    rows = session.execute(
        select(per_person.c.key, per_person.c.settled, func.count()).group_by(per_person.c.key, per_person.c.settled)
    ).all()
    return {(str(value), SETTLED[settled]): people for value, settled, people in rows}


def _conditions_by_partner(session: Session, cohort, every_team: bool) -> tuple[dict[tuple[int, str], int], dict]:
    """Statement 5: the same by the partner service that delivers the condition, with its name."""
    per_person = _per_person(cohort, Condition.partner_service_id)
    rows = session.execute(
        select(per_person.c.key, PartnerService.name, Team.name, per_person.c.settled, func.count())
        .join(PartnerService, PartnerService.id == per_person.c.key)
        .join(Team, Team.id == PartnerService.team_id)
        .group_by(per_person.c.key, PartnerService.name, Team.name, per_person.c.settled)
    ).all()
    names = {partner: _partner(name, team, every_team) for partner, name, team, _, _ in rows}
    return {(partner, SETTLED[settled]): people for partner, _, _, settled, people in rows}, names


def _partner(name: str, team: str, every_team: bool) -> str:
    # Each team keeps its own directory: across teams, two services may share a name.
    return f"{name} ({team})" if every_team else name


def _needs(session: Session, cohort) -> dict[str, NeedChange]:
    """Statement 6: each domain's level at entry against exit, for cases with both completed."""
    entry, leaving = aliased(Assessment), aliased(Assessment)
    at_entry, at_exit = aliased(AssessmentDomain), aliased(AssessmentDomain)

    def people(condition) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    paired = at_exit.id.is_not(None)
    rows = session.execute(
        select(
            at_entry.domain,
            people(at_exit.need_level < at_entry.need_level),
            people(at_exit.need_level == at_entry.need_level),
            people(at_exit.need_level > at_entry.need_level),
            func.sum(case((paired, at_entry.need_level), else_=0)),
            func.coalesce(func.sum(at_exit.need_level), 0),
            people(not_(paired)),
        )
        .select_from(Case)
        .join(entry, and_(entry.case_id == Case.id, entry.stage == "entry", entry.status == COMPLETED))
        .join(at_entry, at_entry.assessment_id == entry.id)
        .outerjoin(leaving, and_(leaving.case_id == Case.id, leaving.stage == "exit", leaving.status == COMPLETED))
        .outerjoin(at_exit, and_(at_exit.assessment_id == leaving.id, at_exit.domain == at_entry.domain))
        .where(*cohort)
        .group_by(at_entry.domain)
    ).all()
    return {domain: NeedChange(*(int(value or 0) for value in values)) for domain, *values in rows}


def _referrals(session: Session, cohort, every_team: bool) -> dict[int, Uptake]:
    """Statement 7: people referred to each partner service and how far their referrals went."""

    def reached(*statuses: str) -> ColumnElement[bool]:
        return (
            select(ReferralUpdate.id)
            .where(ReferralUpdate.referral_id == Referral.id, ReferralUpdate.status.in_(statuses))
            .correlate(Referral)
            .exists()
        )

    def people(condition) -> ColumnElement[int]:
        return func.count(distinct(case((condition, Referral.case_id))))

    rows = session.execute(
        select(
            Referral.partner_service_id,
            PartnerService.name,
            Team.name,
            func.count(distinct(Referral.case_id)),
            people(reached(*_TAKEN_UP)),
            people(reached(ReferralStatus.ATTENDED.value)),
            people(reached(ReferralStatus.DID_NOT_ATTEND.value)),
            people(Referral.status == ReferralStatus.COMPLETED.value),
            people(Referral.status == ReferralStatus.DECLINED.value),
        )
        .join(Case, Case.id == Referral.case_id)
        .join(PartnerService, PartnerService.id == Referral.partner_service_id)
        .join(Team, Team.id == PartnerService.team_id)
        .where(*cohort)
        .group_by(Referral.partner_service_id, PartnerService.name, Team.name)
    ).all()
    return {partner: Uptake(_partner(name, team, every_team), *counts) for partner, name, team, *counts in rows}
