"""Breaches the service raises itself (DOMAIN.md §7.1): an absence the navigator classifies as
unacceptable, and a condition of the signed contract still not met when its due date has passed.

Each is raised exactly once: the database keeps one breach per check-in and one per condition not
met, and the insert gives way to a breach already there (a repeat, a race between two requests or
two schedulers) instead of failing what triggered it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import literal_column, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.db import dialect_insert
from casework.domain.breaches import RUNNING_STATES, SWEPT_STATES, BreachKind
from casework.domain.check_ins import Outcome
from casework.domain.clock import local, local_today
from casework.domain.contract_status import ContractStatus
from casework.models import Breach, Case, CheckIn, Condition, Contract
from casework.models.contracts import SETTLED_CONDITION_STATUSES
from casework.services import breach_escalation, breach_evidence, breaches, contracts
from casework.services.concurrency import is_lost_race

# Literals, not bound parameters, so that the databases can match the partial index of conditions
# neither met nor waived (ix_conditions_unsettled_due).
_SETTLED = [literal_column(f"'{status.value}'") for status in SETTLED_CONDITION_STATUSES]
_UNMET = BreachKind.CONDITION_NOT_MET.value
# Conditions looked up by primary key a statement at a time, well within either database's limit on
# bound parameters however many fall due on one day.
CHUNK = 500


def raise_for_absence(session: Session, *, case: Case, check_in: CheckIn, now: datetime) -> Breach | None:
    """The breach for a check-in classified as an unacceptable absence, raised once: a repeat
    returns the breach already raised. None when the case has no running contract to breach."""
    if check_in.outcome != Outcome.UNACCEPTABLE_ABSENCE.value or case.case_state not in RUNNING_STATES:
        return None
    existing = raised_for(session, check_in=check_in)
    if existing is not None:
        return existing
    contract = contracts.in_force(session, case=case)
    if contract is None:
        return None
    kind = BreachKind.UNACCEPTABLE_ABSENCE
    reason = breach_escalation.reason_for(session, case=case, kind=kind, now=now)
    shown = local(check_in.scheduled_at)
    breach = Breach(
        case_id=case.id,
        kind=kind.value,
        occurred_on=shown.date(),
        summary=f"Did not attend the check-in at {shown:%H:%M} on {shown.day} {shown:%B %Y} "
        "without an acceptable reason.",
        raised_by_id=None,
        raised_at=now,
        contract_id=contract.id,
        check_in_id=check_in.id,
        explanation=check_in.absence_detail,
        evidence=breach_evidence.snapshot(session, case=case, kind=kind, contract=contract, check_in=check_in, now=now),
        **breach_escalation.review_fields(reason, actor=None, now=now),
    )
    try:
        with session.begin_nested():
            session.add(breach)
    except IntegrityError as clash:
        # Another request raised it first: theirs stands, and the classification goes on.
        winner = raised_for(session, check_in=check_in)
        if winner is None or not is_lost_race(clash):
            raise
        return winner
    breaches.audited(session, case=case, breach=breach, actor=None, now=now)
    if reason is not None:
        breach_escalation.reviewed(session, case=case, breach=breach, actor=None, now=now)
    return breach


def raised_for(session: Session, *, check_in: CheckIn) -> Breach | None:
    return session.scalar(select(Breach).where(Breach.check_in_id == check_in.id))


def _overdue(now: datetime):
    """Conditions of a signed contract on a running case, past their due date (London) and neither
    met nor waived, read from the partial index that holds only conditions neither met nor waived
    and with a due date, so the met conditions of years of completed cases are never read."""
    swept = [state.value for state in SWEPT_STATES]
    return (
        select(Condition.id, Condition.copied_from_id, Condition.due_on)
        .join(Contract, Contract.id == Condition.contract_id)
        .join(Case, Case.id == Contract.case_id)
        .where(
            Case.state.in_(swept),
            Contract.status == ContractStatus.SIGNED.value,
            Condition.due_on < local_today(now),
            Condition.status.notin_(_SETTLED),
        )
    )


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _covered(session: Session, overdue) -> set[int]:
    """The overdue conditions already answered by a breach for their due date: raised on the condition
    itself, or on an earlier version's condition it was copied from with the same due date (a
    variation re-signs the conditions as new rows, but the person has not failed again). The walk
    goes up from the overdue conditions by primary key, a step per variation, so its cost follows
    them, not every condition or breach ever recorded."""
    origins: dict[int, set[int]] = {row.id: {row.id} for row in overdue}
    step = {row.id: (row.copied_from_id, row.due_on) for row in overdue if row.copied_from_id is not None}
    while step:
        wanted = sorted({parent for parent, _ in step.values()})
        found = {}
        for ids in _chunks(wanted):
            query = select(Condition.id, Condition.copied_from_id, Condition.due_on).where(Condition.id.in_(ids))
            found.update({row.id: row for row in session.execute(query)})
        following = {}
        for child, (parent, due_on) in step.items():
            row = found.get(parent)
            if row is None or row.due_on != due_on:
                continue
            origins.setdefault(parent, set()).update(origins[child])
            if row.copied_from_id is not None:
                following[parent] = (row.copied_from_id, row.due_on)
        step = following
    covered: set[int] = set()
    for ids in _chunks(sorted(origins)):
        raised = select(Breach.condition_id).where(Breach.kind == _UNMET, Breach.condition_id.in_(ids))
        covered.update(origin for node in session.scalars(raised) for origin in origins[node])
    return covered


def due_conditions(session: Session, *, now: datetime, limit: int | None = None):
    """(case, condition) for each condition of a signed contract in force whose due date has passed
    (London date) while it is neither met nor waived, on a case still running, not yet raised; the
    earliest due first."""
    overdue = session.execute(_overdue(now)).all()
    covered = _covered(session, overdue)
    due = sorted((row.due_on, row.id) for row in overdue if row.id not in covered)[:limit]
    rows = []
    for ids in _chunks([condition_id for _, condition_id in due]):
        rows += session.execute(
            select(Case, Condition)
            .join(Contract, Contract.case_id == Case.id)
            .join(Condition, Condition.contract_id == Contract.id)
            .where(Condition.id.in_(ids))
        ).all()
    return sorted(rows, key=lambda row: (row[1].due_on, row[1].id))


def raise_for_unmet_conditions(session: Session, *, now: datetime, limit: int | None = None) -> int:
    """The scheduler's sweep: one breach per condition not met by its due date. ON CONFLICT DO
    NOTHING on the condition keeps it once however many schedulers run, and only the breaches this
    run inserted are audited and escalated. Returns how many it raised."""
    raised = 0
    for case, condition in due_conditions(session, now=now, limit=limit):
        contract = condition.contract
        kind = BreachKind.CONDITION_NOT_MET
        reason = breach_escalation.reason_for(session, case=case, kind=kind, now=now)
        values = dict(
            case_id=case.id,
            kind=kind.value,
            version=1,
            occurred_on=condition.due_on,
            summary=f"Condition {condition.position} was not met by its due date, "
            f"{condition.due_on.day} {condition.due_on:%B %Y}.",
            raised_by_id=None,
            raised_at=now,
            contract_id=contract.id,
            condition_id=condition.id,
            evidence=breach_evidence.snapshot(
                session, case=case, kind=kind, contract=contract, condition=condition, now=now
            ),
            **breach_escalation.review_fields(reason, actor=None, now=now),
        )
        statement = (
            dialect_insert(session)(Breach)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["condition_id"], index_where=text(f"kind = '{_UNMET}'"))
            .returning(Breach.id)
        )
        breach_id = session.scalar(statement)
        if breach_id is None:
            continue  # another scheduler raised it first
        breach = session.get(Breach, breach_id)
        breaches.audited(session, case=case, breach=breach, actor=None, now=now)
        if reason is not None:
            breach_escalation.reviewed(session, case=case, breach=breach, actor=None, now=now)
        raised += 1
    return raised
