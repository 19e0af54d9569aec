"""When a breach goes to the supervisor (DOMAIN.md §7.2), and what follows once it does.

The rule itself is domain.breaches.review_reason; this module counts what it needs from the case
(the unacceptable failures already recorded, leaving out those a supervisor reclassified with "no
action", and whether a final warning was given), moves the case to breach review through the
lifecycle, and tells the team's supervisors.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from casework.domain.breaches import RUNNING_STATES, BreachKind, BreachStatus, Decision, ReviewReason, WarningLevel
from casework.domain.breaches import review_reason as rule
from casework.domain.clock import local_today
from casework.domain.errors import IllegalTransition
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.notifications import Event
from casework.domain.roles import Role
from casework.models import Breach, BreachWarning, Case, User, UserRole
from casework.services import audit, schemes, staff_notifications, transitions

FAILURES = [kind.value for kind in BreachKind if kind.is_failure]


def require_running(case: Case) -> None:
    """A breach belongs to a running contract: refused before, and once it has ended or been decided."""
    if case.case_state not in RUNNING_STATES:
        raise IllegalTransition(
            f"This case is {case.case_state.label.lower()}, so no breach can be recorded. "
            "Breaches are recorded only while a signed contract is running."
        )


def earlier_failures(session: Session, *, case: Case) -> int:
    """Unacceptable failures already recorded on the case's contract (every version of it), not
    counting those a supervisor decided needed no action (reclassified as acceptable)."""
    return session.scalar(
        select(func.count())
        .select_from(Breach)
        .where(
            Breach.case_id == case.id,
            Breach.kind.in_(FAILURES),
            or_(Breach.decision.is_(None), Breach.decision != Decision.NO_ACTION.value),
        )
    )


def final_warning_given(session: Session, *, case: Case) -> bool:
    given = select(BreachWarning.id).where(
        BreachWarning.case_id == case.id, BreachWarning.level == WarningLevel.FINAL.value
    )
    return session.scalar(given.limit(1)) is not None


def reason_for(session: Session, *, case: Case, kind: BreachKind, now: datetime) -> ReviewReason | None:
    """Why a breach about to be recorded goes straight to review, or None when it stays with the navigator."""
    settings = schemes.settings_on(session, local_today(now))
    return rule(
        kind,
        earlier_failures=earlier_failures(session, case=case) if kind.is_failure else 0,
        final_warning_given=final_warning_given(session, case=case),
        warnings_before_review=settings.warnings_before_review,
    )


def review_fields(reason: ReviewReason | None, *, actor: User | None, now: datetime) -> dict:
    """The columns a breach starts with: open, or already in review with why and when."""
    if reason is None:
        return {"status": BreachStatus.OPEN.value}
    return {
        "status": BreachStatus.REVIEW.value,
        "review_reason": reason.value,
        "review_requested_at": now,
        "review_requested_by_id": actor.id if actor else None,
    }


def reviewed(session: Session, *, case: Case, breach: Breach, actor: User | None, now: datetime) -> None:
    """What follows a breach reaching review, once: the case waits for the supervisor's decision
    (a case already in breach review stays there), the audit trail says why, and the supervisors hear."""
    if case.case_state is not CaseState.BREACH_REVIEW:
        transitions.move(session, case, CaseEvent.REPORT_BREACH, actor=actor, now=now, breach_id=breach.id)
    audit.record(
        session,
        actor=actor,
        action="breach.review_requested",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        breach_id=breach.id,
        kind=breach.kind,
        reason=breach.review_reason,
    )
    _tell_supervisors(session, case=case, breach=breach, now=now)


def _tell_supervisors(session: Session, *, case: Case, breach: Breach, now: datetime) -> None:
    supervisors = session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.is_active, User.team_id == case.team_id, UserRole.role == Role.SUPERVISOR.value)
    ).all()
    days = breach.evidence.get("days_to_decision_deadline") if breach.evidence else None
    margin = f" {days} days are left to the decision deadline." if days is not None else ""
    text = (
        f"{breach.breach_kind.label} on case {case.reference} awaits your decision: "
        f"{ReviewReason(breach.review_reason).label.lower()}.{margin}"
    )
    for supervisor in {user.id: user for user in supervisors}.values():
        staff_notifications.notify(
            session,
            user=supervisor,
            event=Event.BREACH_REVIEW,
            case=case,
            text=text,
            now=now,
            key=f"breach_review:{breach.id}",
        )
