"""Suspending a contract's term and resuming it (DOMAIN.md §3.1: "the paused days extend the end
date but never the legal time limit").

The signed contract is never touched: its bytes must stay reproducible (DOMAIN.md §7.3). The days
paused are kept on the suspension, and the term's end is the signed end plus every day paused
(`term_end`). The latest charge date and the decision deadline on the case never move; a resume
that would push the extended end, with the file-preparation margin, past the latest charge date is
refused. The check-ins the suspension cancelled come back after it, moved on by the days paused."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain import contract_terms as terms
from casework.domain.bank_holidays import next_working_day, previous_working_day
from casework.domain.check_ins import RequestedBy
from casework.domain.clock import from_local, local, local_today, start_of_local_day
from casework.domain.errors import FieldError, IllegalTransition, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Action
from casework.models import Breach, Case, CheckIn, Suspension, User
from casework.services import access, audit, check_ins, contracts, schemes, transitions
from casework.services.concurrency import flush_or_stale, stale_message


def current(session: Session, *, case: Case) -> Suspension | None:
    return session.scalar(select(Suspension).where(Suspension.case_id == case.id, Suspension.resumed_on.is_(None)))


def for_case(session: Session, *, case: Case) -> list[Suspension]:
    return list(session.scalars(select(Suspension).where(Suspension.case_id == case.id).order_by(Suspension.starts_on)))


def extension_days(session: Session, *, case: Case) -> int:
    """Every day the term has been paused and then resumed."""
    return session.scalar(
        select(func.coalesce(func.sum(Suspension.paused_days), 0)).where(Suspension.case_id == case.id)
    )


def term_end(session: Session, *, case: Case) -> date | None:
    """The day the term now ends: the signed end, moved on by the days paused. None without a
    signed contract. Completion and the check-in schedule follow this date, never the legal ones."""
    signed = contracts.in_force(session, case=case)
    if signed is None or signed.ends_on is None:
        return None
    return signed.ends_on + timedelta(days=extension_days(session, case=case))


def start_problem(session: Session, *, case: Case, starts_on: date | None, today: date) -> str | None:
    """Why the term cannot be paused from this day, or None."""
    signed = contracts.in_force(session, case=case)
    if signed is None:
        return "Only a signed contract can be suspended"
    if starts_on is None:
        return "Enter the date the suspension starts from"
    if starts_on > today:
        return "The suspension must start today or earlier"
    if starts_on < signed.starts_on:
        return f"The suspension cannot start before the contract started on {_day(signed.starts_on)}"
    earlier = [s.resumed_on for s in for_case(session, case=case) if s.resumed_on]
    if earlier and starts_on < max(earlier):
        return f"The suspension cannot start before the last one ended on {_day(max(earlier))}"
    end = term_end(session, case=case)
    if end is not None and starts_on > end:
        return f"The term already ended on {_day(end)}"
    return None


def begin(
    session: Session, *, actor: User, case: Case, breach: Breach | None, starts_on: date, reason: str, now: datetime
) -> Suspension:
    """Pause the term from `starts_on` (checked by the caller with `start_problem`): the case moves
    to SUSPENDED and the check-ins still to come are cancelled by the service."""
    signed = contracts.in_force(session, case=case)
    suspension = Suspension(
        case_id=case.id,
        contract_id=signed.id,
        breach_id=breach.id if breach else None,
        starts_on=starts_on,
        reason=reason,
        suspended_by_id=actor.id,
        suspended_at=now,
    )
    session.add(suspension)
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    transitions.move(
        session,
        case,
        CaseEvent.SUSPEND,
        actor=actor,
        now=now,
        suspension_id=suspension.id,
        from_on=starts_on.isoformat(),
    )
    paused_from = max(now, start_of_local_day(starts_on))
    for check_in in check_ins.for_case(session, case=case):
        if check_in.is_open and check_in.scheduled_at > paused_from:
            _cancel(session, check_in, reason=_cancel_reason(suspension), actor=actor, now=now)
    session.flush()
    return suspension


def resume_refusal(session: Session, *, actor: User, case: Case) -> str | None:
    """Why this supervisor may not resume this case now, or None."""
    access.require(actor, Action.DECIDE_BREACH, team_id=case.team_id)
    if case.case_state is not CaseState.SUSPENDED or current(session, case=case) is None:
        return "This case is not suspended."
    return None


def resume(
    session: Session, *, actor: User, case: Case, resumed_on: date | None, seen_version: int, now: datetime
) -> Suspension:
    refusal = resume_refusal(session, actor=actor, case=case)
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)
    if refusal:
        raise IllegalTransition(refusal)
    transitions.require_allowed(case, CaseEvent.RESUME)
    suspension = current(session, case=case)
    today = local_today(now)
    if resumed_on is None:
        raise FieldError("resumed_on", "Enter the date the term starts again")
    if resumed_on > today:
        raise FieldError("resumed_on", "The term can start again today or earlier, not in the future")
    if resumed_on < suspension.starts_on:
        raise FieldError(
            "resumed_on", f"The term cannot start again before the suspension began on {_day(suspension.starts_on)}"
        )
    paused = (resumed_on - suspension.starts_on).days
    signed = contracts.in_force(session, case=case)
    new_end = signed.ends_on + timedelta(days=extension_days(session, case=case) + paused)
    margin = schemes.settings_on(session, today).time_limit_margin_days
    if not terms.passes_time_limit(new_end, margin_days=margin, latest_charge=case.latest_charge_on):
        raise IllegalTransition(
            f"The term cannot resume: {paused} days paused would move the end of the contract to {_day(new_end)}. "
            f"With the {margin} days needed to prepare a prosecution file, that is past the latest charge date, "
            f"{_day(case.latest_charge_on)}, which never moves. Terminate the contract instead, so the prosecution "
            f"decision can be made by {_day(case.decision_deadline_on)}."
        )
    suspension.resumed_on, suspension.paused_days = resumed_on, paused
    suspension.resumed_by_id, suspension.resumed_at = actor.id, now
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    transitions.move(
        session,
        case,
        CaseEvent.RESUME,
        actor=actor,
        now=now,
        suspension_id=suspension.id,
        paused_days=paused,
        term_ends_on=new_end.isoformat(),
    )
    _bring_back_check_ins(session, actor=actor, case=case, suspension=suspension, new_end=new_end, now=now)
    return suspension


def _bring_back_check_ins(
    session: Session, *, actor: User, case: Case, suspension: Suspension, new_end: date, now: datetime
) -> None:
    """The check-ins the suspension cancelled, each moved on by the days paused (the term's pattern
    carries on where it stopped), on a working day and within the extended term."""
    cancelled = session.scalars(
        select(CheckIn).where(
            CheckIn.case_id == case.id,
            CheckIn.cancelled_at == suspension.suspended_at,
            CheckIn.cancel_reason == _cancel_reason(suspension),
        )
    ).all()
    taken = {local_today(c.scheduled_at) for c in check_ins.for_case(session, case=case) if c.cancelled_at is None}
    added = 0
    for old in sorted(cancelled, key=lambda c: c.scheduled_at):
        shown = local(old.scheduled_at)
        day = next_working_day(shown.date() + timedelta(days=suspension.paused_days))
        if day > new_end:
            day = previous_working_day(new_end)
        at = from_local(day, shown.time().replace(tzinfo=None))
        if day in taken or at <= now:
            continue
        taken.add(day)
        session.add(
            CheckIn(
                case_id=case.id,
                contract_id=old.contract_id,
                scheduled_at=at,
                mode=old.mode,
                place=old.place,
                source="pattern",
                created_at=now,
                created_by_id=actor.id,
            )
        )
        added += 1
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="check_in.schedule_resumed",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        added=added,
        term_ends_on=new_end.isoformat(),
    )


def _cancel_reason(suspension: Suspension) -> str:
    return f"The contract is suspended from {_day(suspension.starts_on)}."


def _cancel(session: Session, check_in: CheckIn, *, reason: str, actor: User, now: datetime) -> None:
    session.add(
        check_ins.history_entry(
            check_in, kind="cancelled", requested_by=RequestedBy.SERVICE.value, reason=reason, actor=actor, now=now
        )
    )
    check_in.cancelled_at, check_in.cancelled_by_id = now, actor.id
    check_in.cancel_reason, check_in.requested_by = reason, RequestedBy.SERVICE.value


def _day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not set"
