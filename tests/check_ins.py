"""Building check-ins in any state directly, for tests about the lists and files that read them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from casework.domain.check_ins import Outcome
from casework.models import Case, CheckIn, User
from tests.conftest import NOW


def make_check_in(
    session: Session,
    *,
    case: Case,
    at: datetime,
    by: User | None = None,
    mode: str = "in_person",
    place: str = "Navigator office, 1 Court Lane",
    **overrides,
) -> CheckIn:
    check_in = CheckIn(
        case_id=case.id,
        scheduled_at=at,
        mode=mode,
        place=place,
        source="added",
        created_at=NOW,
        created_by_id=by.id if by else None,
        **overrides,
    )
    session.add(check_in)
    session.flush()
    return check_in


def recorded(check_in: CheckIn, *, by: User, outcome: Outcome = Outcome.ATTENDED_COMPLIED, at: datetime = NOW):
    """An outcome a person recorded."""
    check_in.outcome, check_in.outcome_recorded_at, check_in.outcome_recorded_by_id = outcome.value, at, by.id
    if outcome.attended:
        check_in.engagement = 4
    return check_in


def marked_missed(check_in: CheckIn, *, due: date, by: User | None = None, at: datetime = NOW) -> CheckIn:
    """An absence awaiting explanation: marked by the system (by=None) or recorded by a navigator."""
    check_in.outcome = Outcome.AWAITING_EXPLANATION.value
    check_in.outcome_recorded_at, check_in.outcome_recorded_by_id = at, by.id if by else None
    check_in.explanation_due_on, check_in.missed_recorded_at = due, at
    return check_in
