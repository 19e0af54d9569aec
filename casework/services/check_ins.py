"""Check-ins (DOMAIN.md §6): reading a case's check-ins, and adding, moving and cancelling them by hand.

A moved check-in keeps its row and gains a history entry, so "who asked, why, and when it was
before" is never lost. The schedule a signing generates is in check_in_schedule, outcomes and the
sweep that marks what nobody recorded in check_in_outcomes, and what a user may do with one
check-in now in check_in_actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.check_ins import Mode, Outcome, RequestedBy
from casework.domain.errors import FieldError, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.models import Case, CheckIn, CheckInChange, Condition, User
from casework.services import access, audit, contracts
from casework.services.concurrency import flush_or_stale, stale_message

# After first contact a navigator plans meetings; once the contract runs, the schedule carries on.
PLANNABLE = frozenset(
    {
        CaseState.ASSESSMENT,
        CaseState.CONTRACT_DRAFT,
        CaseState.CONTRACT_AWAITING_APPROVAL,
        CaseState.ACTIVE,
        CaseState.BREACH_REVIEW,
    }
)
MAX_PLACE = 300
MAX_TEXT = 4000
STALE = stale_message("this check-in")


@dataclass(frozen=True)
class Slot:
    """When, how and where a check-in is held."""

    at: datetime
    mode: str
    place: str


@dataclass(frozen=True)
class SchedulePlan:
    """How the check-ins a signing generates are held: the time of day, the mode and the place."""

    time_of_day: time = time(10, 0)
    mode: str = Mode.IN_PERSON.value
    place: str = ""


# --- reading ---------------------------------------------------------------------------------


def for_case(session: Session, *, case: Case) -> list[CheckIn]:
    return list(session.scalars(select(CheckIn).where(CheckIn.case_id == case.id).order_by(CheckIn.scheduled_at)))


def get(session: Session, *, actor: User, case: Case, check_in_id: int) -> CheckIn:
    access.require(actor, Action.VIEW_CASE, team_id=case.team_id)
    check_in = session.get(CheckIn, check_in_id)
    if check_in is None or check_in.case_id != case.id:
        raise NotFound("There is no such check-in on this case.")
    return check_in


def noted_conditions(session: Session, *, check_in: CheckIn) -> dict[int, Condition]:
    """The conditions its progress notes are about, by id (from whichever contract version)."""
    ids = [note.condition_id for note in check_in.condition_notes]
    return {c.id: c for c in session.scalars(select(Condition).where(Condition.id.in_(ids)))} if ids else {}


def next_for_case(session: Session, *, case: Case, now: datetime) -> CheckIn | None:
    return session.scalar(
        select(CheckIn)
        .where(CheckIn.case_id == case.id, CheckIn.scheduled_at >= now, CheckIn.cancelled_at.is_(None))
        .where(CheckIn.outcome.is_(None))
        .order_by(CheckIn.scheduled_at)
        .limit(1)
    )


def awaiting_outcome(check_in: CheckIn, *, now: datetime) -> bool:
    """Started and still without an outcome from a person: the navigator has something to record.
    An absence the system marked (nobody recorded anything) counts until a person confirms it."""
    if check_in.cancelled_at is not None or check_in.scheduled_at > now:
        return False
    return check_in.outcome is None or (
        check_in.outcome == Outcome.AWAITING_EXPLANATION and check_in.outcome_recorded_by_id is None
    )


# --- planning --------------------------------------------------------------------------------


def _validate_slot(slot: Slot, *, now: datetime) -> Slot:
    if slot.mode not in {mode.value for mode in Mode}:
        raise FieldError("mode", "Select how the check-in will be held")
    place = slot.place.strip()
    if not place:
        raise FieldError("place", Mode(slot.mode).place_missing)
    if len(place) > MAX_PLACE:
        raise FieldError("place", f"{Mode(slot.mode).place_label} must be {MAX_PLACE} characters or fewer")
    if slot.at <= now:
        raise FieldError("date", "The check-in must be in the future")
    return Slot(at=slot.at, mode=slot.mode, place=place)


def require_plannable(actor: User, case: Case) -> None:
    """Whether this actor may plan check-ins on this case now, or the reason not."""
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    if case.case_state not in PLANNABLE:
        raise IllegalTransition(f"Check-ins cannot be planned while a case is '{case.case_state.label}'.")


def planning_refusal(actor: User, case: Case) -> str | None:
    try:
        require_plannable(actor, case)
    except (IllegalTransition, NotPermitted) as refused:
        return refused.message
    return None


def _clash(session: Session, *, case: Case, at: datetime, other_than: int | None = None) -> None:
    """Two check-ins at one time on one case is always a typing mistake."""
    query = select(CheckIn.id).where(
        CheckIn.case_id == case.id, CheckIn.scheduled_at == at, CheckIn.cancelled_at.is_(None)
    )
    if other_than is not None:
        query = query.where(CheckIn.id != other_than)
    if session.scalar(query.limit(1)) is not None:
        raise FieldError("date", "There is already a check-in on this case at that time")


def add(session: Session, *, actor: User, case: Case, slot: Slot, now: datetime) -> CheckIn:
    require_plannable(actor, case)
    slot = _validate_slot(slot, now=now)
    _clash(session, case=case, at=slot.at)
    contract = contracts.in_force(session, case=case)
    check_in = CheckIn(
        case_id=case.id,
        contract_id=contract.id if contract else None,
        scheduled_at=slot.at,
        mode=slot.mode,
        place=slot.place,
        source="added",
        created_at=now,
        created_by_id=actor.id,
    )
    session.add(check_in)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="check_in.added",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        check_in_id=check_in.id,
        scheduled_at=slot.at.isoformat(),
        mode=slot.mode,
    )
    return check_in


def seen(check_in: CheckIn, seen_version: int) -> CheckIn:
    if check_in.version != seen_version:
        raise StaleRecord(STALE, case_id=check_in.case_id)
    return check_in


def _require_open(check_in: CheckIn, *, what: str) -> None:
    if check_in.cancelled_at is not None:
        raise IllegalTransition(f"This check-in was cancelled, so it cannot be {what}.")
    if check_in.outcome is not None:
        raise IllegalTransition(f"An outcome is already recorded for this check-in, so it cannot be {what}.")


def require_movable(check_in: CheckIn, *, now: datetime) -> None:
    _require_open(check_in, what="moved")
    if check_in.scheduled_at <= now:
        raise IllegalTransition("This check-in has already started: record what happened instead of moving it.")


def require_case_open(actor: User, case: Case) -> None:
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    if not case.is_open:
        raise IllegalTransition("This case is closed.")


def require_cancellable(check_in: CheckIn, *, now: datetime) -> None:
    _require_open(check_in, what="cancelled")
    if check_in.scheduled_at <= now:
        raise IllegalTransition(
            "This check-in has already started. If it did not take place for a service reason, "
            "record that as its outcome."
        )


def _requester(requested_by: str) -> str:
    if requested_by not in {who.value for who in RequestedBy}:
        raise FieldError("requested_by", "Select who asked for the change")
    return requested_by


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise FieldError("reason", "Say why")
    if len(reason) > MAX_TEXT:
        raise FieldError("reason", f"The reason must be {MAX_TEXT} characters or fewer")
    return reason


def history_entry(check_in: CheckIn, *, kind: str, requested_by: str, reason: str, actor: User | None, now: datetime):
    return CheckInChange(
        check_in=check_in,
        kind=kind,
        requested_by=requested_by,
        reason=reason,
        previous_at=check_in.scheduled_at,
        previous_mode=check_in.mode,
        previous_place=check_in.place,
        changed_by_id=actor.id if actor else None,
        changed_at=now,
    )


def reschedule(
    session: Session,
    *,
    actor: User,
    case: Case,
    check_in: CheckIn,
    slot: Slot,
    requested_by: str,
    reason: str,
    seen_version: int,
    now: datetime,
) -> CheckIn:
    """Move a check-in that has not happened; the old time, who asked and why stay in its history."""
    require_plannable(actor, case)
    seen(check_in, seen_version)
    require_movable(check_in, now=now)
    requested_by, slot = _requester(requested_by), _validate_slot(slot, now=now)
    reason = _reason(reason)
    if (slot.at, slot.mode, slot.place) == (check_in.scheduled_at, check_in.mode, check_in.place):
        raise FieldError("date", "Nothing has changed: enter the new time, mode or place")
    _clash(session, case=case, at=slot.at, other_than=check_in.id)
    change = history_entry(check_in, kind="rescheduled", requested_by=requested_by, reason=reason, actor=actor, now=now)
    change.new_at = slot.at
    session.add(change)
    check_in.scheduled_at, check_in.mode, check_in.place = slot.at, slot.mode, slot.place
    flush_or_stale(session, STALE, case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="check_in.rescheduled",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        check_in_id=check_in.id,
        previous_at=change.previous_at.isoformat(),
        scheduled_at=slot.at.isoformat(),
        requested_by=requested_by,
    )
    return check_in


def cancel(
    session: Session,
    *,
    actor: User,
    case: Case,
    check_in: CheckIn,
    requested_by: str,
    reason: str,
    seen_version: int,
    now: datetime,
) -> CheckIn:
    require_case_open(actor, case)
    seen(check_in, seen_version)
    require_cancellable(check_in, now=now)
    requested_by, reason = _requester(requested_by), _reason(reason)
    session.add(
        history_entry(check_in, kind="cancelled", requested_by=requested_by, reason=reason, actor=actor, now=now)
    )
    check_in.cancelled_at, check_in.cancelled_by_id = now, actor.id
    check_in.cancel_reason, check_in.requested_by = reason, requested_by
    flush_or_stale(session, STALE, case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="check_in.cancelled",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        check_in_id=check_in.id,
        requested_by=requested_by,
    )
    return check_in
