"""The updates a victim is owed (DOMAIN.md §3.3): when the contract starts, when a breach is decided
and when the case reaches its outcome, each due by the Victims' Code deadline (5 working days, or 1
for a victim with enhanced rights) from the event's date in England and Wales.

Each event owes exactly one row (a unique key), and the row records when nothing is owed and why:
no identifiable victim, or a victim who asked not to be updated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.domain.victims import UPDATE_METHODS, NotOwed, UpdateEvent, update_due, update_event_for
from casework.models import Breach, Case, User, VictimUpdate
from casework.services import access, audit, victims
from casework.services.concurrency import flush_or_stale, stale_message

MAX_SUMMARY = 2000


def owe_for_transition(session: Session, case: Case, before: CaseState, after: CaseState, now: datetime) -> None:
    """Called by services.transitions.move: the contract starting and the outcome owe an update."""
    event = update_event_for(before, after)
    if event is not None:
        _owe(session, case=case, event=event, breach=None, now=now)


def owe_for_breach_decision(session: Session, *, case: Case, breach: Breach, now: datetime) -> VictimUpdate:
    """Called when a supervisor decides a breach: one update per breach decided."""
    return _owe(session, case=case, event=UpdateEvent.BREACH_DECIDED, breach=breach, now=now)


def _owe(session: Session, *, case: Case, event: UpdateEvent, breach: Breach | None, now: datetime) -> VictimUpdate:
    subject_id = breach.id if breach is not None else 0
    existing = session.scalar(
        select(VictimUpdate).where(
            VictimUpdate.case_id == case.id, VictimUpdate.event == event.value, VictimUpdate.subject_id == subject_id
        )
    )
    if existing is not None:
        return existing
    record = victims.for_case(session, case=case)
    event_on = local_today(now)
    update = VictimUpdate(
        case_id=case.id,
        event=event.value,
        subject_id=subject_id,
        breach_id=breach.id if breach is not None else None,
        event_on=event_on,
        created_at=now,
    )
    if victims.no_identified_victim(case, record):
        update.not_owed_reason = NotOwed.NO_VICTIM.value
    elif record is not None and not record.wants_updates:
        update.not_owed_reason = NotOwed.DECLINED_UPDATES.value
    else:
        # A victim whose details are not recorded yet is still owed the update, on the standard deadline.
        update.enhanced = bool(record and record.enhanced_rights)
        update.due_on = update_due(event_on, enhanced=update.enhanced)
    session.add(update)
    flush_or_stale(session, case_id=case.id)
    audit.record(
        session,
        actor=None,
        action="victim_update.owed" if update.owed else "victim_update.not_owed",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        event=event.value,
        due_on=update.due_on.isoformat() if update.due_on else None,
        reason=update.not_owed_reason,
        breach_id=update.breach_id,
    )
    return update


def for_case(session: Session, *, case: Case) -> list[VictimUpdate]:
    return list(session.scalars(select(VictimUpdate).where(VictimUpdate.case_id == case.id).order_by(VictimUpdate.id)))


def chosen(session: Session, *, actor: User, case: Case, update_id: int | None) -> VictimUpdate | None:
    """The update asked for, or with none named the next one still to give (None if there is none)."""
    victims.require_access(actor, case)
    if update_id is None:
        waiting = [u for u in for_case(session, case=case) if u.owed and u.given_on is None]
        return min(waiting, key=lambda u: (u.due_on, u.id), default=None)
    update = session.get(VictimUpdate, update_id)
    if update is None or update.case_id != case.id:
        raise NotFound("There is no such update on this case.")
    return update


def record_given(
    session: Session,
    *,
    actor: User,
    update: VictimUpdate,
    given_on: date | None,
    method: str,
    summary: str,
    seen_version: int,
    now: datetime,
) -> VictimUpdate:
    """The navigator or supervisor records the update as given: when, how, and what was said in brief."""
    case = update.case
    victims.require_access(actor, case)
    if update.version != seen_version:
        raise StaleRecord(stale_message("this update"), case_id=case.id)
    if not update.owed:
        raise IllegalTransition("No update is owed for this event, so none can be recorded.")
    if update.given_on is not None:
        who = update.given_by.full_name if update.given_by else "someone"
        raise IllegalTransition(f"This update was already recorded as given on {update.given_on:%d/%m/%Y} by {who}.")
    problems = []
    today = local_today(now)
    if given_on is None:
        problems.append(FieldError("given_on", "Enter the date the update was given"))
    elif given_on > today:
        problems.append(FieldError("given_on", "The date the update was given must be today or in the past"))
    elif given_on < update.event_on:
        problems.append(
            FieldError("given_on", f"The update cannot be given before the event, on {update.event_on:%d/%m/%Y}")
        )
    if method not in UPDATE_METHODS:
        problems.append(FieldError("method", "Select how the update was given"))
    if not summary.strip():
        problems.append(FieldError("summary", "Write what the victim was told, in brief"))
    elif len(summary.strip()) > MAX_SUMMARY:
        problems.append(FieldError("summary", f"Write {MAX_SUMMARY} characters or fewer"))
    FieldErrors.raise_any(problems)
    update.given_on, update.method, update.summary = given_on, method, summary.strip()
    update.given_by_id, update.recorded_at = actor.id, now
    flush_or_stale(session, stale_message("this update"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="victim_update.given",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        event=update.event,
        method=method,
        met=bool(update.met),
    )
    return update


def outstanding_before_completion(session: Session, *, case: Case) -> list[str]:
    """DOMAIN.md §3.2: a case completes only with each update owed so far given or marked not owed.
    (The outcome's own update is owed by completing, so it cannot be one of these.) For the
    completion guard to list beside its other reasons."""
    return [
        f"An update owed to the victim is not recorded as given: {u.update_event.label.lower()}, "
        f"due {u.due_on.day} {u.due_on:%B %Y}."
        for u in for_case(session, case=case)
        if u.owed and u.given_on is None
    ]


@dataclass(frozen=True)
class DueUpdate:
    update: VictimUpdate
    overdue: bool


def due_for_team(session: Session, *, actor: User, today: date) -> list[DueUpdate]:
    """The supervisor's list: updates owed and not yet given on the team's cases, overdue first,
    then by due date (an overdue one is always due earlier, but the order says so on purpose)."""
    access.require(actor, Action.VIEW_TEAM)
    query = (
        select(VictimUpdate)
        .join(Case, Case.id == VictimUpdate.case_id)
        .where(Case.team_id == actor.team_id, VictimUpdate.due_on.is_not(None), VictimUpdate.given_on.is_(None))
    )
    rows = [DueUpdate(update, update.overdue(today)) for update in session.scalars(query)]
    return sorted(rows, key=lambda row: (not row.overdue, row.update.due_on, row.update.case.reference))
