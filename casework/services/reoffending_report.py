"""The reoffending report (DOMAIN.md §8.1, §8.2): the results of the 12- and 24-month checks made for
every case that closed with an outcome, reoffending among those who completed and those whose
contract was terminated, the checks still awaited, and new offences reported during the contract.
Small counts are suppressed (§8.3).

The product cannot see the PNC: a supervisor records each check's result (services.
reoffending_follow_ups). Cases belong to the range by the day their custody gate was started, as in
every report. How each figure is counted:

- a check's standing, judged on `today` (a London date): its recorded result (reoffended, no further
  offending found, not known), or no result yet, either due (its due date has come) or not yet due;
- how the case ended: completed; terminated (a contract was signed, then the case went to a
  prosecution decision); or ended before a contract was signed (no contact, or a refusal to sign);
- reoffending prevalence: of the checks with a known result (reoffended or not), the share that
  found reoffending. "Not known" results are left out of the base;
- reoffending during the contract: a person who signed a contract counts once, however many new
  offences, when a new-offence breach was recorded against it (DOMAIN.md §7.1: a recorded crime
  naming them as a suspect, or a charge; an arrest ending in no further action cannot be recorded)
  and the supervisor did not set every such report aside with "no action". A report still awaiting
  the supervisor's decision counts.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import Integer, and_, case, cast, func, literal_column, or_, select
from sqlalchemy.orm import Session

from casework.domain.breaches import BreachKind, Decision
from casework.domain.lifecycle import ENDED_EARLY_STATES, CaseState
from casework.domain.report_tables import Report, Table, counts_table, share_or_suppressed, sum_or_suppressed
from casework.domain.victims import FOLLOW_UP_MONTHS, OUTCOME_STATES
from casework.models import Breach, Case, Contract, ReoffendingFollowUp
from casework.services.report_scope import ReportScope

ENDINGS = (
    ("completed", "Completed"),
    ("terminated", "Terminated"),
    ("before_signing", "Ended before a contract was signed"),
)
CHECK_STATUSES = (
    ("reoffended", "Reoffended"),
    ("not_reoffended", "No further offending found"),
    ("unknown", "Result not known"),
    ("due", "No result yet: due"),
    ("not_yet_due", "No result yet: not yet due"),
)
# How a contract stood for the reoffending-during-the-contract table.
CONTRACT_ENDINGS = (
    ("completed", "Completed"),
    ("terminated", "Terminated"),
    ("running", "Contract not yet ended"),
)
DURING = (("new_offence", "New offence"), ("none", "No new offence"))

_TERMINATED = sorted(state.value for state in ENDED_EARLY_STATES | (OUTCOME_STATES - {CaseState.COMPLETED}))


def build(session: Session, scope: ReportScope) -> Report:
    """The reoffending report for a scope; `today` (scope.today, a London date) decides which checks are due."""
    today = scope.today
    checks = _checks(session, scope, today)
    during = _during_contract(session, scope)
    return Report(
        key="reoffending",
        title="Reoffending follow-ups",
        summary=(
            "Cases whose custody gate was started in the range. Every case that closes with an outcome "
            "gets a reoffending check 12 and 24 months on, whose result a supervisor records.",
            f"Checks are judged on {today.day} {today:%B %Y}: one with no result is due once its due date has come.",
        ),
        tables=(
            *(_checks_table(months, checks, scope.threshold) for months in FOLLOW_UP_MONTHS),
            _during_table(during, scope.threshold),
        ),
    )


def _signed_cases(scope: ReportScope):
    """The scope's cases with a signed version of their contract (the funnel's "Contract signed"
    step), as a derived table joined once: a subquery for each case made PostgreSQL expect a cost
    that switched on its slow JIT compiler."""
    return (
        select(Contract.case_id.label("case_id"))
        .join(Case, Case.id == Contract.case_id)
        .where(*scope.cases(), Contract.signed_at.is_not(None))
        .group_by(Contract.case_id)
        .subquery("signed")
    )


def _ending(state: str, signed: bool) -> str:
    """How a closed case ended (an ENDINGS key): the signature, not the outcome, tells a termination
    from a case that ended before its contract was signed."""
    if state == CaseState.COMPLETED.value:
        return "completed"
    return "terminated" if signed else "before_signing"


def _checks(session: Session, scope: ReportScope, today: date) -> Counter:
    """One grouped query: the checks on the scope's cases, by period and the case's state and
    signature, counted by where each check stands. Grouped by stored values, and each standing
    summed, so PostgreSQL expects few groups and counts them in a hash."""
    signed = _signed_cases(scope)
    has_signed = signed.c.case_id.is_not(None).label("signed")
    result, due = ReoffendingFollowUp.result, ReoffendingFollowUp.due_on
    standings = {
        "reoffended": result == "reoffended",
        "not_reoffended": result == "not_reoffended",
        "unknown": result == "unknown",
        "due": and_(result.is_(None), due <= today),
        "not_yet_due": and_(result.is_(None), due > today),
    }
    rows = session.execute(
        select(
            ReoffendingFollowUp.months,
            Case.state,
            has_signed,
            *(func.sum(cast(standings[key], Integer)) for key, _ in CHECK_STATUSES),
        )
        .join(Case, Case.id == ReoffendingFollowUp.case_id)
        .outerjoin(signed, signed.c.case_id == Case.id)
        .where(*scope.cases())
        .group_by(ReoffendingFollowUp.months, Case.state, has_signed)
    ).all()
    counts = Counter()
    for months, state, is_signed, *by_standing in rows:
        for (key, _), count in zip(CHECK_STATUSES, by_standing, strict=True):
            counts[(months, _ending(state, is_signed), key)] += int(count or 0)
    return counts


def _during_contract(session: Session, scope: ReportScope) -> Counter:
    """One grouped query: the people who signed a contract, by how it stands, and how many of them
    had a new offence recorded that was not set aside."""
    ending = case(
        (Case.state == CaseState.COMPLETED.value, literal_column("'completed'")),
        (Case.state.in_(_TERMINATED), literal_column("'terminated'")),
        else_=literal_column("'running'"),
    ).label("ending")
    reoffended = (
        select(Breach.case_id.label("case_id"))
        .join(Case, Case.id == Breach.case_id)
        .where(
            *scope.cases(),
            Breach.kind == BreachKind.NEW_OFFENCE.value,
            or_(Breach.decision.is_(None), Breach.decision != Decision.NO_ACTION.value),
        )
        .group_by(Breach.case_id)
        .subquery("reoffended")
    )
    signed = _signed_cases(scope)
    rows = session.execute(
        select(ending, func.count(), func.count(reoffended.c.case_id))
        .select_from(signed)
        .join(Case, Case.id == signed.c.case_id)
        .outerjoin(reoffended, reoffended.c.case_id == Case.id)
        .group_by(ending)
    ).all()
    counts = Counter()
    for key, people, new_offence in rows:
        counts[(key, "new_offence")] += new_offence
        counts[(key, "none")] += people - new_offence
    return counts


def _checks_table(months: int, checks: Counter, threshold: int) -> Table:
    counts = counts_table(
        f"checks-{months}",
        f"{months}-month checks, by how the case ended",
        label_header="How the case ended",
        labels=tuple(label for _, label in ENDINGS),
        headers=tuple(label for _, label in CHECK_STATUSES),
        counts=tuple(tuple(checks[(months, ending, key)] for key, _ in CHECK_STATUSES) for ending, _ in ENDINGS),
        threshold=threshold,
        row_totals=True,
        column_totals=True,
        notes=(
            "Terminated: a contract was signed, then the case went to a prosecution decision. Ended before a "
            "contract was signed: no contact was made, or the person would not sign.",
            "Reoffending is the share of the checks with a known result (reoffended, or no further "
            "offending found) that found reoffending.",
        ),
    )
    reoffended, not_reoffended = 1, 2  # the cells, after the row's label
    rows = [
        (*row, share_or_suppressed(row[reoffended], sum_or_suppressed(row[reoffended], row[not_reoffended])))
        for row in counts.rows
    ]
    return counts.widened(("Reoffended, share of known results",), rows)


def _during_table(during: Counter, threshold: int) -> Table:
    counts = counts_table(
        "during-contract",
        "New offences during the contract, by how the contract ended",
        label_header="How the contract ended",
        labels=tuple(label for _, label in CONTRACT_ENDINGS),
        headers=tuple(label for _, label in DURING),
        counts=tuple(tuple(during[(ending, key)] for key, _ in DURING) for ending, _ in CONTRACT_ENDINGS),
        threshold=threshold,
        row_totals=True,
        column_totals=True,
        notes=(
            "People who signed a contract. A person counts once, however many new offences, when a new "
            "offence was recorded as a breach of their contract (a recorded crime naming them as a suspect, "
            "or a charge) and the supervisor did not set every such report aside with no action. A report "
            "still awaiting the supervisor's decision counts.",
        ),
    )
    new_offence, total = 1, len(DURING) + 1
    rows = [(*row, share_or_suppressed(row[new_offence], row[total])) for row in counts.rows]
    return counts.widened(("New offence, share of those who signed",), rows)
