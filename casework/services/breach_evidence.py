"""The evidence a breach keeps (DOMAIN.md §7.3), as it stood when the breach was recorded.

The snapshot is plain JSON: the breached condition's exact wording in the signed version, the
check-in record with the reminders sent for each check-in, the person's explanation and evidence,
earlier warnings and breaches, the navigator's engagement assessments, and the time left to the
decision deadline. The supervisor decides on it and the prosecution file prints it, so later edits
elsewhere on the case never change what a breach was recorded on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain import standard_wordings
from casework.domain.breaches import BreachKind
from casework.domain.check_ins import Outcome
from casework.domain.clock import local_today
from casework.models import Breach, BreachWarning, Case, CheckIn, Condition, Contract
from casework.services import check_ins, reminders


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def condition_record(condition: Condition) -> dict[str, Any]:
    """The condition as the person signed it: the stored wording is what the signed PDF printed in
    English; the Welsh is the standard text's translation while the wording is unedited."""
    partner = condition.partner.name if condition.partner else ""
    return {
        "id": condition.id,
        "number": condition.position,
        "type": condition.type,
        "wording": condition.wording,
        "wording_cy": standard_wordings.in_language(
            condition.standard_wording, condition.wording, "cy", partner=partner
        ),
        "due_on": _day(condition.due_on),
        "status": condition.status,
        "rule": condition.rule,
        "target": condition.target,
        "achieved": condition.achieved,
    }


def _reminder(reminder) -> dict[str, Any]:
    return {
        "channel": reminder.channel,
        "hours_before": reminder.hours_before,
        "status": reminder.status,
        "due_at": _moment(reminder.due_at),
        "settled_at": _moment(reminder.settled_at),
        "note": reminder.note,
        "described": reminders.describe(reminder),
    }


def _check_in(check_in: CheckIn, sent) -> dict[str, Any]:
    outcome = check_in.check_in_outcome
    return {
        "id": check_in.id,
        "scheduled_at": _moment(check_in.scheduled_at),
        "mode": check_in.mode,
        "outcome": check_in.outcome,
        "outcome_label": outcome.label if outcome else "No outcome recorded",
        "absence_reason": check_in.absence_reason,
        "absence_detail": check_in.absence_detail,
        "evidence_seen": check_in.evidence_seen,
        "explanation_due_on": _day(check_in.explanation_due_on),
        "engagement": check_in.engagement,
        "reminders": [_reminder(reminder) for reminder in sent.get(check_in.id, [])],
    }


def _check_in_record(session: Session, case: Case, *, now: datetime) -> list[CheckIn]:
    """The check-ins held or missed so far (not those to come, not those cancelled)."""
    return [c for c in check_ins.for_case(session, case=case) if c.cancelled_at is None and c.scheduled_at <= now]


def _earlier(session: Session, case: Case) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    warnings = session.scalars(
        select(BreachWarning).where(BreachWarning.case_id == case.id).order_by(BreachWarning.issued_at)
    ).all()
    breaches = session.scalars(select(Breach).where(Breach.case_id == case.id).order_by(Breach.raised_at)).all()
    return (
        [
            {
                "level": w.level,
                "reason": w.reason,
                "issued_at": _moment(w.issued_at),
                "issued_by": w.issued_by.full_name,
                "breach_id": w.breach_id,
            }
            for w in warnings
        ],
        [
            {
                "id": b.id,
                "kind": b.kind,
                "occurred_on": _day(b.occurred_on),
                "status": b.status,
                "decision": b.decision,
            }
            for b in breaches
        ],
    )


def snapshot(
    session: Session,
    *,
    case: Case,
    kind: BreachKind,
    contract: Contract | None,
    condition: Condition | None = None,
    check_in: CheckIn | None = None,
    explanation: str | None = None,
    evidence_note: str | None = None,
    now: datetime,
) -> dict[str, Any]:
    today = local_today(now)
    held = _check_in_record(session, case, now=now)
    if check_in is not None and check_in not in held:
        held.append(check_in)
    sent = reminders.for_check_ins(session, [c.id for c in held])
    warnings, breaches = _earlier(session, case)
    if check_in is not None and explanation is None:
        explanation = check_in.absence_detail
    deadline = case.decision_deadline_on
    return {
        "kind": kind.value,
        "recorded_at": _moment(now),
        "contract": (
            {
                "id": contract.id,
                "version_number": contract.version_number,
                "signed_at": _moment(contract.signed_at),
                "starts_on": _day(contract.starts_on),
                "ends_on": _day(contract.ends_on),
            }
            if contract
            else None
        ),
        "condition": condition_record(condition) if condition is not None else None,
        "check_in": _check_in(check_in, sent) if check_in is not None else None,
        "check_ins": [_check_in(c, sent) for c in held],
        "missed": sum(1 for c in held if c.outcome == Outcome.UNACCEPTABLE_ABSENCE.value),
        "explanation": explanation,
        "evidence_note": evidence_note,
        "earlier_warnings": warnings,
        "earlier_breaches": breaches,
        "engagement": [
            {"scheduled_at": _moment(c.scheduled_at), "engagement": c.engagement}
            for c in held
            if c.engagement is not None
        ],
        "latest_charge_on": _day(case.latest_charge_on),
        "decision_deadline_on": _day(deadline),
        "days_to_decision_deadline": (deadline - today).days if deadline else None,
    }
