"""Cases in breach review with breaches built directly, for the tests of the supervisor's decisions
(the recording of breaches is another part's; these rows stand for what it leaves)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from casework.domain.breaches import BreachKind, BreachStatus, ReviewReason
from casework.domain.lifecycle import CaseState
from casework.models import Breach, Case, Team, User
from tests.conftest import NOW, make_case, make_contract

RATIONALE = "The person was in hospital that day; the ward confirmed it in writing."


def breach_case(
    session: Session,
    *,
    team: Team,
    navigator: User,
    state: CaseState = CaseState.BREACH_REVIEW,
    deadline_in: int | None = 60,
    today: date | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    margin: int = 21,
    **overrides,
) -> Case:
    """A case with a signed contract; `deadline_in` days from `today` to its decision deadline (None:
    an offence to which s.127 does not apply), the latest charge date `margin` days after it."""
    today = today or NOW.date()
    clocks = {}
    if deadline_in is not None:
        deadline = today + timedelta(days=deadline_in)
        clocks = {"decision_deadline_on": deadline, "latest_charge_on": deadline + timedelta(days=margin)}
    case = make_case(session, team=team, state=state, navigator_id=navigator.id, **clocks, **overrides)
    make_contract(session, case=case, created_by=navigator, starts_on=starts_on, ends_on=ends_on)
    return case


def make_breach(
    session: Session,
    *,
    case: Case,
    kind: BreachKind = BreachKind.UNACCEPTABLE_ABSENCE,
    raised_by: User | None = None,
    referred_by: User | None = None,
    raised_at: datetime = NOW - timedelta(days=1),
    status: BreachStatus = BreachStatus.REVIEW,
    reason: ReviewReason = ReviewReason.REPEATED_FAILURE,
    check_in_id: int | None = None,
) -> Breach:
    days_left = (case.decision_deadline_on - raised_at.date()).days if case.decision_deadline_on else None
    breach = Breach(
        case_id=case.id,
        kind=kind.value,
        status=status.value,
        occurred_on=raised_at.date(),
        summary="Did not come to the check-in and gave no reason.",
        raised_by_id=raised_by.id if raised_by else None,
        raised_at=raised_at,
        check_in_id=check_in_id,
        evidence={"days_left": days_left},
        review_reason=reason.value if status is BreachStatus.REVIEW else None,
        review_requested_at=raised_at if status is BreachStatus.REVIEW else None,
        review_requested_by_id=referred_by.id if referred_by else None,
    )
    session.add(breach)
    session.flush()
    return breach
