"""The outcome code table (DOMAIN.md §3.5): which codes may close a case by a route on a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.errors import FieldError
from casework.domain.outcome_codes import Route
from casework.models.outcomes import OutcomeCode


def in_force(session: Session, *, route: Route, on: date) -> list[OutcomeCode]:
    rows = session.scalars(select(OutcomeCode).where(OutcomeCode.route == route.value).order_by(OutcomeCode.code))
    return [row for row in rows if row.in_force_on(on)]


def require(session: Session, *, code: int, route: Route, on: date, field: str = "code") -> OutcomeCode:
    """The code, if it may close a case by this route on this day; otherwise a field error saying why."""
    row = session.get(OutcomeCode, code)
    if row is None:
        raise FieldError(field, f"Outcome {code} is not in the outcome code table")
    if row.outcome_route is not route:
        raise FieldError(field, f"Outcome {code} ({row.label}) is not recorded for {route.label.lower()}")
    if not row.in_force_on(on):
        raise FieldError(field, f"Outcome {code} is not in force on {on.day} {on:%B %Y}")
    return row
