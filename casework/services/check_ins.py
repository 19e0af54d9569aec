"""Check-ins (DOMAIN.md §6): the schedule a signed contract generates, check-ins added, moved and
cancelled by hand, the outcome of each, and the sweeps that notice what nobody recorded.

A moved check-in keeps its row and gains a history entry, so "who asked, why, and when it was
before" is never lost. Outcomes are guarded: nothing is recorded for a check-in that has not
started, and an absence waits for the person's explanation before it is judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.domain import check_ins as rules
from casework.domain.check_ins import ABSENCE_REASONS, ENGAGEMENT, Mode, Outcome, RequestedBy
from casework.domain.clock import from_local, local, local_today, start_of_local_day
from casework.domain.errors import FieldError, IllegalTransition, NotFound, StaleRecord
from casework.domain.lifecycle import OPEN_STATES, CaseState
from casework.domain.roles import Action
from casework.models import Case, CheckIn, CheckInChange, CheckInConditionNote, Contract, User
from casework.services import access, audit, contracts, schemes
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


def _require_plannable(actor: User, case: Case) -> None:
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    if case.case_state not in PLANNABLE:
        raise IllegalTransition(f"Check-ins cannot be planned while a case is '{case.case_state.label}'.")


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
    _require_plannable(actor, case)
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


def _seen(check_in: CheckIn, seen_version: int) -> CheckIn:
    if check_in.version != seen_version:
        raise StaleRecord(STALE, case_id=check_in.case_id)
    return check_in


def _require_open(check_in: CheckIn, *, what: str) -> None:
    if check_in.cancelled_at is not None:
        raise IllegalTransition(f"This check-in was cancelled, so it cannot be {what}.")
    if check_in.outcome is not None:
        raise IllegalTransition(f"An outcome is already recorded for this check-in, so it cannot be {what}.")


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


def _history(check_in: CheckIn, *, kind: str, requested_by: str, reason: str, actor: User | None, now: datetime):
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
    _require_plannable(actor, case)
    _seen(check_in, seen_version)
    _require_open(check_in, what="moved")
    if check_in.scheduled_at <= now:
        raise IllegalTransition("This check-in has already started: record what happened instead of moving it.")
    requested_by, slot = _requester(requested_by), _validate_slot(slot, now=now)
    reason = _reason(reason)
    if (slot.at, slot.mode, slot.place) == (check_in.scheduled_at, check_in.mode, check_in.place):
        raise FieldError("date", "Nothing has changed: enter the new time, mode or place")
    _clash(session, case=case, at=slot.at, other_than=check_in.id)
    change = _history(check_in, kind="rescheduled", requested_by=requested_by, reason=reason, actor=actor, now=now)
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
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    if not case.is_open:
        raise IllegalTransition("This case is closed.")
    _seen(check_in, seen_version)
    _require_open(check_in, what="cancelled")
    if check_in.scheduled_at <= now:
        raise IllegalTransition(
            "This check-in has already started. If it did not take place for a service reason, "
            "record that as its outcome."
        )
    requested_by, reason = _requester(requested_by), _reason(reason)
    session.add(_history(check_in, kind="cancelled", requested_by=requested_by, reason=reason, actor=actor, now=now))
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


# --- the schedule a signing generates ----------------------------------------------------------


def pattern_for(session: Session, *, today: date) -> rules.Pattern:
    settings = schemes.settings_on(session, today)
    return rules.Pattern(weekly=settings.weekly_check_ins, then_every_days=settings.then_check_in_every_days)


def generate_for_signing(
    session: Session, *, actor: User, case: Case, contract: Contract, plan: SchedulePlan, now: datetime
) -> list[CheckIn]:
    """The whole term's check-ins from the scheme's pattern, at the planned time, mode and place.
    Days already holding a check-in on this case are left as they are."""
    place = plan.place.strip() or (contract.signing_place or "")
    if plan.mode not in {mode.value for mode in Mode}:
        raise FieldError("check_in_mode", "Select how the check-ins will be held")
    if not place:
        raise FieldError("check_in_place", "Enter where the check-ins will be held")
    days = rules.pattern_dates(contract.starts_on, contract.ends_on, pattern_for(session, today=local_today(now)))
    taken = {local_today(c.scheduled_at) for c in for_case(session, case=case) if c.cancelled_at is None}
    created = [
        CheckIn(
            case_id=case.id,
            contract_id=contract.id,
            scheduled_at=from_local(day, plan.time_of_day),
            mode=plan.mode,
            place=place[:MAX_PLACE],
            source="pattern",
            created_at=now,
            created_by_id=actor.id,
        )
        for day in days
        if day not in taken and from_local(day, plan.time_of_day) > now
    ]
    session.add_all(created)
    session.flush()
    if created:
        audit.record(
            session,
            actor=actor,
            action="check_in.schedule_generated",
            now=now,
            case_id=case.id,
            team_id=case.team_id,
            contract_version=contract.version_number,
            count=len(created),
            first=created[0].scheduled_at.isoformat(),
            last=created[-1].scheduled_at.isoformat(),
        )
    return created


def fit_to_varied_term(session: Session, *, actor: User, case: Case, contract: Contract, now: datetime) -> None:
    """A signed variation may move the end. Check-ins after a new, earlier end are cancelled by the
    service; a later end continues the pattern, held like the last check-in planned."""
    planned = [c for c in for_case(session, case=case) if c.cancelled_at is None]
    end_instant = start_of_local_day(contract.ends_on + timedelta(days=1))
    reason = f"The contract now ends on {contract.ends_on:%d/%m/%Y}."
    for check_in in planned:
        if check_in.is_open and check_in.scheduled_at >= end_instant and check_in.scheduled_at > now:
            _cancel_by_service(session, check_in, reason=reason, actor=actor, now=now)
    kept = [c for c in planned if c.cancelled_at is None]
    if not kept:
        return
    last = max(kept, key=lambda c: c.scheduled_at)
    shown = local(last.scheduled_at)
    plan = SchedulePlan(time_of_day=shown.time().replace(tzinfo=None), mode=last.mode, place=last.place)
    generated = [
        day
        for day in rules.pattern_dates(
            contract.starts_on, contract.ends_on, pattern_for(session, today=local_today(now))
        )
        if day > shown.date()
    ]
    for day in generated:
        session.add(
            CheckIn(
                case_id=case.id,
                contract_id=contract.id,
                scheduled_at=from_local(day, plan.time_of_day),
                mode=plan.mode,
                place=plan.place,
                source="pattern",
                created_at=now,
                created_by_id=actor.id,
            )
        )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="check_in.schedule_fitted",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        contract_version=contract.version_number,
        added=len(generated),
    )


def _cancel_by_service(session: Session, check_in: CheckIn, *, reason: str, actor: User | None, now: datetime):
    session.add(
        _history(
            check_in, kind="cancelled", requested_by=RequestedBy.SERVICE.value, reason=reason, actor=actor, now=now
        )
    )
    check_in.cancelled_at, check_in.cancelled_by_id = now, actor.id if actor else None
    check_in.cancel_reason, check_in.requested_by = reason, RequestedBy.SERVICE.value


def cancel_for_closed_case(session: Session, *, case: Case, actor: User | None, now: datetime) -> int:
    """A case that has ended has no more check-ins: the ones still to come are cancelled by the
    service, so no reminder goes out and no calendar keeps them."""
    coming = [c for c in for_case(session, case=case) if c.is_open and c.scheduled_at > now]
    for check_in in coming:
        _cancel_by_service(
            session, check_in, reason=f"The case closed ({case.case_state.label}).", actor=actor, now=now
        )
    session.flush()
    return len(coming)


# --- outcomes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRecord:
    outcome: str
    engagement: int | None = None
    late_minutes: int | None = None
    late_reason: str = ""
    absence_reason: str = ""
    absence_detail: str = ""
    evidence_seen: bool = False
    service_reason: str = ""
    note: str = ""
    safeguarding_concerns: str = ""
    # condition id -> what the check-in found about it
    condition_notes: dict[int, str] = field(default_factory=dict)


def _text(value: str, field_name: str, what: str) -> str | None:
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise FieldError(field_name, f"{what} must be {MAX_TEXT} characters or fewer")
    return value or None


def _checked(record: OutcomeRecord, *, allowed: tuple[Outcome, ...]) -> Outcome:
    try:
        outcome = Outcome(record.outcome)
    except ValueError:
        raise FieldError("outcome", "Select what happened") from None
    if outcome not in allowed:
        raise FieldError("outcome", "Select what happened")
    if outcome.attended and record.engagement not in ENGAGEMENT:
        raise FieldError("engagement", "Select how engaged the person was, from 1 to 5")
    if outcome is Outcome.LATE:
        if record.late_minutes is None or record.late_minutes <= 0:
            raise FieldError("late_minutes", "Enter how many minutes late the person was, as a whole number")
        if record.late_minutes > 24 * 60:
            raise FieldError("late_minutes", "Enter the minutes late: more than a day late is an absence")
        if not record.late_reason.strip():
            raise FieldError("late_reason", "Enter the reason the person gave for being late")
    if outcome in (Outcome.ACCEPTABLE_ABSENCE, Outcome.UNACCEPTABLE_ABSENCE) or record.absence_reason:
        if outcome is Outcome.ACCEPTABLE_ABSENCE and record.absence_reason not in ABSENCE_REASONS:
            raise FieldError("absence_reason", "Select the reason for the absence")
        if record.absence_reason and record.absence_reason not in ABSENCE_REASONS:
            raise FieldError("absence_reason", "Select the reason for the absence")
        if record.absence_reason == "other" and not record.absence_detail.strip():
            raise FieldError("absence_detail", "Say what the other reason was")
    if outcome is Outcome.UNACCEPTABLE_ABSENCE and not record.absence_detail.strip():
        raise FieldError("absence_detail", "Say why the absence is not acceptable")
    if outcome is Outcome.NOT_HELD_SERVICE_REASON and not record.service_reason.strip():
        raise FieldError("service_reason", "Say why the service could not hold the check-in")
    return outcome


def _condition_notes(session: Session, *, case: Case, check_in: CheckIn, notes: dict[int, str]) -> None:
    contract = contracts.in_force(session, case=case)
    conditions = {c.id for c in (contract.conditions if contract else [])}
    existing = {note.condition_id: note for note in check_in.condition_notes}
    for condition_id, text in notes.items():
        text = text.strip()
        if condition_id not in conditions:
            raise FieldError("outcome", "A progress note names a condition that is not on the contract in force")
        if len(text) > MAX_TEXT:
            raise FieldError(f"condition_{condition_id}", f"The note must be {MAX_TEXT} characters or fewer")
        if condition_id in existing:
            if text:
                existing[condition_id].note = text
            else:
                check_in.condition_notes.remove(existing[condition_id])
        elif text:
            check_in.condition_notes.append(CheckInConditionNote(condition_id=condition_id, note=text))


def recordable(check_in: CheckIn, *, case: Case, now: datetime) -> None:
    """Whether an outcome may be recorded for this check-in now, or the reason not."""
    if not case.is_open:
        raise IllegalTransition("This case is closed, so no outcome can be recorded.")
    if check_in.cancelled_at is not None:
        raise IllegalTransition("This check-in was cancelled, so it has no outcome.")
    if check_in.scheduled_at > now:
        shown = local(check_in.scheduled_at)
        raise IllegalTransition(
            f"This check-in starts at {shown:%H:%M} on {shown.day} {shown:%B %Y}. "
            "Record what happened once it has started."
        )
    if check_in.outcome is not None and not awaiting_outcome(check_in, now=now):
        raise IllegalTransition(
            "An outcome is already recorded for this check-in."
            + (" Classify the absence instead." if check_in.outcome == Outcome.AWAITING_EXPLANATION else "")
        )


def record_outcome(
    session: Session,
    *,
    actor: User,
    case: Case,
    check_in: CheckIn,
    record: OutcomeRecord,
    seen_version: int,
    now: datetime,
) -> CheckIn:
    """What happened at a check-in. "Did not attend" starts the person's two working days to explain."""
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    _seen(check_in, seen_version)
    recordable(check_in, case=case, now=now)
    outcome = _checked(record, allowed=rules.RECORDABLE)
    _apply(check_in, outcome, record, actor=actor, now=now)
    if outcome is Outcome.AWAITING_EXPLANATION:
        check_in.explanation_due_on = rules.explanation_due_on(local_today(check_in.scheduled_at))
        check_in.missed_recorded_at = now
    else:
        check_in.explanation_due_on = None
    _condition_notes(session, case=case, check_in=check_in, notes=record.condition_notes)
    flush_or_stale(session, STALE, case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="check_in.outcome_recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        check_in_id=check_in.id,
        outcome=outcome.value,
        engagement=record.engagement if outcome.attended else None,
        safeguarding=bool(record.safeguarding_concerns.strip()),
    )
    return check_in


def classify_absence(
    session: Session,
    *,
    actor: User,
    case: Case,
    check_in: CheckIn,
    record: OutcomeRecord,
    seen_version: int,
    now: datetime,
) -> CheckIn:
    """Settle an absence awaiting explanation as acceptable or not; who decided goes in the audit log."""
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    _seen(check_in, seen_version)
    if not case.is_open:
        raise IllegalTransition("This case is closed.")
    if check_in.outcome != Outcome.AWAITING_EXPLANATION:
        raise IllegalTransition("Only an absence awaiting an explanation can be classified.")
    outcome = _checked(record, allowed=rules.CLASSIFICATIONS)
    _apply(check_in, outcome, record, actor=actor, now=now)
    flush_or_stale(session, STALE, case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="check_in.absence_classified",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        check_in_id=check_in.id,
        outcome=outcome.value,
        reason=record.absence_reason or None,
        evidence_seen=record.evidence_seen,
        explained_in_time=local_today(now) <= (check_in.explanation_due_on or local_today(now)),
    )
    return check_in


def _apply(check_in: CheckIn, outcome: Outcome, record: OutcomeRecord, *, actor: User, now: datetime) -> None:
    check_in.outcome = outcome.value
    check_in.outcome_recorded_at, check_in.outcome_recorded_by_id = now, actor.id
    check_in.engagement = record.engagement if outcome.attended else None
    check_in.late_minutes = record.late_minutes if outcome is Outcome.LATE else None
    check_in.late_reason = _text(record.late_reason, "late_reason", "The reason") if outcome is Outcome.LATE else None
    absent = outcome in (Outcome.ACCEPTABLE_ABSENCE, Outcome.UNACCEPTABLE_ABSENCE)
    check_in.absence_reason = (record.absence_reason or None) if absent else None
    check_in.absence_detail = _text(record.absence_detail, "absence_detail", "The detail") if absent else None
    check_in.evidence_seen = record.evidence_seen if absent else None
    check_in.service_reason = (
        _text(record.service_reason, "service_reason", "The reason")
        if outcome is Outcome.NOT_HELD_SERVICE_REASON
        else None
    )
    check_in.note = _text(record.note, "note", "The note")
    check_in.safeguarding_concerns = _text(record.safeguarding_concerns, "safeguarding_concerns", "The concerns")


# --- sweeps (run by the scheduler process, as the system) ---------------------------------------


def mark_missed(session: Session, *, now: datetime) -> int:
    """Check-ins whose London day has ended with nothing recorded become absences awaiting an
    explanation, marked by the system, so the person's two working days run from the check-in as
    DOMAIN.md §6 says. The navigator still records what happened: an attendance replaces the mark.
    The guarded UPDATE claims each row once, however often or however many schedulers run it."""
    cutoff = start_of_local_day(local_today(now))
    due = session.execute(
        select(CheckIn.id, CheckIn.case_id, CheckIn.scheduled_at, Case.team_id)
        .join(Case, Case.id == CheckIn.case_id)
        .where(CheckIn.outcome.is_(None), CheckIn.cancelled_at.is_(None), CheckIn.scheduled_at < cutoff)
        .where(Case.state.in_([state.value for state in OPEN_STATES]))
        .order_by(CheckIn.scheduled_at)
    ).all()
    marked = 0
    for check_in_id, case_id, scheduled_at, team_id in due:
        claimed = session.execute(
            update(CheckIn)
            .where(CheckIn.id == check_in_id, CheckIn.outcome.is_(None), CheckIn.cancelled_at.is_(None))
            .values(
                outcome=Outcome.AWAITING_EXPLANATION.value,
                outcome_recorded_at=now,
                missed_recorded_at=now,
                explanation_due_on=rules.explanation_due_on(local_today(scheduled_at)),
                version=CheckIn.version + 1,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            marked += 1
            audit.record(
                session,
                actor=None,
                action="check_in.marked_missed",
                now=now,
                case_id=case_id,
                team_id=team_id,
                check_in_id=check_in_id,
            )
    return marked


def overdue_explanations(session: Session, *, today: date, team_id: int | None = None):
    """Absences still awaiting an explanation after the person's two working days."""
    query = (
        select(CheckIn)
        .join(Case, Case.id == CheckIn.case_id)
        .where(CheckIn.outcome == Outcome.AWAITING_EXPLANATION.value, CheckIn.explanation_due_on < today)
        .order_by(CheckIn.explanation_due_on)
    )
    if team_id is not None:
        query = query.where(Case.team_id == team_id)
    return query
