"""Reoffending follow-ups (DOMAIN.md §3.3, §8.1): every case that closes after referral, whatever
the outcome, gets a check 12 and 24 months on, counted from the later of the offence date and the
contract start (from the offence date if no contract started). The Checkpoint evaluation measured
24 months of PNC outcomes; the 12-month check gives an early reading. A supervisor records each result."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.domain.victims import (
    FOLLOW_UP_MONTHS,
    OUTCOME_STATES,
    REOFFENDING_RESULTS,
    RESULT_SOURCES,
    follow_up_due,
    follow_up_start,
)
from casework.models import Case, Contract, ReoffendingFollowUp, User
from casework.services import access, audit
from casework.services.concurrency import flush_or_stale, stale_message


def create_for_transition(session: Session, case: Case, after: CaseState, now: datetime) -> None:
    """Called by services.transitions.move: a case closing with an outcome gets both tasks, once."""
    if after in OUTCOME_STATES:
        create_for_case(session, case=case, now=now)


def contract_started_on(session: Session, *, case: Case) -> date | None:
    """The first signed version's start: a variation re-signs, but the contract started once."""
    return session.scalar(
        select(func.min(Contract.starts_on)).where(
            Contract.case_id == case.id, Contract.status.in_(("signed", "superseded"))
        )
    )


def create_for_case(session: Session, *, case: Case, now: datetime) -> list[ReoffendingFollowUp]:
    existing = {
        task.months: task
        for task in session.scalars(select(ReoffendingFollowUp).where(ReoffendingFollowUp.case_id == case.id))
    }
    offence_on = case.offence_last_on or case.offence_first_on
    start, basis = follow_up_start(offence_on, contract_started_on(session, case=case), closed_on=local_today(now))
    tasks = []
    for months in FOLLOW_UP_MONTHS:
        if months in existing:
            tasks.append(existing[months])
            continue
        task = ReoffendingFollowUp(
            case_id=case.id,
            months=months,
            counted_from=start,
            basis=basis.value,
            due_on=follow_up_due(start, months),
            created_at=now,
        )
        session.add(task)
        tasks.append(task)
        flush_or_stale(session, case_id=case.id)
        audit.record(
            session,
            actor=None,
            action="follow_up.created",
            now=now,
            case_id=case.id,
            team_id=case.team_id,
            months=months,
            basis=basis.value,
            due_on=task.due_on.isoformat(),
        )
    return tasks


def for_case(session: Session, *, case: Case) -> list[ReoffendingFollowUp]:
    query = select(ReoffendingFollowUp).where(ReoffendingFollowUp.case_id == case.id)
    return list(session.scalars(query.order_by(ReoffendingFollowUp.months)))


def due_for_team(session: Session, *, actor: User, today: date) -> tuple[list[ReoffendingFollowUp], int]:
    """The supervisor's list: checks due by today with no result yet, oldest first; and how many
    more fall due later (the list would otherwise grow with every closed case)."""
    access.require(actor, Action.VIEW_TEAM)
    outstanding = (
        select(ReoffendingFollowUp)
        .join(Case, Case.id == ReoffendingFollowUp.case_id)
        .where(Case.team_id == actor.team_id, ReoffendingFollowUp.result.is_(None))
    )
    due = session.scalars(
        outstanding.where(ReoffendingFollowUp.due_on <= today).order_by(
            ReoffendingFollowUp.due_on, ReoffendingFollowUp.id
        )
    )
    later = session.scalar(
        select(func.count()).select_from(outstanding.where(ReoffendingFollowUp.due_on > today).subquery())
    )
    return list(due), later or 0


def get(session: Session, *, actor: User, task_id: int | None) -> ReoffendingFollowUp:
    """A supervisor's own team's task; another team's is as good as missing."""
    task = session.get(ReoffendingFollowUp, task_id) if task_id else None
    if task is None:
        raise NotFound("There is no such follow-up.")
    access.require(actor, Action.VIEW_TEAM, team_id=task.case.team_id)
    return task


def record_result(
    session: Session,
    *,
    actor: User,
    task: ReoffendingFollowUp,
    result: str,
    source: str,
    source_detail: str,
    checked_on: date | None,
    seen_version: int,
    now: datetime,
) -> ReoffendingFollowUp:
    case = task.case
    access.require(actor, Action.VIEW_TEAM, team_id=case.team_id)
    if task.version != seen_version:
        raise StaleRecord(stale_message("this follow-up"), case_id=case.id)
    if task.result is not None:
        who = task.recorded_by.full_name if task.recorded_by else "someone"
        raise IllegalTransition(f"The result of this check was already recorded by {who}.")
    problems = []
    if result not in REOFFENDING_RESULTS:
        problems.append(FieldError("result", "Select whether the person has reoffended"))
    if source not in RESULT_SOURCES:
        problems.append(FieldError("source", "Select where the result comes from"))
    if source == "other" and not source_detail.strip():
        problems.append(FieldError("source_detail", "Say where the result comes from"))
    elif len(source_detail.strip()) > 200:
        problems.append(FieldError("source_detail", "Write 200 characters or fewer"))
    if checked_on is None:
        problems.append(FieldError("checked_on", "Enter the date of the check"))
    elif checked_on > local_today(now):
        problems.append(FieldError("checked_on", "The date of the check must be today or in the past"))
    elif checked_on < task.due_on:
        problems.append(
            FieldError(
                "checked_on",
                f"The {task.months}-month check is due on {task.due_on:%d/%m/%Y}: "
                "record a check made on or after that date",
            )
        )
    FieldErrors.raise_any(problems)
    task.result, task.source, task.checked_on = result, source, checked_on
    task.source_detail = source_detail.strip() or None
    task.recorded_by_id, task.recorded_at = actor.id, now
    flush_or_stale(session, stale_message("this follow-up"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="follow_up.result_recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        months=task.months,
        result=result,
        source=source,
    )
    return task
