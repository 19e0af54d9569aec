"""The check-ins a signed contract generates from the scheme's pattern, fitted again when a variation
moves the end, and cancelled by the service when the case ends.

check_ins is imported as a module and read at call time: it reaches this module again through
contracts and transitions (a case that ends cancels its check-ins).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from casework.domain import check_ins as rules
from casework.domain.check_ins import Mode, RequestedBy
from casework.domain.clock import from_local, local, local_today, start_of_local_day
from casework.domain.errors import FieldError
from casework.models import Case, CheckIn, Contract, User
from casework.services import audit, check_ins, schemes


def pattern_for(session: Session, *, today: date) -> rules.Pattern:
    settings = schemes.settings_on(session, today)
    return rules.Pattern(weekly=settings.weekly_check_ins, then_every_days=settings.then_check_in_every_days)


def generate_for_signing(
    session: Session, *, actor: User, case: Case, contract: Contract, plan: check_ins.SchedulePlan, now: datetime
) -> list[CheckIn]:
    """The whole term's check-ins from the scheme's pattern, at the planned time, mode and place.
    Days already holding a check-in on this case are left as they are."""
    place = plan.place.strip() or (contract.signing_place or "")
    if plan.mode not in {mode.value for mode in Mode}:
        raise FieldError("check_in_mode", "Select how the check-ins will be held")
    if not place:
        raise FieldError("check_in_place", "Enter where the check-ins will be held")
    days = rules.pattern_dates(contract.starts_on, contract.ends_on, pattern_for(session, today=local_today(now)))
    taken = {local_today(c.scheduled_at) for c in check_ins.for_case(session, case=case) if c.cancelled_at is None}
    created = [
        CheckIn(
            case_id=case.id,
            contract_id=contract.id,
            scheduled_at=from_local(day, plan.time_of_day),
            mode=plan.mode,
            place=place[: check_ins.MAX_PLACE],
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


def fit_to_varied_term(
    session: Session, *, actor: User, case: Case, contract: Contract, now: datetime, ends_on: date | None = None
) -> None:
    """A signed variation may move the end. Check-ins after a new, earlier end are cancelled by the
    service; a later end continues the pattern, held like the last check-in planned. `ends_on` is the
    term's end when a suspension has moved it past the contract's own (services/suspensions.py)."""
    ends_on = ends_on or contract.ends_on
    planned = [c for c in check_ins.for_case(session, case=case) if c.cancelled_at is None]
    end_instant = start_of_local_day(ends_on + timedelta(days=1))
    reason = f"The contract now ends on {ends_on:%d/%m/%Y}."
    for check_in in planned:
        if check_in.is_open and check_in.scheduled_at >= end_instant and check_in.scheduled_at > now:
            _cancel_by_service(session, check_in, reason=reason, actor=actor, now=now)
    kept = [c for c in planned if c.cancelled_at is None]
    if not kept:
        return
    last = max(kept, key=lambda c: c.scheduled_at)
    shown = local(last.scheduled_at)
    plan = check_ins.SchedulePlan(time_of_day=shown.time().replace(tzinfo=None), mode=last.mode, place=last.place)
    generated = [
        day
        for day in rules.pattern_dates(contract.starts_on, ends_on, pattern_for(session, today=local_today(now)))
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
        check_ins.history_entry(
            check_in, kind="cancelled", requested_by=RequestedBy.SERVICE.value, reason=reason, actor=actor, now=now
        )
    )
    check_in.cancelled_at, check_in.cancelled_by_id = now, actor.id if actor else None
    check_in.cancel_reason, check_in.requested_by = reason, RequestedBy.SERVICE.value


def _why_ended(case: Case) -> str:
    if case.case_state.is_terminal:
        return f"The case closed ({case.case_state.label})."
    return "The contract ended: the case went for a prosecution decision."


def cancel_for_closed_case(session: Session, *, case: Case, actor: User | None, now: datetime) -> int:
    """A case that has ended has no more check-ins: the ones still to come are cancelled by the
    service, so no reminder goes out and no calendar keeps them."""
    coming = [c for c in check_ins.for_case(session, case=case) if c.is_open and c.scheduled_at > now]
    for check_in in coming:
        _cancel_by_service(session, check_in, reason=_why_ended(case), actor=actor, now=now)
    session.flush()
    return len(coming)
