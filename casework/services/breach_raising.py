"""Breaches the service raises itself (DOMAIN.md §7.1): an absence the navigator classifies as
unacceptable, and a condition of the signed contract still not met when its due date has passed.

Each is raised exactly once: the database keeps one breach per check-in and one per condition not
met, and the insert gives way to a breach already there (a repeat, a race between two requests or
two schedulers) instead of failing what triggered it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from casework.db import dialect_insert
from casework.domain.breaches import RUNNING_STATES, SWEPT_STATES, BreachKind
from casework.domain.check_ins import Outcome
from casework.domain.clock import local, local_today
from casework.domain.contract_status import ContractStatus
from casework.domain.contract_terms import ConditionStatus
from casework.models import Breach, Case, CheckIn, Condition, Contract
from casework.services import breach_escalation, breach_evidence, breaches, contracts
from casework.services.concurrency import is_lost_race

_SETTLED = [ConditionStatus.MET.value, ConditionStatus.WAIVED.value]
_UNMET = BreachKind.CONDITION_NOT_MET.value


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
    met nor waived: a few, whatever the history, found from the running cases' index on state."""
    swept = [state.value for state in SWEPT_STATES]
    return (
        select(Case, Condition)
        .join(Contract, Contract.case_id == Case.id)
        .join(Condition, Condition.contract_id == Contract.id)
        .where(
            Case.state.in_(swept),
            Contract.status == ContractStatus.SIGNED.value,
            Condition.due_on < local_today(now),
            Condition.status.notin_(_SETTLED),
        )
    )


def _covered(overdue):
    """The overdue conditions already answered by a breach for their due date: raised on the condition
    itself, or on an earlier version's condition it was copied from with the same due date (a
    variation re-signs the conditions as new rows, but the person has not failed again). The walk
    goes up from the overdue conditions by primary key, so its cost follows them, not every breach
    ever raised."""
    start = overdue.with_only_columns(
        Condition.id.label("origin"),
        Condition.id.label("node"),
        Condition.copied_from_id.label("parent"),
        Condition.due_on.label("due_on"),
    ).cte("lineage", recursive=True)
    parent = aliased(Condition)
    lineage = start.union_all(
        select(start.c.origin, parent.id, parent.copied_from_id, parent.due_on).join(
            parent, and_(parent.id == start.c.parent, parent.due_on == start.c.due_on)
        )
    )
    return select(lineage.c.origin).join(Breach, and_(Breach.condition_id == lineage.c.node, Breach.kind == _UNMET))


def due_conditions(session: Session, *, now: datetime, limit: int | None = None):
    """(case, condition) for each condition of a signed contract in force whose due date has passed
    (London date) while it is neither met nor waived, on a case still running, not yet raised."""
    overdue = _overdue(now)
    return session.execute(
        overdue.where(Condition.id.notin_(_covered(overdue))).order_by(Condition.due_on, Condition.id).limit(limit)
    ).all()


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
