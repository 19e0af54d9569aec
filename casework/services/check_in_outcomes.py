"""What happened at a check-in (DOMAIN.md §6): the outcome, an absence's classification once the
person has had two working days to explain it, and the sweep that marks a check-in nobody recorded.

Outcomes are guarded: nothing is recorded for a check-in that has not started, and an absence
waits for the person's explanation before it is judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import String, cast, exists, select, update
from sqlalchemy.orm import Session

from casework.domain import check_ins as rules
from casework.domain.check_ins import ABSENCE_REASONS, ENGAGEMENT, Outcome
from casework.domain.clock import local, local_today, start_of_local_day
from casework.domain.errors import FieldError, IllegalTransition
from casework.domain.flags import FlagKind
from casework.domain.lifecycle import OPEN_STATES
from casework.domain.notifications import Event
from casework.domain.roles import Action
from casework.models import Case, CaseFlag, CheckIn, CheckInConditionNote, User
from casework.services import access, audit, breach_raising, contracts, flags, staff_notifications
from casework.services.check_ins import MAX_TEXT, STALE, awaiting_outcome, seen
from casework.services.concurrency import flush_or_stale


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
    seen(check_in, seen_version)
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
    seen(check_in, seen_version)
    require_classifiable(check_in, case=case)
    outcome = _checked(record, allowed=rules.CLASSIFICATIONS)
    # What was noted when the absence was recorded stays unless the classification says more.
    record = replace(
        record,
        note=record.note.strip() or check_in.note or "",
        safeguarding_concerns=record.safeguarding_concerns.strip() or check_in.safeguarding_concerns or "",
    )
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
    # An unacceptable absence is a breach (DOMAIN.md §7.1), raised once whatever repeats it.
    breach_raising.raise_for_absence(session, case=case, check_in=check_in, now=now)
    return check_in


def require_classifiable(check_in: CheckIn, *, case: Case) -> None:
    if not case.is_open:
        raise IllegalTransition("This case is closed.")
    if check_in.outcome != Outcome.AWAITING_EXPLANATION:
        raise IllegalTransition("Only an absence awaiting an explanation can be classified.")


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


def mark_missed(session: Session, *, now: datetime, limit: int | None = None) -> int:
    """Check-ins whose London day has ended with nothing recorded become absences awaiting an
    explanation, marked by the system, so the person's two working days run from the check-in as
    DOMAIN.md §6 says. The navigator still records what happened: an attendance replaces the mark.
    The guarded UPDATE claims each row once, however often or however many schedulers run it;
    `limit` takes the oldest that many, for the scheduler's batches."""
    cutoff = start_of_local_day(local_today(now))
    due = session.execute(
        select(CheckIn.id, CheckIn.scheduled_at, Case)
        .join(Case, Case.id == CheckIn.case_id)
        .where(CheckIn.outcome.is_(None), CheckIn.cancelled_at.is_(None), CheckIn.scheduled_at < cutoff)
        .where(Case.state.in_([state.value for state in OPEN_STATES]))
        .order_by(CheckIn.scheduled_at)
        .limit(limit)
    ).all()
    marked = 0
    for check_in_id, scheduled_at, case in due:
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
                case_id=case.id,
                team_id=case.team_id,
                check_in_id=check_in_id,
            )
            if case.navigator is not None and case.navigator.is_active:
                shown = local(scheduled_at)
                staff_notifications.notify(
                    session,
                    user=case.navigator,
                    event=Event.CHECK_IN_MISSED,
                    case=case,
                    text=f"Nothing was recorded for the check-in at {shown:%H:%M} on {shown.day} {shown:%B %Y}, "
                    "so it is marked as missed and awaits the person's explanation. Record what happened.",
                    now=now,
                    key=f"missed:{check_in_id}",
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


def flag_overdue_explanations(session: Session, *, now: datetime) -> int:
    """A flag on each absence still unclassified after the person's two working days, once per
    check-in; it resolves when the navigator classifies the absence."""
    flagged = exists().where(
        CaseFlag.case_id == CheckIn.case_id,
        CaseFlag.kind == FlagKind.EXPLANATION_OVERDUE.value,
        CaseFlag.subject == cast(CheckIn.id, String),
    )
    rows = session.execute(
        overdue_explanations(session, today=local_today(now))
        .with_only_columns(CheckIn.case_id, Case.team_id, CheckIn.id)
        .where(Case.state.in_([state.value for state in OPEN_STATES]), ~flagged)
        .order_by(None)
    ).all()
    due = [flags.Due(case_id, team_id, str(check_in_id)) for case_id, team_id, check_in_id in rows]
    return flags.raise_flags(session, kind=FlagKind.EXPLANATION_OVERDUE, due=due, now=now)
